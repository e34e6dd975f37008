// One visitor's session in headless Chromium, in a browser context of their own: pages opened,
// testimonials read (each reading a stop of STOP_MS with the page still), the video watched, shares
// through the widget's buttons (in the page, or in the embedded wall's frame), the address bar
// copied, a reload, a signup. Every fact goes to the ground truth as it happens.

const STOP_MS = 1500;  // well past the engine's 1 s of continuous view for a viewable impression
const VIEWABLE = 0.5;  // the engine's share of a widget in the viewport
const AMBIGUOUS = 0.1;  // a share this close to VIEWABLE is nudged away before a stop counts

/** The demo's pages: their testimonials in the order they render. */
export const pages = {
  '/': { contents: ['home/priya', 'home/tomas'] },
  '/ritual.html': { contents: ['ritual/ana-video', 'ritual/jon', 'ritual/mei'], video: 'ritual/ana-video' },
  '/stories.html': { contents: ['wall/ines', 'wall/kofi', 'wall/sofie'], framed: true },
  '/newsletter.html': { contents: ['email/november'] },
};

export class BrowserVisit {
  constructor({ browser, stack, truth, visitor, userAgent, storageState }) {
    Object.assign(this, { browser, stack, truth, visitor, userAgent, storageState });
    this.pages = new Set();
  }

  async start() {
    this.context = await this.browser.newContext({ userAgent: this.userAgent, storageState: this.storageState,
      viewport: { width: 1280, height: 720 }, permissions: ['clipboard-read', 'clipboard-write'] });
    // Only the demo's origins: a network's share window is closed, nothing leaves the machine.
    const local = new Set([this.stack.origin, this.stack.wall, this.stack.collector]);
    await this.context.route((url) => !local.has(url.origin), (route) => route.abort());
    this.context.on('page', async (page) => {
      if (await page.opener()) await page.close().catch(() => {});  // a network's share window
    });
  }

