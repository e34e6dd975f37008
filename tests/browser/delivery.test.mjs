// The widget over a real visit (issue 6's guarantees): summaries, unload, a collector that goes
// away and comes back, two tabs, broken storage, privacy. ES module build with short timings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Site, brokenStorage, share, tokenPattern, until } from './harness.mjs';

const fast = {
  engine: { flushAgeMs: 200, summaryIntervalMs: 300, persistIntervalMs: 100, backoffBaseMs: 100, backoffMaxMs: 400,
    cooldownAfterFailures: 1000 },
};
const widget = (content, extra = '') =>
  `<sharetrack-widget content-id="${content}" title="Ann on Acme"><p>Testimonial ${content}</p>${extra}</sharetrack-widget>`;
const spacer = '<div style="height: 3000px"></div>';

let site;

before(async () => {
  site = await Site.start();
});

after(() => site?.close());

const count = (sql) => site.query(sql)[0].n;
const ready = (tab) => tab.evaluate(() => window.sharetrack.ready());

test('summaries: in view 2 s then out is viewable, 0.5 s is not', async () => {
  site.modulePage('view.html', fast, `${widget('view-2s')}${spacer}${widget('view-05s')}${spacer}`);
  const { context, page: tab } = await site.visitor({ viewport: { width: 800, height: 600 } });
  await tab.goto(`${site.origin}/view.html`);
  await ready(tab);
  await tab.evaluate(() => window.scrollTo(0, 1500));  // both out of view
  await tab.waitForTimeout(300);
  await tab.locator('sharetrack-widget[content-id="view-2s"]').evaluate((e) => e.scrollIntoView());
  await tab.waitForTimeout(2000);
  await tab.evaluate(() => window.scrollTo(0, 1500));
  await tab.locator('sharetrack-widget[content-id="view-05s"]').evaluate((e) => e.scrollIntoView());
  await tab.waitForTimeout(500);
  await tab.evaluate(() => window.scrollTo(0, 1500));
  await tab.waitForTimeout(400);
  await tab.evaluate(() => window.sharetrack.flush());
  const rows = await until(() => {
    const found = site.query("SELECT content, viewable, dwell_ms FROM summaries WHERE content LIKE 'view-%' ORDER BY content");
    return found.length === 2 ? found : null;
  }, 'both summaries');
  const byContent = Object.fromEntries(rows.map((r) => [r.content, r]));
  assert.equal(byContent['view-2s'].viewable, 1);
  assert.equal(byContent['view-05s'].viewable, 0);
  assert.ok(byContent['view-2s'].dwell_ms >= 1800, `dwell ${byContent['view-2s'].dwell_ms}`);
  await context.close();
});

