// The imperative shell around the engine: it feeds the engine facts (time, random bits, the
// page, storage, HTTP results) and carries out its decisions (address bar, storage writes,
// posts, timers). Every rule lives in the engine; this file only moves data.
import createShareTrackModule from './engine-module.js';
import type { Channel, EngineConfigInput, PreparedShare, WasmEngine } from './engine-module.js';
import { ShareTrackError, unwrap } from './errors.js';
import { BrowserStorage } from './storage.js';

export interface ShareTrackOptions {
  /** The collector's base URL, e.g. "https://collect.brand.example". */
  collector: string;
  /** The site id from the collector's sites file. */
  site: string;
  tokenParam?: string;
  consentRequired?: boolean;
  subscriberParam?: string;
  utm?: boolean;
  utmCampaign?: string;
  /** Where sharetrack_engine.wasm is served; by default beside the script. */
  engineUrl?: string;
  /** The engine's timing and queue knobs (see the README); tests shorten them. */
  engine?: Partial<EngineConfigInput>;
}

export interface ShareResult {
  channel: Channel;
  url: string;
  token: string;
}

const unloadLimit = 16 * 1024;

function randomSeed(): Uint32Array {
  return crypto.getRandomValues(new Uint32Array(8));
}

function randomTabId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The URL without its token parameter: what is shared while tracking is off. */
function untrackedUrl(url: string, tokenParam: string): string {
  try {
    const parsed = new URL(url, location.href);
    parsed.searchParams.delete(tokenParam);
    return parsed.toString();
  } catch {
    return url;
  }
}

export class Tracker {
  readonly ready: Promise<void>;
  private engine: WasmEngine | null = null;
  private failure: ShareTrackError | null = null;
  private readonly storage = new BrowserStorage();
  private readonly tabId = randomTabId();
  private readonly keyPrefix: string;
  private readonly widgets = new Map<Element, { content: string; index: number }>();
  private landed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private observer: IntersectionObserver | null = null;
  private readonly errorListeners: Array<(error: ShareTrackError) => void> = [];

  constructor(private readonly options: ShareTrackOptions, engineUrl: string) {
    this.keyPrefix = `sharetrack:${options.site}:`;
    this.ready = this.start(engineUrl);
  }

  /** Called with the reason when tracking cannot run (the widget keeps sharing). */
  onError(listener: (error: ShareTrackError) => void): void {
    if (this.failure) listener(this.failure);
    else this.errorListeners.push(listener);
  }

  private async start(engineUrl: string): Promise<void> {
    try {
      const module = await createShareTrackModule({
        locateFile: (path) => new URL(path, engineUrl).toString(),
        printErr: () => {},  // a blocked wasm is reported once, below, not by the runtime
      });
      const config: EngineConfigInput = {
        ...this.options.engine,
        site: this.options.site,
        tokenParam: this.options.tokenParam ?? 'st',
        consentRequired: this.options.consentRequired ?? false,
        subscriberParam: this.options.subscriberParam ?? '',
        utm: this.options.utm ?? false,
        utmCampaign: this.options.utmCampaign ?? '',
      };
      unwrap(module.checkConfig(config));
      const now = Date.now();
      this.engine = new module.Engine(config, randomSeed(), now, document.visibilityState === 'visible',
        document.hasFocus());
    } catch (error) {
      this.fail(error instanceof ShareTrackError ? error
        : new ShareTrackError('engine_unavailable', `tracking is off: the engine could not load (${String(error)})`));
      return;
    }
    const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
    this.engine.setPrivacy(nav.globalPrivacyControl === true, navigator.doNotTrack === '1');
    this.restore();
    this.watchPage();
    for (const [element, widget] of this.widgets) this.rendered(element, widget.content, widget.index);
    this.pump(false);
  }

  private fail(error: ShareTrackError): void {
    this.failure = error;
    console.warn(`ShareTrack: ${error.message}`);
    for (const listener of this.errorListeners.splice(0)) listener(error);
  }

  // ---- storage ----

