// The engine module built from wasm/bindings.cpp (Emscripten 3.1.6 writes no .d.ts): the one
// place where the JS side learns the binding's shape; tsc checks every use against it.

export interface Failure {
  ok: false;
  code: string;
  message: string;
}
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

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

export type Channel = 'native' | 'copy' | 'x' | 'facebook' | 'linkedin' | 'whatsapp' | 'email';
export type LandingOutcome = 'clickback' | 'no_token' | 'invalid_token' | 'reload' | 'duplicate' | 'not_allowed';

export interface Permissions {
  record: boolean;
  store: boolean;
  send: boolean;
  reason: string;
}

export interface Landing {
  outcome: LandingOutcome;
  addressToken: string;
  addressUrl: string;
  tokenError?: Failure;
}

export interface PreparedShare {
  content: string;
  channel: Channel;
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
  beacon: boolean;
  events: number;
}

export type SendKind = 'answered' | 'network_error' | 'beacon_queued' | 'beacon_refused';

export interface WasmEngine {
  setPrivacy(gpc: boolean, dnt: boolean): void;
  setConsent(granted: boolean): void;
  permissions(): Permissions;
  mergeVisitor(snapshot: string): Outcome;
  adoptQueue(snapshot: string): Outcome<{ adopted: number }>;
  visitorSnapshot(): string;
  queueSnapshot(): string;
  takePersist(nowMs: number, hiding: boolean): PersistPlan;
  land(url: string, content: string, webdriver: boolean, prerendering: boolean, userAgent: string, nowMs: number):
    Outcome<Landing>;
  prepareShare(content: string, channel: Channel, pageUrl: string, nowMs: number): Outcome<PreparedShare>;
  commitShare(share: PreparedShare, nowMs: number): Outcome<{ recorded: boolean }>;
  conversion(name: string, value: number, nowMs: number): Outcome<{ recorded: boolean }>;
  widgetRendered(content: string, widget: number, nowMs: number): Outcome;
  viewport(content: string, widget: number, ratio: number, nowMs: number): void;
  pageVisible(visible: boolean, nowMs: number): void;
  pageFocused(focused: boolean, nowMs: number): void;
  input(nowMs: number): void;
  videoTime(content: string, positionSec: number, durationSec: number, nowMs: number): void;
  videoSeeking(content: string, nowMs: number): void;
  videoEnded(content: string, nowMs: number): void;
  copied(content: string, nowMs: number): void;
  flush(): void;
  nextSend(nowMs: number, unloading: boolean): OutgoingBatch | null;
  reportSend(sendId: number, kind: SendKind, status: number, body: unknown, retryAfter: string, nowMs: number): void;
  nextWakeAt(): number | null;
  pageViewId(): string;
  visitorId(): string;
  delete(): void;
}

export interface EngineModule {
  Engine: new (config: EngineConfigInput, seed: Uint32Array, nowMs: number, visible: boolean, focused: boolean) =>
    WasmEngine;
  checkConfig(config: EngineConfigInput): Outcome;
}

export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
  printErr?: (text: string) => void;
}

export default function createShareTrackModule(options?: ModuleOptions): Promise<EngineModule>;
