// <sharetrack-widget content-id url title quote channels layout theme label-*>: the testimonial
// (slotted, or the `quote` attribute as text) and a share control per chosen channel, in one of
// three layouts, labelled in the page's language. The buttons render at once; a click made before
// the engine is ready waits for it; without the engine, sharing still works untracked. The element
// keeps no module state: define() binds it to the page's tracker, or inside an embedded
// testimonial wall to the host page's (embed-frame.ts).
import { allChannels, chooseChannels } from './channels.js';
import { raise } from './context.js';
import type { PreparedShare, ShareChannel } from './engine-module.js';
import { ShareTrackError } from './errors.js';
import { icon } from './icons.js';
import { fill, labelNames, labelsFor, languageOf, type LabelName, type Labels } from './labels.js';
import { emailShareUrl, networkName, networkShareUrl, networks, shareText, type NetworkChannel } from './share-targets.js';
import widgetStyles from './widget.css';

/** What a site sets for all its widgets (ShareTrackOptions); an element's attributes win. */
export interface WidgetDefaults {
  /** Space-separated channel names, in order. */
  channels?: string;
  layout?: string;
  theme?: string;
  labels?: Partial<Labels>;
}

/** What the element asks of the tracker it is bound to. */
export interface WidgetTracker {
  register(element: Element, content: string): void;
  /** The URL to share; `url` null means the page's (the host page's, in an embedded frame). */
  prepareShare(content: string, channel: ShareChannel, url: string | null): Promise<PreparedShare>;
  commitShare(share: PreparedShare, element: Element): void;
  copied(content: string, element: Element): void;
  /** The title shared with the link when the element has none. */
  pageTitle(): string;
  widgetDefaults(): WidgetDefaults;
}

const layouts = ['row', 'icons', 'compact'] as const;
const themes = ['mono', 'brand'] as const;
type Layout = (typeof layouts)[number];

/** How long a note ("Link copied") stays. */
const noteMs = 4000;