  /** Ends the session as closing the tabs does; returns the storage to come back with. */
  async end() {
    for (const page of this.pages) await page.close({ runBeforeUnload: true }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 400));  // the beacons of the last page hides
    const state = await this.context.storageState();
    await this.context.close();
    return state;
  }

  /** Opens `url` in a new tab (or `page`), waits for the landing, and looks at the top. */
  async open(url, page = null) {
    if (!page) {
      page = await this.context.newPage();
      this.pages.add(page);
    }
    await page.goto(url);
    return this.landed(page, url);
  }

  async reload(tab) {
    const url = tab.page.url();
    await tab.page.reload();
    return this.landed(tab.page, url);
  }

  async landed(page, url) {
    const path = new URL(page.url()).pathname;
    const info = pages[path];
    if (!info) return { page, info: null };
    // The engine has landed once the visitor's own token is in the address bar: it replaces any
    // other it came with (one of the visitor's own only when it is already theirs for this page).
    const incoming = new URL(url).searchParams.get('st');
    const kept = incoming !== null && incoming === this.truth.addressToken(this.visitor, info.contents[0]);
    await page.waitForURL((address) => {
      const token = address.searchParams.get('st');
      return token !== null && (token !== incoming || kept);
    }, { timeout: 20000 });
    const frame = info.framed ? await this.wallFrame(page) : null;
    const view = this.truth.landed(this.visitor, { contents: info.contents, url, addressUrl: page.url() });
    const tab = { page, info, frame, view };
    await this.stop(tab);
    return tab;
  }

  async wallFrame(page) {
    for (let i = 0; i < 200; i++) {
      const frame = page.frames().find((f) => f.url().startsWith(this.stack.wall));
      if (frame) {
        await frame.waitForSelector('sharetrack-widget button[data-channel="copy"]', { timeout: 20000 });
        return frame;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the embedded wall never loaded');
  }

  /** Reads `content`: scrolls it to the middle of the window, then a stop. */
  async read(tab, content) {
    const where = tab.frame ?? tab.page;
    await where.locator(`sharetrack-widget[content-id="${content}"]`).evaluate(
      (element) => element.scrollIntoView({ block: 'center', behavior: 'instant' }));
    if (tab.frame) {
      await tab.page.locator('iframe.wall').evaluate((element) => element.scrollIntoView({ block: 'center', behavior: 'instant' }));
    }
    await this.stop(tab);
  }

  // The page held still for STOP_MS: every widget at least half in view is a viewable impression.
  // A share of the viewport close to one half is nudged away first, so the truth is never a coin
  // toss between the measure here and the engine's.
  async stop(tab) {
    const ambiguous = (ratios) => ratios.filter(([, r]) => Math.abs(r - VIEWABLE) < AMBIGUOUS);
    let ratios = await this.ratios(tab);
    for (let nudge = 0; nudge < 12 && ambiguous(ratios).length; nudge++) {
      await tab.page.evaluate((down) => {
        const before = scrollY;
        scrollBy({ top: down ? 45 : -45, behavior: 'instant' });
        if (scrollY === before) scrollBy({ top: down ? -90 : 90, behavior: 'instant' });  // at an end
      }, nudge < 6);
      ratios = await this.ratios(tab);
    }
    if (ambiguous(ratios).length) throw new Error(`no still position leaves ${ambiguous(ratios)[0][0]} clearly in or out of view`);
    await new Promise((resolve) => setTimeout(resolve, STOP_MS));
    for (const [content, ratio] of ratios) if (ratio >= VIEWABLE + AMBIGUOUS) tab.view.viewable.add(content);
  }

  // Each widget's share of the top-level viewport, as IntersectionObserver measures it.
  async ratios(tab) {
    const boxes = (root) => root.evaluate(() => ({
      view: { left: 0, top: 0, right: innerWidth, bottom: innerHeight },
      widgets: [...document.querySelectorAll('sharetrack-widget')].map((element) => {
        const r = element.getBoundingClientRect();
        return { content: element.getAttribute('content-id'), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
      frame: (() => {
        const frame = document.querySelector('iframe.wall');
        if (!frame) return null;
        const r = frame.getBoundingClientRect();
        const left = r.left + frame.clientLeft;
        const top = r.top + frame.clientTop;
        return { left, top, right: left + frame.clientWidth, bottom: top + frame.clientHeight };
      })(),
    }));
    const top = await boxes(tab.page);
    if (!tab.frame) return top.widgets.map((w) => [w.content, ratioIn(w, top.view)]);
    const inner = await boxes(tab.frame);
    const shift = (r) => ({ left: r.left + top.frame.left, top: r.top + top.frame.top,
      right: r.right + top.frame.left, bottom: r.bottom + top.frame.top });
    const clip = intersect(intersect(top.view, top.frame), shift(inner.view));
    return inner.widgets.map((w) => [w.content, ratioIn(shift(w), clip)]);
  }

  /** Plays the testimonial video to its end (`whole`) or to 37.5 %: past the first quartile only. */
  async watch(tab, whole) {
    const content = tab.info.video;
    const video = tab.page.locator(`sharetrack-widget[content-id="${content}"] video`);
    const duration = await video.evaluate((v) => (v.readyState >= 1 ? v.duration
      : new Promise((resolve) => v.addEventListener('loadedmetadata', () => resolve(v.duration), { once: true }))));
    await video.evaluate((v, [whole, until]) => new Promise((resolve, reject) => {
      if (whole) v.addEventListener('ended', resolve, { once: true });
      else v.addEventListener('timeupdate', () => { if (v.currentTime >= until) { v.pause(); resolve(); } });
      v.play().catch(reject);
    }), [whole, duration * 0.375]);
    tab.view.video = { content, started: true, quartile: whole ? 4 : 1 };
  }

  /** Shares `content` through `channel` with its button; returns the link the friends get. */
  async share(tab, content, channel) {
    const where = tab.frame ?? tab.page;
    const detail = where.evaluate(() => new Promise((resolve) => {
      document.addEventListener('sharetrack:share', (event) => resolve(event.detail), { once: true });
    }));
    await where.locator(`sharetrack-widget[content-id="${content}"] button[data-channel="${channel}"]`).click();
    const { url, token } = await detail;
    if (!token) throw new Error(`a share of ${content} through ${channel} carried no token`);
    this.truth.shared(this.visitor, tab.view, { content, channel, token });
    return url;
  }

  /** The link in the address bar, copied as it is: the visitor's own address-bar token. */
  addressBar(tab) {
    return tab.page.url();
  }

  async close(tab) {
    this.pages.delete(tab.page);
    await tab.page.close({ runBeforeUnload: true });
  }

  /** Back on a page without testimonials until the stored queues hold no event: all were sent. */
  async drain() {
    const page = await this.context.newPage();
    this.pages.add(page);
    await page.goto(`${this.stack.origin}/signup.html`);
    await page.waitForFunction(() => typeof window.sharetrack === 'function' && !('q' in window.sharetrack));
    await page.evaluate(() => window.sharetrack('flush'));
    const queued = () => Object.entries(localStorage).filter(([key, value]) => key.includes(':q:') && /\ne /.test(value));
    await page.waitForFunction(`(${queued})().length === 0`, null, { timeout: 90000, polling: 500 }).catch(async () => {
      throw new Error(`${this.visitor}'s events are still queued after 90 s: ${JSON.stringify(await page.evaluate(queued))}`);
    });
  }

  async consent(tab, yes) {
    await tab.page.click(`#remember button[data-consent="${yes ? 'yes' : 'no'}"]`);
  }

  /** Subscribes on the signup page: a conversion worth 24. */
  async signUp(tab) {
    await tab.page.goto(`${this.stack.origin}/signup.html`);
    await tab.page.fill('#email', `${this.visitor}@example.com`);
    await tab.page.click('#signup button');
    await tab.page.waitForSelector('#thanks:not([hidden])');
    this.truth.converted(this.visitor, 24);
  }
}

function intersect(a, b) {
  return { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) };
}

function ratioIn(rect, clip) {
  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  const whole = area(rect);
  return whole ? area(intersect(rect, clip)) / whole : 0;
}