  private restore(): void {
    const engine = this.engine!;
    if (!engine.permissions().store) return;
    const visitor = this.storage.get(`${this.keyPrefix}v`);
    if (visitor) engine.mergeVisitor(visitor);  // a corrupt value is skipped: the engine starts clean
    this.adoptOrphans();
    addEventListener('storage', (event) => {
      if (event.key === `${this.keyPrefix}v` && event.newValue && this.engine?.permissions().store) {
        this.engine.mergeVisitor(event.newValue);
      }
    });
  }

  // Queues of tabs that are gone. A tab holds its lock while it lives; this tab waits for the lock
  // of every other tab's queue it learns of (now, or from a storage event later), and the one
  // that gets it once the other tab is gone adopts that queue, so a queue is taken once.
  private adoptOrphans(): void {
    const locks = navigator.locks;
    if (!locks) return;
    locks.request(`${this.keyPrefix}tab:${this.tabId}`, () => new Promise<void>(() => {})).catch(() => {});
    const queuePrefix = `${this.keyPrefix}q:`;
    const waiting = new Set<string>([this.tabId]);
    const waitFor = (key: string) => {
      const tab = key.slice(queuePrefix.length);
      if (waiting.has(tab)) return;
      waiting.add(tab);
      locks.request(`${this.keyPrefix}tab:${tab}`, async () => {
        const snapshot = this.storage.get(key);
        if (!snapshot || !this.engine) return;
        this.engine.adoptQueue(snapshot);
        this.persist(false);
        this.storage.remove(key);  // only once this tab's queue holds the events
        this.pump(false);
      }).catch(() => {});
    };
    for (const key of this.storage.keys(queuePrefix)) waitFor(key);
    addEventListener('storage', (event) => {
      if (event.key?.startsWith(queuePrefix) && event.newValue) waitFor(event.key);
    });
  }

  private persist(hiding: boolean): void {
    const engine = this.engine!;
    const plan = engine.takePersist(Date.now(), hiding);
    if (plan.erase) {
      for (const key of this.storage.keys(this.keyPrefix)) this.storage.remove(key);
    }
    if (plan.visitor) {
      const stored = this.storage.get(`${this.keyPrefix}v`);
      if (stored) engine.mergeVisitor(stored);  // read, merge, write: other tabs' tokens stay
      this.storage.set(`${this.keyPrefix}v`, engine.visitorSnapshot());
    }
    if (plan.queue) this.storage.set(`${this.keyPrefix}q:${this.tabId}`, engine.queueSnapshot());
  }

  // ---- the page ----