const attributeOf = (name: LabelName) => `label-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

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

  private readonly quote: HTMLParagraphElement;
  private readonly controls: HTMLDivElement;
  private readonly note: HTMLSpanElement;
  private labels: Labels = labelsFor('en');
  private noteTimer = 0;
  private rendered = false;
  private closePopover: ((returnFocus: boolean) => void) | null = null;
  /** What the last render found wrong, so that a render for another reason does not say it again. */
  private problems: string[] = [];

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = widgetStyles;
    this.quote = document.createElement('p');
    this.quote.className = 'quote';
    this.quote.part.add('quote');
    this.controls = document.createElement('div');
    this.controls.part.add('controls');
    this.controls.setAttribute('role', 'group');
    // Announced politely, shown under the control that caused it, gone after a few seconds. It
    // stays in place across renders: a live region re-inserted may no longer be announced.
    this.note = document.createElement('span');
    this.note.className = 'note';
    this.note.part.add('status');
    this.note.setAttribute('role', 'status');
    root.append(style, this.quote, document.createElement('slot'), this.controls, this.note);
    // Text copied out of the testimonial is a share the page cannot otherwise see.
    this.addEventListener('copy', () => this.tracker?.copied(this.contentId, this));
    // Focus moving out of the element closes the compact layout's list. Only a move to somewhere
    // else: Safari takes focus from a clicked button (no relatedTarget), and a click outside is
    // handled by its own listener.
    this.addEventListener('focusout', (event) => {
      const to = event.relatedTarget as Node | null;
      if (to && !this.contains(to) && !this.shadowRoot!.contains(to)) this.closePopover?.(false);
    });
  }

  static get observedAttributes(): string[] {
    return ['quote', 'channels', 'layout', 'theme', 'lang', ...labelNames.map(attributeOf)];
  }

  attributeChangedCallback(): void {
    // The first render waits for connectedCallback: an upgrade reports each attribute first.
    if (this.rendered) this.render();
  }

  connectedCallback(): void {
    this.render();
    this.rendered = true;
    this.tracker?.register(this, this.contentId);
  }

  disconnectedCallback(): void {
    this.closePopover?.(false);
  }

  get contentId(): string {
    return this.getAttribute('content-id') ?? '';
  }

  private render(): void {
    // The control that had focus has it again after the render (an attribute changed meanwhile);
    // one in the compact list, which the render closes, gives it to the list's button.
    const active = this.shadowRoot!.activeElement as HTMLElement | null;
    const refocus = !active ? null
      : active.closest('.popover') || active.matches('.trigger') ? '.trigger' : `[data-channel="${active.dataset.channel}"]`;
    this.closePopover?.(false);
    const defaults = this.tracker?.widgetDefaults() ?? {};
    const problems: ShareTrackError[] = [];
    this.labels = this.chooseLabels(defaults.labels ?? {}, problems);
    // Text, never markup: a testimonial is data.
    this.quote.textContent = this.getAttribute('quote') ?? '';
    this.quote.hidden = !this.quote.textContent;

    const chosen = chooseChannels(this.getAttribute('channels') ?? defaults.channels);
    if (chosen.unknown.length > 0) {
      problems.push(new ShareTrackError('channel_unknown',
        `no share channel is called ${chosen.unknown.join(', ')}; the channels are ${allChannels.join(' ')}`));
    }
    const channels = chosen.channels.filter((c) => c !== 'native' || typeof navigator.share === 'function');
    const layout = this.choice('layout', layouts, defaults.layout, problems);
    const theme = this.choice('theme', themes, defaults.theme, problems);

    this.controls.className = `controls ${layout} ${theme}`;
    this.controls.setAttribute('aria-label', this.labels.group);
    this.controls.replaceChildren(...(layout === 'compact' ? this.compact(channels) : channels.map((c) =>
      this.button(c, layout))));
    if (refocus) this.controls.querySelector<HTMLElement>(refocus)?.focus();

    const said = this.problems;
    this.problems = problems.map((problem) => problem.message);
    for (const problem of problems) if (!said.includes(problem.message)) raise(this, problem);
  }

  // The built-in labels of the element's language, then the site's, then the element's own
  // `label-*`; a name that is no label, or a "Share on" without its {network}, is reported and
  // the one before it kept.
  private chooseLabels(site: Partial<Record<string, string>>, problems: ShareTrackError[]): Labels {
    const labels = { ...labelsFor(languageOf(this)) };
    const take = (name: string, value: string | null | undefined, where: string) => {
      if (value === null || value === undefined) return;
      if (!(labelNames as string[]).includes(name)) {
        problems.push(new ShareTrackError('option_invalid',
          `${where} is no label; the labels are ${labelNames.map(attributeOf).join(' ')}`));
      } else if (name === 'shareOn' && !value.includes('{network}')) {
        problems.push(new ShareTrackError('option_invalid',
          `${where} "${value}" has no {network}: every network's button would have the same name`));
      } else {
        labels[name as LabelName] = value;
      }
    };
    for (const [name, value] of Object.entries(site)) take(name, value, `the site's ${attributeOf(name as LabelName)}`);
    for (const name of labelNames) take(name, this.getAttribute(attributeOf(name)), attributeOf(name));
    return labels;
  }

  // An attribute's value among `allowed` (else the site's, else the first); a value that is none
  // of them is reported and the default used.
  private choice<T extends string>(name: string, allowed: readonly T[], site: string | undefined,
    problems: ShareTrackError[]): T {
    const value = this.getAttribute(name) ?? site;
    if (value === null || value === undefined) return allowed[0];
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(new ShareTrackError('option_invalid', `${name} "${value}" is none of ${allowed.join(', ')}`));
    return allowed[0];
  }

  // A channel's button: its icon and label (`row`), or its icon with the label as its name and
  // tooltip (`icons`).
  private button(channel: ShareChannel, layout: Layout): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.channel = channel;
    button.part.add('button', `button-${channel}`);
    const network = networks.includes(channel as NetworkChannel) ? networkName(channel as NetworkChannel) : null;
    const text = network ?? this.labels[channel as 'native' | 'copy' | 'email'];
    const name = network ? fill(this.labels.shareOn, network) : text;
    button.append(icon(channel));
    if (layout === 'icons') {
      const tip = document.createElement('span');
      tip.className = 'tip';
      tip.setAttribute('aria-hidden', 'true');
      tip.textContent = name;
      button.append(tip);
      button.setAttribute('aria-label', name);
    } else {
      button.append(text);
      if (name !== text) button.setAttribute('aria-label', name);
    }
    button.addEventListener('click', () => void this.share(channel, button));
    return button;
  }

  // One Share button that opens the list of channels below it: Escape, a click outside or focus
  // leaving closes it; the arrow keys move through it; focus returns to the button.
  private compact(channels: ShareChannel[]): HTMLElement[] {
    const trigger = document.createElement('button');
    trigger.type = 'button';
    trigger.className = 'trigger';
    trigger.part.add('button', 'button-share');
    trigger.setAttribute('aria-expanded', 'false');
    trigger.append(icon('native'), this.labels.share);
    const list = document.createElement('div');
    list.className = 'popover';
    list.id = 'sharetrack-list';
    list.part.add('popover');
    list.hidden = true;
    list.append(...channels.map((channel) => this.button(channel, 'row')));
    trigger.setAttribute('aria-controls', list.id);
    const items = () => Array.from(list.querySelectorAll('button'));
    const outside = (event: Event) => {
      if (!event.composedPath().includes(this)) close(false);
    };
    const close = (returnFocus: boolean) => {
      if (list.hidden) return;
      list.hidden = true;
      trigger.setAttribute('aria-expanded', 'false');
      document.removeEventListener('pointerdown', outside, true);
      this.closePopover = null;
      if (returnFocus) trigger.focus();
    };
    trigger.addEventListener('click', () => {
      if (!list.hidden) return close(true);
      list.hidden = false;
      trigger.setAttribute('aria-expanded', 'true');
      document.addEventListener('pointerdown', outside, true);
      this.closePopover = close;
      items()[0]?.focus();
    });
    list.addEventListener('keydown', (event) => {
      const all = items();
      const at = all.indexOf(this.shadowRoot!.activeElement as HTMLButtonElement);
      const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 };
      const to = moves[event.key];
      if (to === undefined) return;
      all[(to + all.length) % all.length]?.focus();
      event.preventDefault();
    });
    // Escape closes it from the list or from its button (Shift+Tab from the first item).
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || list.hidden) return;
      close(true);
      event.preventDefault();
    };
    trigger.addEventListener('keydown', escape);
    list.addEventListener('keydown', escape);
    list.addEventListener('click', () => close(true));
    return [trigger, list];
  }

  // Says `text` under `near` for a few seconds, and to screen readers once.
  private say(text: string, near: HTMLElement): void {
    window.clearTimeout(this.noteTimer);
    const anchor = near.closest('.popover') ? this.controls.querySelector<HTMLElement>('.trigger') ?? near : near;
    // Placed in the element's box from the control's start edge: its left, or its right on a
    // right-to-left page, where the note's arrow is.
    const at = anchor.getBoundingClientRect();
    const box = this.getBoundingClientRect();
    const left = box.left + this.clientLeft;
    const rtl = getComputedStyle(this).direction === 'rtl';
    this.note.style.insetInlineStart = `${rtl ? left + this.clientWidth - at.right : at.left - left}px`;
    this.note.textContent = text;
    // Under the control, or above it when another row of controls lies under it (a wrapped row):
    // the note never covers a button.
    const top = box.top + this.clientTop;
    const wrapped = at.bottom < this.controls.getBoundingClientRect().bottom - 1;
    this.note.classList.toggle('above', wrapped);
    this.note.style.top = `${wrapped ? at.top - top - this.note.offsetHeight : at.bottom - top}px`;
    this.noteTimer = window.setTimeout(() => { this.note.textContent = ''; }, noteMs);
  }

  private shareUrl(): string | null {
    const url = this.getAttribute('url');
    return url ? new URL(url, location.href).toString() : null;
  }

  private shareTitle(): string {
    return this.getAttribute('title') || (this.tracker?.pageTitle() ?? document.title);
  }

  /** Shares through `channel` as a click on its button does. */
  async share(channel: ShareChannel, from?: HTMLElement): Promise<void> {
    // A network's window must open inside the click, before any await, or it is blocked.
    const popup = networks.includes(channel as NetworkChannel) ? window.open('', '_blank') : null;
    const near = from ?? this.controls;
    try {
      if (!this.tracker) throw new ShareTrackError('not_initialized', 'sharetrack.init() has not run');
      const prepared = await this.tracker.prepareShare(this.contentId, channel, this.shareUrl());
      const done = await this.deliver(channel, prepared.url, popup);
      if (!done) return;
      this.tracker.commitShare(prepared, this);
      this.say(channel === 'copy' ? this.labels.copied : this.labels.shared, near);
      this.dispatchEvent(new CustomEvent('sharetrack:share', {
        bubbles: true,
        composed: true,
        detail: { channel, url: prepared.url, token: prepared.token },
      }));
    } catch (error) {
      popup?.close();
      const failure = error instanceof ShareTrackError ? error : new ShareTrackError('share_failed', String(error));
      this.say(failure.code === 'copy_failed' ? this.labels.copyFailed : this.labels.shareFailed, near);
      raise(this, failure);
    }
  }

  // Hands the URL to the share target; false when the visitor cancelled.
  private async deliver(channel: ShareChannel, url: string, popup: Window | null): Promise<boolean> {
    const title = this.shareTitle();
    const text = shareText(title, this.getAttribute('quote') ?? '', this.labels);
    if (channel === 'native') {
      try {
        await navigator.share({ url, title, text });
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
      location.href = emailShareUrl(url, title, text);
      return true;
    }
    const target = networkShareUrl(channel as NetworkChannel, url, text);
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
