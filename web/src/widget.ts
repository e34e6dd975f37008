// <sharetrack-widget content-id url title quote>: the testimonial (slotted, or the `quote`
// attribute as text) and a share control per channel. The buttons render at once; a click made
// before the engine is ready waits for it; without the engine, sharing still works untracked.
// The element keeps no module state: define() binds it to the page's tracker, or inside an
// embedded testimonial wall to the host page's (embed-frame.ts).
import { raise } from './context.js';
import type { PreparedShare, ShareChannel } from './engine-module.js';
import { ShareTrackError } from './errors.js';
import { emailShareUrl, networkShareUrl, networks, type NetworkChannel } from './share-targets.js';

/** What the element asks of the tracker it is bound to. */
export interface WidgetTracker {
  register(element: Element, content: string): void;
  /** The URL to share; `url` null means the page's (the host page's, in an embedded frame). */
  prepareShare(content: string, channel: ShareChannel, url: string | null): Promise<PreparedShare>;
  commitShare(share: PreparedShare, element: Element): void;
  copied(content: string, element: Element): void;
  /** The title shared with the link when the element has none. */
  pageTitle(): string;
}

const labels: Record<ShareChannel, string> = {
  native: 'Share…',
  copy: 'Copy link',
  x: 'X',
  facebook: 'Facebook',
  linkedin: 'LinkedIn',
  whatsapp: 'WhatsApp',
  email: 'Email',
};

const styles = `
:host { display: block; font: inherit; color: var(--sharetrack-color, inherit); }
.quote { margin: 0 0 .75em; }
.controls { display: flex; flex-wrap: wrap; gap: var(--sharetrack-gap, .5em); }
button {
  font: inherit; cursor: pointer; padding: .4em .8em; border-radius: var(--sharetrack-radius, .4em);
  border: 1px solid var(--sharetrack-border, currentColor); background: var(--sharetrack-background, transparent);
  color: var(--sharetrack-button-color, inherit);
}
button:hover { background: var(--sharetrack-hover-background, rgba(127, 127, 127, .12)); }
button:focus-visible { outline: 3px solid var(--sharetrack-focus, #1a73e8); outline-offset: 2px; }
.status { min-height: 1.2em; font-size: .85em; margin: .4em 0 0; }
`;

export class ShareTrackWidget extends HTMLElement {
  static readonly tagName = 'sharetrack-widget';

  /** Defines <sharetrack-widget> for `tracker`; where it is defined already, nothing changes. */
  static define(tracker: WidgetTracker, registry: CustomElementRegistry = customElements): void {
    if (registry.get(ShareTrackWidget.tagName)) return;
    registry.define(ShareTrackWidget.tagName, class extends ShareTrackWidget {
      protected override readonly tracker = tracker;
    });
  }

  /** The page's tracker, given by define(). */
  protected readonly tracker: WidgetTracker | null = null;

  private readonly status: HTMLParagraphElement;
  private readonly quote: HTMLParagraphElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = styles;
    this.quote = document.createElement('p');
    this.quote.className = 'quote';
    this.quote.part.add('quote');
    const slot = document.createElement('slot');
    const controls = document.createElement('div');
    controls.className = 'controls';
    controls.part.add('controls');
    controls.setAttribute('role', 'group');
    controls.setAttribute('aria-label', 'Share this testimonial');
    const channels: ShareChannel[] = [...(typeof navigator.share === 'function' ? ['native' as const] : []), 'copy',
      ...networks, 'email'];
    for (const channel of channels) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = labels[channel];
      button.dataset.channel = channel;
      button.part.add('button', `button-${channel}`);
      if (channel !== 'native' && channel !== 'copy') button.setAttribute('aria-label', `Share on ${labels[channel]}`);
      button.addEventListener('click', () => void this.share(channel));
      controls.append(button);
    }
    this.status = document.createElement('p');
    this.status.className = 'status';
    this.status.part.add('status');
    this.status.setAttribute('role', 'status');
    root.append(style, this.quote, slot, controls, this.status);
    // Text copied out of the testimonial is a share the page cannot otherwise see.
    this.addEventListener('copy', () => this.tracker?.copied(this.contentId, this));
  }

  static get observedAttributes(): string[] {
    return ['quote'];
  }

  attributeChangedCallback(): void {
    // Text, never markup: a testimonial is data.
    this.quote.textContent = this.getAttribute('quote') ?? '';
    this.quote.hidden = !this.quote.textContent;
  }

  connectedCallback(): void {
    this.attributeChangedCallback();
    this.tracker?.register(this, this.contentId);
  }

  get contentId(): string {
    return this.getAttribute('content-id') ?? '';
  }

  private shareUrl(): string | null {
    const url = this.getAttribute('url');
    return url ? new URL(url, location.href).toString() : null;
  }

  private shareTitle(): string {
    return this.getAttribute('title') || (this.tracker?.pageTitle() ?? document.title);
  }

  /** Shares through `channel` as a click on its button does. */
  async share(channel: ShareChannel): Promise<void> {
    // A network's window must open inside the click, before any await, or it is blocked.
    const popup = networks.includes(channel as NetworkChannel) ? window.open('', '_blank') : null;
    try {
      if (!this.tracker) throw new ShareTrackError('not_initialized', 'sharetrack.init() has not run');
      const prepared = await this.tracker.prepareShare(this.contentId, channel, this.shareUrl());
      const done = await this.deliver(channel, prepared.url, popup);
      if (!done) return;
      this.tracker.commitShare(prepared, this);
      this.status.textContent = channel === 'copy' ? 'Link copied' : '';
      this.dispatchEvent(new CustomEvent('sharetrack:share', {
        bubbles: true,
        composed: true,
        detail: { channel, url: prepared.url, token: prepared.token },
      }));
    } catch (error) {
      popup?.close();
      raise(this, error instanceof ShareTrackError ? error : new ShareTrackError('share_failed', String(error)));
    }
  }

  // Hands the URL to the share target; false when the visitor cancelled.
  private async deliver(channel: ShareChannel, url: string, popup: Window | null): Promise<boolean> {
    const title = this.shareTitle();
    if (channel === 'native') {
      try {
        await navigator.share({ url, title });
        return true;
      } catch (error) {
        if ((error as DOMException).name === 'AbortError') return false;  // the sheet was closed
        throw error;
      }
    }
    if (channel === 'copy') {
      await copyText(url);
      return true;
    }
    if (channel === 'email') {
      location.href = emailShareUrl(url, title);
      return true;
    }
    const target = networkShareUrl(channel as NetworkChannel, url, title);
    if (popup) {
      popup.opener = null;
      popup.location.href = target;
    } else {
      window.open(target, '_blank', 'noopener');
    }
    return true;
  }
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No Clipboard API (insecure context, policy): the selection fallback.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new ShareTrackError('copy_failed', 'the browser refused to copy the link');
  }
}
