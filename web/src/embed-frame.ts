// The wall's side of an embedded testimonial wall (embed-protocol.ts): the tracker of the widgets
// in a frame. It loads no engine and stores nothing; it reports what its widgets show and play to
// the host page and asks the host to prepare each share. Until the host answers, shares wait; a
// host that never answers (no ShareTrack, or this origin not in its `embedOrigins`) leaves the
// widgets sharing untracked links, with one `engine_unavailable` on each.
import { raise, settleOn } from './context.js';
import { tagged, untagged, type FrameMessage, type HostMessage } from './embed-protocol.js';
import type { PreparedShare, ShareChannel } from './engine-module.js';
import { ShareTrackError } from './errors.js';
import { PageFacts, type FactEngine, type Widget } from './page-facts.js';
import type { WidgetDefaults, WidgetTracker } from './widget.js';

const hostWaitMs = 5000;

export class EmbedFrame implements WidgetTracker {
  private readonly widgets: Widget[] = [];
  private readonly requests = new Map<number, { resolve(share: PreparedShare): void; reject(error: Error): void }>();
  private readonly facts = new PageFacts({ engine: this.forwarder(), settle: settleOn, pump: () => {} });
  private host: { origin: string; title: string } | null = null;
  private hostGone = false;
  private readonly answered: Promise<boolean>;
  private nextRequest = 1;

  constructor() {
    let welcomed: (yes: boolean) => void = () => {};
    this.answered = new Promise((resolve) => { welcomed = resolve; });
    addEventListener('message', (event) => {
      const message = untagged<HostMessage>(event.data);
      if (message && event.source === parent && parent !== window) this.received(message, event.origin, welcomed);
    });
    setTimeout(() => {
      if (this.host) return;
      this.hostGone = true;
      welcomed(false);
      for (const widget of this.widgets) raise(widget.element, this.unanswered());
    }, hostWaitMs);
    // Carries nothing: any page may read it. What comes back is only taken from the parent.
    if (parent !== window) parent.postMessage(tagged<FrameMessage>({ kind: 'hello' }), '*');
  }

  private received(message: HostMessage, origin: string, welcomed: (yes: boolean) => void): void {
    if (message.kind === 'welcome') {
      if (this.host || this.hostGone) return;
      this.host = { origin, title: typeof message.title === 'string' ? message.title : document.title };
      welcomed(true);
      this.facts.watchInput();
      for (const widget of this.widgets) this.rendered(widget);
    } else if (message.kind === 'prepared' && this.host?.origin === origin) {
      const waiting = this.requests.get(message.request);
      this.requests.delete(message.request);
      if (message.share) waiting?.resolve(message.share);
      else waiting?.reject(new ShareTrackError(message.code ?? 'share_failed', message.message ?? ''));
    } else if (message.kind === 'error' && this.host?.origin === origin) {
      const widget = this.widgets[message.widget];
      if (widget) raise(widget.element, new ShareTrackError(message.code, message.message));
    }
  }

  private send(message: FrameMessage): void {
    if (this.host) parent.postMessage(tagged(message), this.host.origin);
  }

  // The facts PageFacts gathers, posted to the host instead of given to an engine.
  private forwarder(): FactEngine {
    const ok = { ok: true } as const;
    const post = (message: FrameMessage) => {
      this.send(message);
      return ok;
    };
    return {
      viewport: (_content, widget, ratio) => post({ kind: 'viewport', widget, ratio }),
      videoTime: (content, position, duration) =>
        post({ kind: 'video-time', widget: this.indexOf(content), position, duration }),
      videoSeeking: (content) => post({ kind: 'video-seeking', widget: this.indexOf(content) }),
      videoEnded: (content) => post({ kind: 'video-ended', widget: this.indexOf(content) }),
      pageFocused: (focused) => post({ kind: 'focus', focused }),
      input: () => post({ kind: 'input' }),
      pageVisible: () => ok,  // the host page's visibility is the frame's
    };
  }

  private indexOf(content: string): number {
    return this.widgets.findIndex((widget) => widget.content === content);
  }

  private unanswered(): ShareTrackError {
    return new ShareTrackError('engine_unavailable',
      'tracking is off: the page embedding this wall did not answer (is ShareTrack on it, with this origin in ' +
      'its embed origins?)');
  }

  private rendered(widget: Widget): void {
    this.send({ kind: 'rendered', widget: widget.index, content: widget.content });
    this.facts.watchWidget(widget);
  }

  // ---- WidgetTracker ----

  register(element: Element, content: string): void {
    if (this.widgets.some((widget) => widget.element === element)) return;
    const widget = { element, content, index: this.widgets.length };
    this.widgets.push(widget);
    if (this.host) this.rendered(widget);
    if (this.hostGone) raise(element, this.unanswered());
  }

  async prepareShare(content: string, channel: ShareChannel, url: string | null): Promise<PreparedShare> {
    const widget = this.indexOf(content);
    if (!(await this.answered) || widget < 0) {
      return { content, channel, token: '', parent: null, url: url ?? location.href, eventId: '' };
    }
    const request = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.requests.set(request, { resolve, reject });
      this.send({ kind: 'prepare', request, widget, channel, url });
    });
  }

  commitShare(share: PreparedShare, element: Element): void {
    const widget = this.widgets.find((known) => known.element === element);
    if (widget && share.token) this.send({ kind: 'commit', widget: widget.index, share });
  }

  copied(_content: string, element: Element): void {
    const widget = this.widgets.find((known) => known.element === element);
    if (widget) this.send({ kind: 'copied', widget: widget.index });
  }

  pageTitle(): string {
    return this.host?.title ?? document.title;
  }

  // The wall's own attributes choose; the brand's page sets nothing for a frame it embeds.
  widgetDefaults(): WidgetDefaults {
    return {};
  }
}
