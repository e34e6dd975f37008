// What the visitor sees and does, fed to the engine as it happens: each widget's share of the
// viewport, the page's visibility and focus, input, and the testimonial videos.
import type { Context } from './context.js';
import type { WasmEngine } from './engine-module.js';

/** The calls made for the facts: the engine's, or in an embedded frame messages to the host page. */
export type FactEngine = Pick<WasmEngine,
  'viewport' | 'videoTime' | 'videoSeeking' | 'videoEnded' | 'pageVisible' | 'pageFocused' | 'input'>;

export interface FactContext {
  readonly engine: FactEngine;
  settle: Context['settle'];
  pump: Context['pump'];
}

/** A rendered widget: the element, its content id and its index among the page's widgets. */
export interface Widget {
  element: Element;
  content: string;
  index: number;
}

export class PageFacts {
  private readonly widgets = new Map<Element, Widget>();
  private readonly observer: IntersectionObserver | null;

  constructor(private readonly context: FactContext) {
    this.observer = 'IntersectionObserver' in window
      ? new IntersectionObserver((entries) => this.inView(entries), { threshold: [0, 0.25, 0.5, 0.75, 1] })
      : null;
  }

  /** Once per page: its visibility, focus and input. */
  watchPage(): void {
    const { engine, settle } = this.context;
    const hide = (hiding: boolean) => {
      settle(engine.pageVisible(!hiding, Date.now()), document);
      this.context.pump(hiding);
    };
    document.addEventListener('visibilitychange', () => hide(document.visibilityState !== 'visible'));
    addEventListener('pagehide', () => hide(true));
    addEventListener('pageshow', (event) => {
      if (event.persisted) hide(false);  // back/forward cache: the same page view goes on
    });
    this.watchInput();
  }

  /** Once per page, alone in an embedded frame: the host page's visibility is the frame's. */
  watchInput(): void {
    const { engine, settle } = this.context;
    addEventListener('focus', () => settle(engine.pageFocused(true, Date.now()), document));
    addEventListener('blur', () => settle(engine.pageFocused(false, Date.now()), document));
    for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart']) {
      addEventListener(type, () => settle(engine.input(Date.now()), document), { passive: true, capture: true });
    }
  }

  /** A widget in the page: watched for view and for its videos. */
  watchWidget(widget: Widget): void {
    this.widgets.set(widget.element, widget);
    this.observer?.observe(widget.element);
    for (const video of widget.element.querySelectorAll('video')) this.watchVideo(video, widget);
  }

  private inView(entries: IntersectionObserverEntry[]): void {
    const now = Date.now();
    for (const entry of entries) {
      const widget = this.widgets.get(entry.target);
      if (widget) {
        this.context.settle(this.context.engine.viewport(widget.content, widget.index, entry.intersectionRatio, now),
          widget.element);
      }
    }
    this.context.pump();
  }

  // What was played counts, seeking does not (the engine decides).
  private watchVideo(video: HTMLVideoElement, { element, content }: Widget): void {
    const { engine, settle } = this.context;
    video.addEventListener('timeupdate',
      () => settle(engine.videoTime(content, video.currentTime, video.duration, Date.now()), element));
    video.addEventListener('seeking', () => settle(engine.videoSeeking(content, Date.now()), element));
    video.addEventListener('ended', () => {
      settle(engine.videoEnded(content, Date.now()), element);
      this.context.pump();
    });
  }
}