  private watchPage(): void {
    const engine = this.engine!;
    if ('IntersectionObserver' in window) {
      this.observer = new IntersectionObserver((entries) => {
        const now = Date.now();
        for (const entry of entries) {
          const widget = this.widgets.get(entry.target);
          if (widget) engine.viewport(widget.content, widget.index, entry.intersectionRatio, now);
        }
        this.pump(false);
      }, { threshold: [0, 0.25, 0.5, 0.75, 1] });
      for (const element of this.widgets.keys()) this.observer.observe(element);
    }
    document.addEventListener('visibilitychange', () => {
      const visible = document.visibilityState === 'visible';
      engine.pageVisible(visible, Date.now());
      this.pump(!visible);
    });
    addEventListener('pagehide', () => {
      engine.pageVisible(false, Date.now());
      this.pump(true);
    });
    addEventListener('pageshow', (event) => {
      if ((event as PageTransitionEvent).persisted) engine.pageVisible(true, Date.now());  // bfcache: same page view
    });
    addEventListener('focus', () => engine.pageFocused(true, Date.now()));
    addEventListener('blur', () => engine.pageFocused(false, Date.now()));
    for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart']) {
      addEventListener(type, () => engine.input(Date.now()), { passive: true, capture: true });
    }
  }

  register(element: Element, content: string): void {
    if (this.widgets.has(element)) return;
    const index = this.widgets.size;
    this.widgets.set(element, { content, index });
    if (this.engine) this.rendered(element, content, index);
  }

  private rendered(element: Element, content: string, index: number): void {
    const engine = this.engine!;
    const now = Date.now();
    engine.widgetRendered(content, index, now);
    this.observer?.observe(element);
    for (const video of element.querySelectorAll('video')) this.watchVideo(video, content);
    if (!this.landed) {
      this.landed = true;
      const nav = navigator as Navigator & { webdriver?: boolean };
      const doc = document as Document & { prerendering?: boolean };
      const landing = engine.land(location.href, content, nav.webdriver === true, doc.prerendering === true,
        navigator.userAgent, now);
      if (landing.ok && landing.addressUrl && landing.addressUrl !== location.href) {
        history.replaceState(history.state, '', landing.addressUrl);
      }
    }
    this.pump(false);
  }

  // A testimonial video: what was played counts, seeking does not (the engine decides).
  private watchVideo(video: HTMLVideoElement, content: string): void {
    const engine = this.engine!;
    video.addEventListener('timeupdate', () => engine.videoTime(content, video.currentTime, video.duration, Date.now()));
    video.addEventListener('seeking', () => engine.videoSeeking(content, Date.now()));
    video.addEventListener('ended', () => {
      engine.videoEnded(content, Date.now());
      this.pump(false);
    });
  }

  // ---- shares and the public API ----

  async prepareShare(content: string, channel: Channel, url: string): Promise<PreparedShare> {
    await this.ready;
    if (!this.engine) {
      const clean = untrackedUrl(url, this.options.tokenParam ?? 'st');
      return { content, channel, token: '', parent: null, url: clean, eventId: '' };
    }
    return unwrap(this.engine.prepareShare(content, channel, url, Date.now()));
  }

  commitShare(share: PreparedShare): void {
    if (!this.engine || !share.token) return;
    unwrap(this.engine.commitShare(share, Date.now()));
    this.pump(false);
  }

  copied(content: string): void {
    this.engine?.copied(content, Date.now());
  }

  async consent(granted: boolean): Promise<void> {
    await this.ready;
    if (!this.engine) return;
    const before = this.engine.permissions().store;
    this.engine.setConsent(granted);
    if (!before && this.engine.permissions().store) this.restore();
    this.pump(false);
  }

  async conversion(name: string, value: number): Promise<void> {
    await this.ready;
    if (!this.engine) return;
    unwrap(this.engine.conversion(name, value, Date.now()));
    this.pump(false);
  }

  async flush(): Promise<void> {
    await this.ready;
    if (!this.engine) return;
    this.engine.flush();
    this.pump(false);
  }

  // ---- delivery: after every fact, write what is due, post what is due, wake when due ----

  private pump(hiding: boolean): void {
    const engine = this.engine;
    if (!engine) return;
    this.persist(hiding);
    const now = Date.now();
    const batch = engine.nextSend(now, hiding);
    if (batch) {
      if (batch.beacon) this.beacon(batch.sendId, batch.body);
      else void this.post(batch.sendId, batch.body);
    }
    clearTimeout(this.timer);
    const wake = engine.nextWakeAt();
    if (wake !== null && !hiding) this.timer = setTimeout(() => this.pump(false), Math.max(0, wake - Date.now()));
  }

  private endpoint(): string {
    return `${this.options.collector.replace(/\/+$/, '')}/v1/batch`;
  }

  private async post(sendId: number, body: string): Promise<void> {
    const engine = this.engine!;
    try {
      const response = await fetch(this.endpoint(), {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },  // a simple request: no preflight
        keepalive: body.length <= unloadLimit,
        credentials: 'omit',
      });
      let answer: unknown = null;
      try {
        answer = JSON.parse(await response.text());
      } catch {
        answer = null;  // a proxy's HTML page: no answer, the engine retries
      }
      engine.reportSend(sendId, 'answered', response.status, answer, response.headers.get('Retry-After') ?? '', Date.now());
    } catch {
      engine.reportSend(sendId, 'network_error', 0, null, '', Date.now());
    }
    this.pump(false);
  }

  private beacon(sendId: number, body: string): void {
    const engine = this.engine!;
    const queued = typeof navigator.sendBeacon === 'function'
      && navigator.sendBeacon(this.endpoint(), new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    engine.reportSend(sendId, queued ? 'beacon_queued' : 'beacon_refused', 0, null, '', Date.now());
    this.persist(true);
  }
}
