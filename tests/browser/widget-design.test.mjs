// The widget as a brand's designer and its visitors meet it: chosen channels, the three layouts
// with the keyboard and a screen reader's names, labels in the page's language, right-to-left
// pages; and a screenshot of each layout in light and dark at 1280 and 390 px for people to look
// at (build/screenshots/widget/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { Site, root } from './harness.mjs';

let site;
let origin;
const screenshots = `${root}build/screenshots/widget`;

const script = (data = '') =>
  `<script src="/sharetrack.js" data-collector="${'ORIGIN'}" data-site="acme" ${data} defer></script>`;

// A page whose widgets are `widgets` (markup), loading the script tag with `data` attributes.
function page(name, widgets, { data = '', lang = 'en', dir = 'ltr', style = '' } = {}) {
  site.write(name, `<meta name="viewport" content="width=device-width, initial-scale=1">
${script(data).replace('ORIGIN', origin)}
<style>
  :root { color-scheme: light dark; font: 16px/1.5 system-ui, sans-serif; }
  body { margin: 2rem; background: #fbfaf7; color: #1d1d1f; }
  @media (prefers-color-scheme: dark) { body { background: #17171a; color: #ededf0; } }
  section { max-width: 40rem; margin: 0 0 2.5rem; }
  h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .08em; opacity: .6; }
  ${style}
</style>`, `<main lang="${lang}" dir="${dir}">${widgets}</main>`);
}

const widget = (attributes, quote = 'Acme changed how we work: every order now ships the same day.') =>
  `<sharetrack-widget content-id="t-42" title="Ann on Acme" quote="${quote}" ${attributes}></sharetrack-widget>`;

before(async () => {
  site = await Site.start();
  origin = site.origin;
  page('channels.html', widget('channels="linkedin copy email"'));
  page('unknown.html', widget('channels="copy myspace linkedin fax"'));
  page('site-channels.html', widget('') + widget('channels="x"'), { data: 'data-channels="email copy"' });
  page('icons.html', widget('layout="icons"'));
  page('compact.html', `${widget('layout="compact"')}<p><a href="#after">after the widget</a></p>`);
  page('german.html', widget('layout="compact"'), { lang: 'de' });
  page('override.html', widget('label-copy="Link teilen" label-copied="Kopiert!" label-share-on="Bei {network} posten"'),
    { lang: 'de' });
  page('site-labels.html', widget('') + widget('label-share-on="Share"'),
    { data: 'data-label-copy="Grab the link" data-label-coppy="Copy"' });
  page('long-quote.html', widget('layout="compact"', `${'Great 👍🏽 coffee. '.repeat(30)}`));
  page('rtl.html', widget('layout="compact"'), { lang: 'ar', dir: 'rtl' });
  for (const layout of ['row', 'icons', 'compact']) {
    page(`gallery-${layout}.html`, ['mono', 'brand'].map((theme) =>
      `<section><h2>${layout}, ${theme}</h2>${widget(`layout="${layout}" theme="${theme}"`)}</section>`).join(''));
  }
});

after(() => site?.close());

// What a screen reader would read for each control: its role's name, in order.
const names = (tab) => tab.evaluate(() => Array.from(
  document.querySelector('sharetrack-widget').shadowRoot.querySelectorAll('.controls > button, .popover button'),
  (b) => ({ channel: b.dataset.channel ?? 'share', name: b.getAttribute('aria-label') ?? b.textContent.trim() })));

const errors = (tab) => tab.addInitScript(() => {
  window.shareTrackErrors = [];
  document.addEventListener('sharetrack:error', (event) =>
    window.shareTrackErrors.push(`${event.detail.code}: ${event.detail.message}`));
});