test('a video watched to 60 % with a seek back reports quartile 2 and the seconds played', async () => {
  site.modulePage('video.html', fast, widget('video-1', '<video></video>'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/video.html`);
  await ready(tab);
  // A 4 s video played by hand: the playhead and its events, as a real one reports them.
  await tab.evaluate(async () => {
    const video = document.querySelector('video');
    let position = 0;
    Object.defineProperty(video, 'currentTime', { get: () => position });
    Object.defineProperty(video, 'duration', { get: () => 4 });
    const play = async (from, to) => {
      for (let step = 0; from + step * 0.2 <= to + 1e-9; step++) {
        position = Math.round((from + step * 0.2) * 100) / 100;
        video.dispatchEvent(new Event('timeupdate'));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await play(0, 2.4);  // to 60 %
    video.dispatchEvent(new Event('seeking'));
    position = 0.4;
    await play(0.4, 0.8);
  });
  await tab.waitForTimeout(400);
  await tab.evaluate(() => window.sharetrack.flush());
  const [row] = await until(() => {
    const found = site.query("SELECT video_quartile, video_watched_ms FROM summaries WHERE content = 'video-1' AND video_watched_ms >= 2500");
    return found.length ? found : null;
  }, 'the video summary');
  assert.equal(row.video_quartile, 2);
  assert.equal(row.video_watched_ms, 2800);  // 0 to 2.4 s, then 0.4 to 0.8 s: the seek adds nothing
  await context.close();
});

test('a share made right before navigating away arrives', async () => {
  site.modulePage('leave.html', { engine: { flushAgeMs: 60000 } }, widget('leave-1'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/leave.html`);
  await ready(tab);
  const { token } = await share(tab, 'copy', 'leave-1');
  await tab.goto('about:blank');  // pagehide: the engine's unload batch goes by beacon
  await until(() => count(`SELECT COUNT(*) AS n FROM events WHERE token = '${token}'`) === 1, 'the share');
  await context.close();
});

test('events queued when a page closes are delivered by the next page load, once', async () => {
  site.modulePage('closed.html', fast, widget('closed-1'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/closed.html`);
  await ready(tab);
  await site.stopCollector();  // nothing this page sends can arrive, not even its last beacon
  const tokens = [];
  for (const channel of ['copy', 'email', 'copy']) tokens.push((await share(tab, channel, 'closed-1')).token);
  await tab.waitForTimeout(300);
  await tab.close();
  await site.startCollector();
  assert.equal(count("SELECT COUNT(*) AS n FROM events WHERE content = 'closed-1'"), 0);
  const next = await context.newPage();
  await next.goto(`${site.origin}/closed.html`);
  await until(() => count(`SELECT COUNT(*) AS n FROM events WHERE type = 'share' AND content = 'closed-1'`) === 3,
    'the three shares');
  await next.waitForTimeout(1000);
  assert.deepEqual(site.query("SELECT token FROM events WHERE type = 'share' AND content = 'closed-1' ORDER BY token")
    .map((r) => r.token), [...tokens].sort());
  await context.close();
});

test('with the collector down and then up every event arrives exactly once', async () => {
  site.modulePage('down.html', fast, widget('down-1'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/down.html`);
  await ready(tab);
  await site.stopCollector();
  const tokens = [];
  for (const channel of ['copy', 'email']) tokens.push((await share(tab, channel, 'down-1')).token);
  await tab.evaluate(() => window.sharetrack.conversion('signup', 12));
  await tab.waitForTimeout(1500);  // several failed attempts
  await site.startCollector();
  await until(() => count("SELECT COUNT(*) AS n FROM events WHERE content = 'down-1' AND type = 'share'") === 2
    && count("SELECT COUNT(*) AS n FROM events WHERE type = 'conversion' AND conversion_value = 12") === 1,
    'the shares and the conversion');
  await tab.waitForTimeout(1000);
  assert.equal(count("SELECT COUNT(*) AS n FROM events WHERE content = 'down-1' AND type = 'share'"), 2);
  await context.close();
});

test('5,000 conversions called in a row: each promise settles, each event is stored once, the tab keeps answering', async () => {
  site.modulePage('burst.html', {}, widget('burst-1'));  // the default queue of 1,000 events
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/burst.html`);
  await ready(tab);
  const run = await tab.evaluate(async () => {
    let beats = 0;
    const beat = setInterval(() => beats++, 10);
    const calls = [];
    for (let i = 0; i < 5000; i++) calls.push(window.sharetrack.conversion('burst', i));
    const outcomes = await Promise.allSettled(calls);
    clearInterval(beat);
    await window.sharetrack.flush();
    return { rejected: outcomes.filter((o) => o.status === 'rejected').length, beats };
  });
  assert.equal(run.rejected, 0);
  assert.ok(run.beats > 0, 'timers ran while the calls were taken');
  await until(() => count("SELECT COUNT(*) AS n FROM events WHERE conversion_name = 'burst'") === 5000, 'all 5,000');
  assert.equal(count("SELECT COUNT(DISTINCT conversion_value) AS n FROM events WHERE conversion_name = 'burst'"), 5000);
  await context.close();
});

test('two tabs of one visitor sharing at once: nothing doubled, nothing lost, one tab closed mid-send', async () => {
  site.modulePage('tabs.html', fast, widget('tabs-1'));
  const { context, page: first } = await site.visitor();
  const second = await context.newPage();
  await Promise.all([first.goto(`${site.origin}/tabs.html`), second.goto(`${site.origin}/tabs.html`)]);
  await Promise.all([ready(first), ready(second)]);
  const shares = await Promise.all([share(first, 'copy', 'tabs-1'), share(second, 'copy', 'tabs-1')]);
  shares.push(await share(first, 'email', 'tabs-1'));
  await second.evaluate(() => window.sharetrack.flush());
  await second.close();  // mid-send
  await first.evaluate(() => window.sharetrack.flush());
  const tokens = shares.map((s) => s.token);
  await until(() => count(`SELECT COUNT(*) AS n FROM events WHERE type = 'share' AND content = 'tabs-1'`) === 3,
    'the three shares');
  assert.deepEqual(site.query("SELECT token FROM events WHERE type = 'share' AND content = 'tabs-1' ORDER BY token")
    .map((r) => r.token), [...tokens].sort());
  const visitors = site.query("SELECT DISTINCT visitor FROM events WHERE content = 'tabs-1'");
  assert.equal(visitors.length, 1, 'one visitor across the tabs');
  await context.close();
});

for (const [why, script] of Object.entries(brokenStorage)) {
  test(`with localStorage ${why} the widget works and nothing crashes`, async () => {
    const content = `storage-${why}`;
    site.modulePage(`${content}.html`, fast, widget(content));
    const { context, page: tab } = await site.visitor();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.addInitScript(script);
    await tab.goto(`${site.origin}/${content}.html`);
    await ready(tab);
    const { url } = await share(tab, 'copy', content);
    assert.match(url, tokenPattern);
    await until(() => count(`SELECT COUNT(*) AS n FROM events WHERE type = 'share' AND content = '${content}'`) === 1,
      'the share');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('with Global Privacy Control nothing is sent and sharing still works', async () => {
  site.modulePage('gpc.html', fast, widget('gpc-1'));
  const { context, page: tab } = await site.visitor();
  const posts = [];
  tab.on('request', (request) => request.url().endsWith('/v1/batch') && posts.push(request.url()));
  await tab.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await tab.goto(`${site.origin}/gpc.html?st=BIAAD6AEjRWeJq83veg0b`);
  await ready(tab);
  const { url, token } = await share(tab, 'copy', 'gpc-1');
  assert.equal(token, '');
  assert.equal(url, `${site.origin}/gpc.html`);
  await tab.evaluate(() => window.sharetrack.flush());
  await tab.waitForTimeout(800);
  assert.deepEqual(posts, []);
  assert.equal(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sharetrack')).length), 0);
  await context.close();
});

test('with consent required nothing is stored or sent before consent, everything after', async () => {
  site.modulePage('consent.html', { ...fast, consentRequired: true }, widget('consent-1'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/consent.html?st=BIAAD6AEjRWeJq83veg0b`);
  await ready(tab);
  const { token } = await share(tab, 'copy', 'consent-1');
  assert.match(token, /^B/);
  await tab.waitForTimeout(800);
  assert.equal(count("SELECT COUNT(*) AS n FROM events WHERE content = 'consent-1'"), 0);
  assert.equal(await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sharetrack')).length), 0);
  await tab.evaluate(() => window.sharetrack.consent(true));
  await until(() => count("SELECT COUNT(*) AS n FROM events WHERE content = 'consent-1' AND type IN ('share', 'clickback')") === 2,
    'the share and the clickback');
  assert.ok(await tab.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('sharetrack'))));
  assert.deepEqual(await context.cookies(), []);  // never a cookie, with consent or without
  await context.close();
});

