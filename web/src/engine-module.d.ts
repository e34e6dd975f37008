// The engine module built from wasm/bindings.cpp (Emscripten 3.1.6 writes no .d.ts): the one
// place where the JS side learns the binding's shape; tsc checks every use against it. Every
// string union here is one of core's name tables; web/test/wire-names.test.mjs checks each
// against tests/vectors/wire_names.json, which the C++ tests check against core.

/** core's ErrorCode names (core/include/sharetrack/error.hpp). */
export type ErrorCode =
  | 'token_length' | 'token_alphabet' | 'token_version' | 'token_check' | 'token_depth' | 'token_channel'
  | 'mint_time_out_of_range'
  | 'url_malformed' | 'url_scheme' | 'url_too_long' | 'param_name_invalid'
  | 'batch_too_large' | 'batch_not_json' | 'unsupported_version' | 'field_missing' | 'field_type' | 'field_length'
  | 'field_charset' | 'field_range' | 'too_many_events' | 'event_type_unknown' | 'channel_unknown'
  | 'channel_mismatch' | 'depth_mismatch'
  | 'answer_malformed' | 'retry_after_invalid'
  | 'channel_not_shareable' | 'content_invalid' | 'conversion_invalid' | 'snapshot_foreign' | 'snapshot_version'
  | 'snapshot_corrupt' | 'not_allowed'
  | 'site_unknown' | 'origin_not_allowed' | 'rate_limited' | 'storage_unavailable' | 'unauthorized' | 'not_found'
  | 'method_not_allowed' | 'origin_missing' | 'length_required' | 'media_type_unsupported' | 'header_too_large'
  | 'request_invalid' | 'server_busy'
  | 'forbidden' | 'range_invalid' | 'limit_invalid' | 'sort_unknown' | 'id_invalid' | 'parameter_unknown'
  | 'config_invalid';

export type Channel = 'native' | 'copy' | 'x' | 'facebook' | 'linkedin' | 'whatsapp' | 'email' | 'addressbar';
/** The address bar's token is minted on landing, never shared through a control. */
export type ShareChannel = Exclude<Channel, 'addressbar'>;
export type LandingOutcome = 'clickback' | 'no_token' | 'invalid_token' | 'reload' | 'duplicate' | 'not_allowed';
export type SendKind = 'answered' | 'network_error' | 'beacon_queued' | 'beacon_refused';
export type TrackingHold = 'none' | 'global_privacy_control' | 'do_not_track' | 'consent_denied' | 'consent_pending';

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

/** What the page may set; an absent key keeps the engine's default (core's EngineConfig). */
export interface EngineConfigInput {
  site: string;
  tokenParam?: string;
  utm?: boolean;
  utmCampaign?: string;
  subscriberParam?: string;
  consentRequired?: boolean;
  subscriberNeedsConsent?: boolean;
  dedupeWindowMs?: number;
  queueCapacity?: number;
  summaryIntervalMs?: number;
  viewableMs?: number;
  activeInputMs?: number;
  flushEvents?: number;
  flushAgeMs?: number;
  sendTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  cooldownAfterFailures?: number;
  cooldownMs?: number;
  persistIntervalMs?: number;
}

export interface Permissions {
  record: boolean;
  store: boolean;
  send: boolean;
  hold: TrackingHold;
}

export interface PageLanding {
  url: string;
  content: string;
  webdriver: boolean;
  prerendering: boolean;
  userAgent: string;
}

export interface Landing {
  outcome: LandingOutcome;
  addressToken: string;
  addressUrl: string;
  tokenError?: Failure;
}

export interface ShareRequest {
  content: string;
  channel: ShareChannel;
  url: string;
}

export interface PreparedShare {
  content: string;
  channel: ShareChannel;
  token: string;
  parent: string | null;
  url: string;
  eventId: string;
}

export interface PersistPlan {
  visitor: boolean;
  queue: boolean;
  erase: boolean;
}

export interface OutgoingBatch {
  sendId: number;
  body: string;
  /** For sendBeacon: the page is hiding. */
  beacon: boolean;
  /** Small enough for fetch's keepalive quota, counted in UTF-8 bytes by the engine. */
  keepalive: boolean;
  events: number;
}

export interface SendReport {
  sendId: number;
  kind: SendKind;
  status?: number;
  /** JSON.parse of the response body, or null when it was not JSON. */
  body?: unknown;
  retryAfter?: string;
}

/** One piece of this tab's stored queue (core's OutboundQueue::takeWrites). */
export interface QueueWrite {
  name: string;
  text: string;
}

export interface WasmEngine {
  setPrivacy(gpc: boolean, dnt: boolean): void;
  setConsent(granted: boolean): void;
  permissions(): Permissions;
  mergeVisitor(snapshot: string, nowMs: number): Outcome;
  adoptQueue(snapshot: string, nowMs: number): Outcome<{ adopted: number }>;
  visitorSnapshot(): string;
  /** The queue's pieces changed since the last call: write each, or remove it when `text` is empty. */
  takeQueueWrites(): QueueWrite[];
  takePersist(nowMs: number, hiding: boolean): Outcome<PersistPlan>;
  land(page: PageLanding, nowMs: number): Outcome<Landing>;
  prepareShare(request: ShareRequest, nowMs: number): Outcome<PreparedShare>;
  commitShare(share: PreparedShare, nowMs: number): Outcome<{ recorded: boolean }>;
  /** The name and value must be a string and a number (Embind throws a BindingError otherwise). */
  conversion(name: string, value: number, nowMs: number): Outcome<{ recorded: boolean }>;
  widgetRendered(content: string, widget: number, nowMs: number): Outcome<{ recorded: boolean }>;
  viewport(content: string, widget: number, ratio: number, nowMs: number): Outcome;
  pageVisible(visible: boolean, nowMs: number): Outcome;
  pageFocused(focused: boolean, nowMs: number): Outcome;
  input(nowMs: number): Outcome;
  videoTime(content: string, positionSec: number, durationSec: number, nowMs: number): Outcome;
  videoSeeking(content: string, nowMs: number): Outcome;
  videoEnded(content: string, nowMs: number): Outcome;
  copied(content: string, nowMs: number): Outcome;
  flush(): void;
  nextSend(nowMs: number, unloading: boolean): Outcome<{ batch: OutgoingBatch | null }>;
  reportSend(report: SendReport, nowMs: number): Outcome;
  nextWakeAt(): number | null;
  /** Events the page's calls may add before the queue would drop its oldest, while a send under way will make room; null when none is under way. */
  intakeRoom(): number | null;
  /** Frees the engine; the JS side owns it. */
  delete(): void;
}

/** WasmEngine's calls as the module's free functions, each on an engine's handle. */
type OnHandle<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (handle: number, ...args: A) => R : never };

export interface EngineModule extends OnHandle<Omit<WasmEngine, 'delete'>> {
  /** The engine's handle, or why the configuration, the seed (eight 32-bit words) or the time is refused. */
  createEngine(config: EngineConfigInput, seed: Uint32Array, nowMs: number, visible: boolean, focused: boolean):
    Outcome<{ engine: number }>;
  deleteEngine(handle: number): void;
  /** The engine with this handle as an object (wasm/module-pre.js). */
  engineOf(handle: number): WasmEngine;
}

export interface ModuleOptions {
  /** sharetrack_engine.wasm, compiled (WebAssembly.compileStreaming) or as bytes. */
  wasm: WebAssembly.Module | BufferSource;
}

export default function createShareTrackModule(options: ModuleOptions): Promise<EngineModule>;