test('a widget shows the channels it names, in their order; the site chooses for the others', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${origin}/channels.html`);
  assert.deepEqual(await names(tab), [{ channel: 'linkedin', name: 'Share on LinkedIn' },
    { channel: 'copy', name: 'Copy link' }, { channel: 'email', name: 'Email' }]);
  // The row with the keyboard: Tab goes through the buttons in their order, Enter uses one.
  await tab.evaluate(() => window.sharetrack('ready'));
  const focused = () => tab.evaluate(() =>
    document.querySelector('sharetrack-widget').shadowRoot.activeElement?.dataset.channel ?? null);
  await tab.keyboard.press('Tab');
  assert.equal(await focused(), 'linkedin');
  await tab.keyboard.press('Tab');
  assert.equal(await focused(), 'copy');
  await tab.keyboard.press('Enter');
  await tab.waitForFunction(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('[role=status]').textContent === 'Link copied');
  assert.equal(await focused(), 'copy');
  await tab.goto(`${origin}/site-channels.html`);
  const both = await tab.evaluate(() => Array.from(document.querySelectorAll('sharetrack-widget'),
    (w) => Array.from(w.shadowRoot.querySelectorAll('button'), (b) => b.dataset.channel)));
  assert.deepEqual(both, [['email', 'copy'], ['x']]);
  await context.close();
});

test('unknown channels raise one sharetrack:error naming them, and the rest render', async () => {
  const { context, page: tab } = await site.visitor();
  await errors(tab);
  await tab.goto(`${origin}/unknown.html`);
  await tab.waitForFunction(() => window.shareTrackErrors.length > 0);
  assert.deepEqual((await names(tab)).map((n) => n.channel), ['copy', 'linkedin']);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const raised = await tab.evaluate(() => window.shareTrackErrors);
  assert.equal(raised.length, 1, raised.join('\n'));
  assert.match(raised[0], /^channel_unknown: no share channel is called myspace, fax;/);
  await context.close();
});

test('icons only: each button is named for screen readers and shows its name on hover and focus', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${origin}/icons.html`);
  const read = await names(tab);
  assert.deepEqual(read.filter((n) => n.channel !== 'native'), [
    { channel: 'copy', name: 'Copy link' }, { channel: 'x', name: 'Share on X' },
    { channel: 'facebook', name: 'Share on Facebook' }, { channel: 'linkedin', name: 'Share on LinkedIn' },
    { channel: 'whatsapp', name: 'Share on WhatsApp' }, { channel: 'email', name: 'Email' }]);
  const tip = (channel) => tab.evaluate((c) => getComputedStyle(document.querySelector('sharetrack-widget')
    .shadowRoot.querySelector(`[data-channel="${c}"] .tip`)).opacity, channel);
  assert.equal(await tip('linkedin'), '0');
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('[data-channel="copy"]').focus());
  await tab.keyboard.press('Tab');
  await tab.waitForTimeout(200);
  assert.equal(await tip('x'), '1');
  // Nothing but the icon and the hidden tooltip inside each button: no visible text.
  const shown = await tab.evaluate(() => Array.from(document.querySelector('sharetrack-widget').shadowRoot
    .querySelectorAll('button'), (b) => Array.from(b.childNodes, (n) => n.nodeName === 'svg' ? 'svg'
      : n.nodeType === Node.ELEMENT_NODE && n.getAttribute('aria-hidden') === 'true' ? 'tip' : 'text').join(' ')));
  assert.ok(shown.length > 0 && shown.every((s) => s === 'svg tip'), shown.join(', '));
  await context.close();
});

