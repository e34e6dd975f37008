// The page's tracker: loads the engine, then wires the shell's parts, one concern each:
// persistence.ts (storage and tabs), page-facts.ts (what the visitor sees and plays) and
// delivery.ts (posts and timers). The engine decides; the shell feeds it facts and carries out
// its decisions. The one thing the shell decides alone is what to share while the engine is
// missing: the link without any token.
import { settleOn, raise, type Context } from './context.js';
import { Delivery } from './delivery.js';
import createShareTrackModule from './engine-module.js';
import type { EngineConfigInput, PreparedShare, ShareChannel, WasmEngine } from './engine-module.js';
import { ShareTrackError, unwrap } from './errors.js';
import { EmbedHost } from './embed-host.js';
import { Intake } from './intake.js';
import { nextTask } from './next-task.js';
import { PageFacts, type Widget } from './page-facts.js';
import { Persistence } from './persistence.js';
import type { WidgetDefaults, WidgetTracker } from './widget.js';

/** The page's settings; what is left out keeps the engine's default. */
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
  /** Origins whose testimonial walls this page embeds in iframes (embed-host.ts); none by default. */
  embedOrigins?: string[];
  /** Where sharetrack_engine.wasm is served; by default beside the script. */
  engineUrl?: string;
  /** What every <sharetrack-widget> of the page shows unless its attributes say otherwise. */
  widgets?: WidgetDefaults;
  /** The engine's timing and queue knobs (see the README); tests shorten them. */
  engine?: Partial<Omit<EngineConfigInput, 'site'>>;
}

// The token parameter's default, taken from core's share_url.hpp when web/ is built: only needed
// to clean a link while the engine is missing.
declare const SHARETRACK_DEFAULT_TOKEN_PARAM: string;

