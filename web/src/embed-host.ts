// The brand's page side of an embedded testimonial wall (embed-protocol.ts). Only frames of this
// page, from the origins the page named (`embedOrigins`), are listened to; each of their widgets
// becomes one of this page's widgets, so its shares carry this page's URL and visitor, and its
// facts feed this page's engine. Refusals go back to the frame, raised on the widget there.
import type { Context } from './context.js';
import { tagged, untagged, type FrameMessage, type HostMessage } from './embed-protocol.js';
import { ShareTrackError } from './errors.js';
import type { TrackedWidget, Tracker } from './tracker.js';

interface Frame {
  origin: string;
  widgets: Map<number, TrackedWidget>;
}

export class EmbedHost {
  private readonly frames = new Map<MessageEventSource, Frame>();

  constructor(private readonly tracker: Tracker, private readonly context: Context | null,
    private readonly origins: string[]) {}

  start(): void {
    addEventListener('message', (event) => this.received(event));
    // Walls that said hello before this page was ready.
    for (const frame of document.querySelectorAll('iframe')) {
      for (const origin of this.origins) frame.contentWindow?.postMessage(tagged(this.welcome()), origin);
    }
  }

  private welcome(): HostMessage {
    return { kind: 'welcome', title: document.title };
  }

  private received(event: MessageEvent): void {
    const message = untagged<FrameMessage>(event.data);
    const source = event.source;
    if (!message || !source || !this.origins.includes(event.origin) || !isChildFrame(source)) return;
    let frame = this.frames.get(source);
    if (!frame) this.frames.set(source, frame = { origin: event.origin, widgets: new Map() });
    const reply = (answer: HostMessage) => (source as Window).postMessage(tagged(answer), frame!.origin);
    if (message.kind === 'hello') return reply(this.welcome());
    if (message.kind === 'rendered') return void this.rendered(frame, message.widget, message.content, reply);
    if (message.kind === 'prepare') return void this.prepare(frame, message, reply);
    const widget = 'widget' in message ? frame.widgets.get(message.widget) : undefined;
    if (message.kind === 'commit') return widget && this.tracker.commitShare(message.share, widget.element);
    if (message.kind === 'copied') return widget && this.tracker.copied(widget.content, widget.element);
    this.fact(message, widget);
  }

  private rendered(frame: Frame, id: number, content: unknown, reply: (answer: HostMessage) => void): void {
    if (frame.widgets.has(id) || typeof id !== 'number' || typeof content !== 'string') return;
    const stand = new EventTarget();  // stands for the widget in the frame: what is raised on it goes there
    stand.addEventListener('sharetrack:error', (event) => {
      const { code, message } = (event as CustomEvent<ShareTrackError>).detail;
      reply({ kind: 'error', widget: id, code, message });
    });
    frame.widgets.set(id, this.tracker.register(stand, content));
  }

  private async prepare(frame: Frame, message: Extract<FrameMessage, { kind: 'prepare' }>,
    reply: (answer: HostMessage) => void): Promise<void> {
    const widget = frame.widgets.get(message.widget);
    const { request } = message;
    try {
      if (!widget) throw new Error(`widget ${String(message.widget)} of the frame never rendered`);
      const url = typeof message.url === 'string' ? message.url : null;
      reply({ kind: 'prepared', request, share: await this.tracker.prepareShare(widget.content, message.channel, url) });
    } catch (error) {
      const refused = error instanceof ShareTrackError ? error : new ShareTrackError('share_failed', String(error));
      reply({ kind: 'prepared', request, code: refused.code, message: refused.message });
    }
  }

  // What the frame saw, as this page's own widgets report it (page-facts.ts).
  private fact(message: FrameMessage, widget: TrackedWidget | undefined): void {
    if (!this.context) return;
    const { engine, settle, pump } = this.context;
    const now = Date.now();
    if (message.kind === 'focus') {
      // Focus moving between this page and the frame blurs one of them first: the page keeps
      // focus while either has it.
      settle(engine.pageFocused(message.focused === true || document.hasFocus(), now));
    } else if (message.kind === 'input') {
      settle(engine.input(now));
    } else if (widget && message.kind === 'viewport') {
      settle(engine.viewport(widget.content, widget.index, number(message.ratio), now), widget.element);
    } else if (widget && message.kind === 'video-time') {
      settle(engine.videoTime(widget.content, number(message.position), number(message.duration), now),
        widget.element);
    } else if (widget && message.kind === 'video-seeking') {
      settle(engine.videoSeeking(widget.content, now), widget.element);
    } else if (widget && message.kind === 'video-ended') {
      settle(engine.videoEnded(widget.content, now), widget.element);
    } else {
      return;
    }
    pump();
  }
}

// What is not a number becomes NaN, which the engine refuses with a typed error.
function number(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

function isChildFrame(source: MessageEventSource): boolean {
  for (let i = 0; i < frames.length; i++) if (frames[i] === source) return true;
  return false;
}