test('compact: the Share button opens the list, arrows move, Escape closes and focus returns', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${origin}/compact.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const state = () => tab.evaluate(() => {
    const shadow = document.querySelector('sharetrack-widget').shadowRoot;
    return { expanded: shadow.querySelector('.trigger').getAttribute('aria-expanded'),
      open: !shadow.querySelector('.popover').hidden, focused: shadow.activeElement?.dataset.channel
        ?? shadow.activeElement?.className ?? null };
  });
  await tab.keyboard.press('Tab');
  assert.deepEqual(await state(), { expanded: 'false', open: false, focused: 'trigger' });
  await tab.keyboard.press('Enter');
  const first = (await state()).focused;
  assert.deepEqual(await state(), { expanded: 'true', open: true, focused: first });
  assert.ok(first === 'native' || first === 'copy', first);
  await tab.keyboard.press('ArrowDown');
  await tab.keyboard.press('ArrowUp');
  assert.equal((await state()).focused, first);
  await tab.keyboard.press('End');
  assert.equal((await state()).focused, 'email');
  await tab.keyboard.press('Escape');
  assert.deepEqual(await state(), { expanded: 'false', open: false, focused: 'trigger' });
  // Escape from the button itself (Shift+Tab from the first item) closes it too.
  await tab.keyboard.press('Enter');
  await tab.keyboard.press('Shift+Tab');
  assert.deepEqual(await state(), { expanded: 'true', open: true, focused: 'trigger' });
  await tab.keyboard.press('Escape');
  assert.deepEqual(await state(), { expanded: 'false', open: false, focused: 'trigger' });
  // A click outside closes it; so does focus moving past its last item to the page.
  await tab.keyboard.press('Enter');
  assert.equal((await state()).open, true);
  await tab.mouse.click(5, 5);
  assert.equal((await state()).open, false);
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('.trigger').focus());
  await tab.keyboard.press('Enter');
  await tab.keyboard.press('End');
  await tab.keyboard.press('Tab');
  assert.equal(await tab.evaluate(() => document.activeElement.textContent), 'after the widget');
  assert.equal((await state()).open, false);
  // A choice shares, closes the list, returns focus, and says so near the button.
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('.trigger').focus());
  await tab.keyboard.press('Enter');
  const shared = tab.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:share', (event) => resolve(event.detail.channel), { once: true });
  }));
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('.popover [data-channel="copy"]').focus());
  await tab.keyboard.press('Enter');
  assert.equal(await shared, 'copy');
  assert.deepEqual(await state(), { expanded: 'false', open: false, focused: 'trigger' });
  const note = await tab.evaluate(() => {
    const shadow = document.querySelector('sharetrack-widget').shadowRoot;
    const status = shadow.querySelector('[role=status]');
    const near = shadow.querySelector('.trigger').getBoundingClientRect();
    const box = status.getBoundingClientRect();
    return { text: status.textContent, below: box.top >= near.bottom, close: box.top - near.bottom < 40 };
  });
  assert.deepEqual(note, { text: 'Link copied', below: true, close: true });
  await tab.waitForFunction(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('[role=status]').textContent === '', null, { timeout: 8000 });
  await context.close();
});

test('labels follow the page\'s lang, and an attribute replaces one', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${origin}/german.html`);
  const read = await names(tab);
  assert.equal(read[0].name, 'Teilen');
  assert.deepEqual(read.filter((n) => ['copy', 'linkedin', 'email'].includes(n.channel)).map((n) => n.name),
    ['Link kopieren', 'Auf LinkedIn teilen', 'E-Mail']);
  assert.equal(await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('.controls').getAttribute('aria-label')), 'Diese Erfahrung teilen');
  await tab.goto(`${origin}/override.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const overridden = await names(tab);
  assert.equal(overridden.find((n) => n.channel === 'copy').name, 'Link teilen');
  assert.equal(overridden.find((n) => n.channel === 'x').name, 'Bei X posten');
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('[data-channel="copy"]').click());
  await tab.waitForFunction(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('[role=status]').textContent === 'Kopiert!');
  await context.close();
});