test('consent granted, withdrawn and granted again: still one storage listener, and shares after it are sent', async () => {
  site.modulePage('consent-again.html', { ...fast, consentRequired: true }, widget('consent-2'));
  const { context, page: tab } = await site.visitor();
  await tab.addInitScript(() => {
    window.storageListeners = 0;
    const add = window.addEventListener;
    window.addEventListener = function (type, ...rest) {
      if (type === 'storage') window.storageListeners += 1;
      return add.call(this, type, ...rest);
    };
  });
  await tab.goto(`${site.origin}/consent-again.html`);
  await ready(tab);
  for (const granted of [true, false, true, true]) await tab.evaluate((g) => window.sharetrack.consent(g), granted);
  assert.equal(await tab.evaluate(() => window.storageListeners), 1);
  await share(tab, 'copy', 'consent-2');
  await tab.evaluate(() => window.sharetrack.flush());
  await until(() => count("SELECT COUNT(*) AS n FROM events WHERE content = 'consent-2' AND type = 'share'") === 1,
    'the share after consent');
  await context.close();
});

test('the page\'s calls reject with a ShareTrackError and a code when the engine refuses them', async () => {
  site.modulePage('refused.html', fast, widget('refused-1'));
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/refused.html`);
  await ready(tab);
  const refusals = await tab.evaluate(async () => {
    const codeOf = (call) => call.then(() => 'resolved', (error) => `${error.name}:${error.code}`);
    return [await codeOf(window.sharetrack.conversion('sign up', 1)),
      await codeOf(window.sharetrack.conversion('signup', Number.NaN)),
      await codeOf(window.sharetrack.conversion(42, 1)),
      await codeOf(window.sharetrack.conversion('signup', '12')),
      await codeOf(window.sharetrack.conversion('signup', 49))];
  });
  assert.deepEqual(refusals, ['ShareTrackError:conversion_invalid', 'ShareTrackError:conversion_invalid',
    'ShareTrackError:conversion_invalid', 'ShareTrackError:conversion_invalid', 'resolved']);
  await context.close();
});

test('a widget whose content id the engine refuses raises sharetrack:error on itself; the others track', async () => {
  site.modulePage('bad-content.html', fast,
    `${widget('bad id with spaces')}${widget('good-1')}`);
  const { context, page: tab } = await site.visitor();
  await tab.addInitScript(() => {
    window.errorsOn = [];
    document.addEventListener('sharetrack:error',
      (event) => window.errorsOn.push([event.target.getAttribute('content-id'), event.detail.code]));
  });
  await tab.goto(`${site.origin}/bad-content.html?st=BIAAD6AEjRWeJq83veg0b`);
  await ready(tab);
  assert.deepEqual(await tab.evaluate(() => window.errorsOn), [['bad id with spaces', 'content_invalid']]);
  assert.doesNotMatch(await tab.evaluate(() => location.search), /BIAAD6AEjRWeJq83veg0b/);  // landed all the same
  await tab.evaluate(() => window.sharetrack.flush());
  await until(() => count("SELECT COUNT(*) AS n FROM events WHERE content = 'good-1' AND type = 'clickback'") === 1,
    'the clickback, landed with the valid widget');
  await context.close();
});