// The engine's wasm, compiled while it downloads, off the main thread; bytes served without the
// application/wasm type are compiled once they are all in.
async function compileEngine(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** A widget of the page, or of a wall it embeds: `element` then stands for it (embed-host.ts). */
export type TrackedWidget = Omit<Widget, 'element'> & { element: EventTarget };

export class Tracker implements WidgetTracker {
  readonly ready: Promise<void>;
  private context: Context | null = null;
  private failure: ShareTrackError | null = null;
  private page: PageFacts | null = null;
  private persistence: Persistence | null = null;
  private intake: Intake | null = null;
  private readonly widgets: TrackedWidget[] = [];
  private landed = false;

  constructor(private readonly options: ShareTrackOptions, engineUrl: string) {
    this.ready = this.start(options.engineUrl ?? engineUrl);
  }

  // The start is cut into tasks of a few milliseconds each (instantiating the module; the engine's
  // start and what storage holds; the page's widgets; the landing), each with its writes, so that
  // none holds the main thread for long: Chromium compiles a wasm function on its first
  // call, on this thread, and the start calls hundreds. The page's widgets reach the engine from
  // the third on, once `context` is set.
  private async start(engineUrl: string): Promise<void> {
    let engine: WasmEngine;
    try {
      const module = await createShareTrackModule({ wasm: await compileEngine(engineUrl) });
      await nextTask();
      const { collector: _collector, engineUrl: _engineUrl, embedOrigins: _embeds, widgets: _widgets, engine: knobs,
        ...settings } = this.options;
      engine = module.engineOf(unwrap(module.createEngine({ ...knobs, ...settings },
        crypto.getRandomValues(new Uint32Array(8)), Date.now(), document.visibilityState === 'visible',
        document.hasFocus())).engine);
    } catch (error) {
      this.fail(error instanceof ShareTrackError ? error
        : new ShareTrackError('engine_unavailable', `tracking is off: the engine could not load (${String(error)})`));
      this.hostEmbeds(null);  // walls still share, untracked
      return;
    }
    let delivery: Delivery | null = null;
    let intake: Intake | null = null;
    const context: Context = {
      engine,
      settle: (outcome, target = document) => settleOn(outcome, target),
      pump: (hiding = false) => {
        if (hiding) intake?.takeAll();
        delivery?.pump(hiding);
      },
    };
    const persistence = new Persistence(context, this.options.site);
    delivery = new Delivery(context, persistence, this.options.collector, () => intake?.sendSettled());
    intake = new Intake(context);
    const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
    engine.setPrivacy(nav.globalPrivacyControl === true, navigator.doNotTrack === '1');
    persistence.watchTabs();
    persistence.restore();
    await nextTask();

    this.intake = intake;
    this.page = new PageFacts(context);
    this.persistence = persistence;
    this.context = context;
    this.page.watchPage();
    const landing = this.widgets.filter((widget) => this.rendered(widget))[0];
    context.pump();
    await nextTask();

    // The engine takes the landing after the widgets as well as before: each content rendered in
    // the page view counts as reached through the link.
    if (landing && !this.landed) this.land(landing, Date.now());
    this.hostEmbeds(context);
    context.pump();
  }

  private hostEmbeds(context: Context | null): void {
    if (this.options.embedOrigins?.length) new EmbedHost(this, context, this.options.embedOrigins).start();
  }

  private fail(error: ShareTrackError): void {
    this.failure = error;
    console.warn(`ShareTrack: ${error.message}`);
    for (const widget of this.widgets) raise(widget.element, error);
  }

  // ---- widgets ----

  /** A widget in the page; its content counts as rendered once the engine runs. */
  register(element: EventTarget, content: string): TrackedWidget {
    const known = this.widgets.find((widget) => widget.element === element);
    if (known) return known;
    const widget = { element, content, index: this.widgets.length };
    this.widgets.push(widget);
    if (this.failure) raise(element, this.failure);
    if (this.context) {
      if (this.rendered(widget) && !this.landed) this.land(widget, Date.now());
      this.context.pump();
    }
    return widget;
  }

  // Whether its content id is valid: the first such widget lands (land, below).
  private rendered(widget: TrackedWidget): boolean {
    const { engine, settle } = this.context!;
    const valid = settle(engine.widgetRendered(widget.content, widget.index, Date.now()), widget.element);
    // An embedded wall's widgets are watched by their frame, which reports what it sees.
    const { element } = widget;
    if (element instanceof Element) this.page!.watchWidget({ ...widget, element });
    return valid !== null;
  }

  // The landing URL: a clickback through its token, and the visitor's own token in its place.
  private land(widget: TrackedWidget, now: number): void {
    this.landed = true;
    const nav = navigator as Navigator & { webdriver?: boolean };
    const doc = document as Document & { prerendering?: boolean };
    const landing = this.context!.settle(this.context!.engine.land({
      url: location.href,
      content: widget.content,
      webdriver: nav.webdriver === true,
      prerendering: doc.prerendering === true,
      userAgent: navigator.userAgent,
    }, now), widget.element);
    if (landing && landing.addressUrl !== location.href) history.replaceState(history.state, '', landing.addressUrl);
  }

  // ---- shares ----

  /** The URL to share through `channel`; throws ShareTrackError for what the engine refuses. */
  async prepareShare(content: string, channel: ShareChannel, url: string | null): Promise<PreparedShare> {
    await this.ready;
    const page = url ?? location.href;
    if (!this.context) return { content, channel, token: '', parent: null, url: this.untracked(page), eventId: '' };
    return unwrap(this.context.engine.prepareShare({ content, channel, url: page }, Date.now()));
  }

  /** The share happened (the sheet resolved, the link was copied, the network's window opened). */
  commitShare(share: PreparedShare, element: EventTarget): void {
    if (!this.context || !share.token) return;
    this.context.settle(this.context.engine.commitShare(share, Date.now()), element);
    this.context.pump();
  }

  /** Text copied out of a testimonial. */
  copied(content: string, element: EventTarget): void {
    this.context?.settle(this.context.engine.copied(content, Date.now()), element);
  }

  pageTitle(): string {
    return document.title;
  }

  widgetDefaults(): WidgetDefaults {
    return this.options.widgets ?? {};
  }

  // The link without its token parameter: what is shared while the engine is missing.
  private untracked(url: string): string {
    try {
      const parsed = new URL(url, location.href);
      parsed.searchParams.delete(this.options.tokenParam ?? SHARETRACK_DEFAULT_TOKEN_PARAM);
      return parsed.toString();
    } catch {
      return url;
    }
  }

  // ---- the page's calls (index.ts): a refused outcome rejects the call's promise ----

  async consent(granted: boolean): Promise<void> {
    await this.ready;
    if (!this.context) return;
    this.context.engine.setConsent(granted);
    this.persistence!.restore();  // nothing was read while consent was pending
    this.context.pump();
  }

  /** Settles once the conversion is written to storage (intake.ts). */
  async conversion(name: string, value: number): Promise<void> {
    await this.ready;
    if (!this.context) return;
    if (typeof name !== 'string' || typeof value !== 'number') {
      throw new ShareTrackError('conversion_invalid', 'a conversion is a name (a string) and a value (a number)');
    }
    const { engine } = this.context;
    return this.intake!.add((now) => void unwrap(engine.conversion(name, value, now)));
  }

  async flush(): Promise<void> {
    await this.ready;
    if (!this.context) return;
    this.context.engine.flush();
    this.context.pump();
  }
}