test('the site\'s labels apply to every widget; a label that is none, or a "Share on" without {network}, is refused once', async () => {
  const { context, page: tab } = await site.visitor();
  await errors(tab);
  await tab.goto(`${origin}/site-labels.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const read = await tab.evaluate(() => Array.from(document.querySelectorAll('sharetrack-widget'), (w) => {
    const button = (c) => w.shadowRoot.querySelector(`[data-channel="${c}"]`);
    return [button('copy').textContent, button('linkedin').getAttribute('aria-label')];
  }));
  assert.deepEqual(read, [['Grab the link', 'Share on LinkedIn'], ['Grab the link', 'Share on LinkedIn']]);
  // A render for another reason (the quote changed) says nothing again.
  await tab.evaluate(() => document.querySelectorAll('sharetrack-widget')[1].setAttribute('quote', 'Still great.'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const raised = (await tab.evaluate(() => window.shareTrackErrors)).sort();
  assert.deepEqual(raised, [
    'option_invalid: label-share-on "Share" has no {network}: every network\'s button would have the same name',
    ...Array(2).fill(`option_invalid: the site's label-coppy is no label; the labels are ${['group', 'share', 'native',
      'copy', 'share-on', 'email', 'copied', 'shared', 'copy-failed', 'share-failed', 'quote-open', 'quote-close']
      .map((n) => `label-${n}`).join(' ')}`),
  ].sort());
  await context.close();
});

// The text the compact widget of `pageName` sends to X (the network's page answered locally).
async function textSentToX(pageName) {
  const { context, page: tab } = await site.visitor();
  await context.route('https://x.com/**', (route) => route.fulfill({ body: 'the network' }));
  await tab.goto(`${origin}/${pageName}`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const opened = tab.waitForEvent('popup');
  await tab.evaluate(() => {
    const shadow = document.querySelector('sharetrack-widget').shadowRoot;
    shadow.querySelector('.trigger').click();
    shadow.querySelector('.popover [data-channel="x"]').click();
  });
  const popup = await opened;
  await popup.waitForURL(/x\.com/);
  const text = new URL(popup.url()).searchParams.get('text');
  await context.close();
  return text;
}

test('the share text carries the quote in the language\'s quotation marks', async () => {
  assert.equal(await textSentToX('german.html'),
    '„Acme changed how we work: every order now ships the same day.“ — Ann on Acme');
});

test('a long quote is cut between characters to fit an X post with the title', async () => {
  const text = await textSentToX('long-quote.html');
  assert.ok(Array.from(text).length <= 250, `${Array.from(text).length} characters`);
  assert.match(text, /^“Great 👍🏽 coffee\. Great/u);
  assert.match(text, /…” — Ann on Acme$/u);
  assert.ok(text.isWellFormed(), 'no half character');
});

test('on a right-to-left page the list opens from the right and the controls run right to left', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${origin}/rtl.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const box = await tab.evaluate(() => {
    const host = document.querySelector('sharetrack-widget');
    const shadow = host.shadowRoot;
    shadow.querySelector('.trigger').click();
    const list = shadow.querySelector('.popover').getBoundingClientRect();
    const trigger = shadow.querySelector('.trigger').getBoundingClientRect();
    const hostBox = host.getBoundingClientRect();
    return { listRight: Math.round(list.right), hostRight: Math.round(hostBox.right),
      triggerRight: Math.round(trigger.right) };
  });
  assert.equal(box.listRight, box.hostRight);
  assert.equal(box.triggerRight, box.hostRight);
  // The note after a copy starts at the button's right edge, where its arrow points.
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('.popover [data-channel="copy"]').click());
  await tab.waitForFunction(() => document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('[role=status]').textContent !== '');
  const noteRight = await tab.evaluate(() => Math.round(document.querySelector('sharetrack-widget').shadowRoot
    .querySelector('[role=status]').getBoundingClientRect().right));
  assert.equal(noteRight, box.triggerRight);
  await context.close();
});

test('the note never covers a button: under the control, above it when the row wraps below', async () => {
  for (const [name, width, side] of [['channels.html', 1280, 'under'], ['gallery-row.html', 390, 'above']]) {
    const { context, page: tab } = await site.visitor({ viewport: { width, height: 640 } });
    await tab.goto(`${origin}/${name}`);
    await tab.evaluate(() => window.sharetrack('ready'));
    await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('[data-channel="copy"]').click());
    await tab.waitForFunction(() => document.querySelector('sharetrack-widget').shadowRoot
      .querySelector('[role=status]').textContent !== '');
    const seen = await tab.evaluate(() => {
      const shadow = document.querySelector('sharetrack-widget').shadowRoot;
      const note = shadow.querySelector('[role=status]').getBoundingClientRect();
      const copy = shadow.querySelector('[data-channel="copy"]').getBoundingClientRect();
      const covered = Array.from(shadow.querySelectorAll('button'), (b) => b.getBoundingClientRect())
        .filter((b) => b.left < note.right && note.left < b.right && b.top < note.bottom && note.top < b.bottom);
      const gap = note.top >= copy.bottom ? note.top - copy.bottom : copy.top - note.bottom;
      return { side: note.top >= copy.bottom ? 'under' : 'above', covered: covered.length, near: gap >= 0 && gap < 16 };
    });
    assert.deepEqual(seen, { side, covered: 0, near: true }, `${width} px`);
    await context.close();
  }
});

test('in forced colours every icon takes its button\'s system colour, the networks\' colours included', async () => {
  const { context, page: tab } = await site.visitor({ forcedColors: 'active' });
  for (const layout of ['row', 'compact']) {
    await tab.goto(`${origin}/gallery-${layout}.html`);
    const mismatched = await tab.evaluate(() => {
      const brand = document.querySelectorAll('sharetrack-widget')[1].shadowRoot;
      brand.querySelector('.trigger')?.click();
      return Array.from(brand.querySelectorAll('button[data-channel]'), (b) =>
        [b.dataset.channel, getComputedStyle(b).color, getComputedStyle(b.querySelector('svg')).color])
        .filter(([, button, svg]) => button !== svg);
    });
    assert.deepEqual(mismatched, [], layout);
  }
  await context.close();
});

test('touch screens get targets of at least 44 px', async () => {
  const { context, page: tab } = await site.visitor({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  await tab.goto(`${origin}/icons.html`);
  const sizes = await tab.evaluate(() => Array.from(document.querySelector('sharetrack-widget').shadowRoot
    .querySelectorAll('button'), (b) => { const r = b.getBoundingClientRect(); return Math.min(r.width, r.height); }));
  assert.ok(sizes.length > 0 && sizes.every((s) => s >= 44), sizes.join(', '));
  await context.close();
});

test('screenshots of each layout, light and dark, at 1280 and 390 px', async () => {
  mkdirSync(screenshots, { recursive: true });
  for (const layout of ['row', 'icons', 'compact']) {
    for (const colorScheme of ['light', 'dark']) {
      for (const width of [1280, 390]) {
        const { context, page: tab } = await site.visitor({ colorScheme, viewport: { width, height: 640 },
          ...(width < 500 ? { hasTouch: true, isMobile: true } : {}) });
        await tab.goto(`${origin}/gallery-${layout}.html`);
        await tab.evaluate(() => window.sharetrack('ready'));
        // As a visitor sees them after a click: the first widget's note, the second's list open
        // (compact) or tooltip showing (icons).
        await tab.evaluate(() => {
          const [first, second] = document.querySelectorAll('sharetrack-widget');
          first.shadowRoot.querySelector('[data-channel="copy"], .trigger').click();
          if (first.shadowRoot.querySelector('.trigger')) first.shadowRoot.querySelector('.popover [data-channel="copy"]').click();
          second.shadowRoot.querySelector('.trigger')?.click();
        });
        if (layout === 'icons') await tab.locator('sharetrack-widget >> nth=1').locator('[data-channel="linkedin"]').hover();
        await tab.waitForTimeout(300);
        await tab.screenshot({ path: `${screenshots}/${layout}-${colorScheme}-${width}.png` });
        await context.close();
      }
    }
  }
});
