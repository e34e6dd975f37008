// A testimonial wall on a second origin (the demo's testimonial service), embedded with an iframe
// in the brand's page: shares made inside the frame carry the brand page's URL and the brand
// page's visitor; the friend's landing on the brand page is a counted clickback credited to the
// sharer; a frame whose host does not list its origin shares untracked links and says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Site, freePort, root, tokenPattern, until } from './harness.mjs';
import { serveFolder } from '../../demo/static-server.mjs';

const accessToken = 'acme-dashboard-token-0123456789';
let site, wall, wallFolder, wallOrigin;

before(async () => {
  site = await Site.start({ accessTokens: [accessToken], scoring: { suspectSharerNetwork: false } });
  wallFolder = mkdtempSync(`${tmpdir()}/sharetrack-wall-`);
  const wallPort = await freePort();
  wallOrigin = `http://127.0.0.1:${wallPort}`;
  copyFileSync(`${root}web/dist/sharetrack-wall.js`, `${wallFolder}/sharetrack-wall.js`);
  writeFileSync(`${wallFolder}/index.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Acme on a testimonial service</title><script src="/sharetrack-wall.js" defer></script></head><body>
<sharetrack-widget content-id="wall/ann" title="Ann on Acme"><p>Acme changed how we work.</p></sharetrack-widget>
<sharetrack-widget content-id="wall/bo"><p>Support answered in minutes.</p></sharetrack-widget></body></html>`);
  wall = await serveFolder({ folder: wallFolder, port: wallPort,
    headers: { 'Content-Security-Policy': `frame-ancestors ${site.origin}` } });
  const host = (name, embedOrigins) => site.write(name,
    `<script src="/sharetrack.js" data-collector="${site.origin}" data-site="acme"${embedOrigins} defer></script>`,
    `<iframe src="${wallOrigin}/" title="What customers say" allow="clipboard-write" style="width:100%;height:500px;border:0"></iframe>`);
  host('stories.html', ` data-embed-origins="${wallOrigin}"`);
  host('unlisted.html', '');
});

after(async () => {
  await site?.close();
  wall?.close();
  rmSync(wallFolder, { recursive: true, force: true });
});

// The first row of `sql` once there is one.
const row = (sql, what) => until(() => site.query(sql)[0], what, 15000);

async function api(path) {
  const response = await fetch(`${site.origin}/v1/sites/acme/${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
  assert.equal(response.status, 200, path);
  return response.json();
}

// The wall's frame in `tab`, once its widgets have rendered.
async function wallFrame(tab) {
  await tab.waitForSelector('iframe');
  const frame = await until(() => tab.frames().find((f) => f.url().startsWith(wallOrigin)), 'the wall frame');
  await frame.waitForSelector('sharetrack-widget[content-id="wall/ann"] button[data-channel="copy"]');
  return frame;
}

// Shares `content` from inside the frame; the detail of its sharetrack:share event.
async function shareInFrame(frame, content, channel = 'copy') {
  const detail = frame.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:share', (event) => resolve(event.detail), { once: true });
  }));
  await frame.locator(`sharetrack-widget[content-id="${content}"] button[data-channel="${channel}"]`).click();
  return detail;
}

test('a share inside the embedded wall carries the brand page\'s URL; the friend\'s landing there is credited', async () => {
  const sharer = await site.visitor();
  await sharer.page.goto(`${site.origin}/stories.html`);
  const { url, token } = await shareInFrame(await wallFrame(sharer.page), 'wall/ann');
  assert.ok(url.startsWith(`${site.origin}/stories.html?`), url);
  assert.equal(url.match(tokenPattern)?.[1], token);
  // The brand page's storage holds the visitor; the frame stores nothing.
  assert.ok(await sharer.page.evaluate(() => localStorage.length) > 0);
  assert.equal(await (await wallFrame(sharer.page)).evaluate(() => localStorage.length), 0);
  await sharer.page.evaluate(() => window.sharetrack('flush'));
  const stored = await row(`SELECT visitor, content FROM events WHERE type = 'share' AND token = '${token}'`,
    'the share event');
  assert.equal(stored.content, 'wall/ann');

  const friend = await site.visitor();
  await friend.page.goto(url);
  const friendsFrame = await wallFrame(friend.page);
  await friend.page.evaluate(() => window.sharetrack('flush'));
  await row(`SELECT 1 FROM events WHERE type = 'clickback' AND token = '${token}'`, 'the clickback on the brand page');
  assert.doesNotMatch(friend.page.url(), new RegExp(token), 'the sharer\'s token left the friend\'s address bar');
  const reshare = await shareInFrame(friendsFrame, 'wall/ann', 'x');
  await friend.page.evaluate(() => window.sharetrack('flush'));
  const child = await row(`SELECT parent FROM events WHERE token = '${reshare.token}'`, 'the friend\'s share');
  assert.equal(child.parent, token, 'the friend\'s share from the wall continues the sharer\'s cascade');

  const leader = await until(async () => (await api('leaderboard')).rows.find((row) => row.id === stored.visitor),
    'the sharer on the leaderboard', 15000);
  assert.equal(leader.countedClickbacks, 1);
  await sharer.page.evaluate(() => window.sharetrack('flush'));
  await row("SELECT 1 FROM summaries WHERE content = 'wall/bo' AND viewable > 0",
    'a viewable impression reported by the frame');
  await sharer.page.screenshot({ path: `${root}build/native/tests/artifacts/embed-stories.png`, fullPage: true });
  await sharer.context.close();
  await friend.context.close();
});

test('a wall framed by a page that does not list its origin shares untracked links and says why', async () => {
  const { context, page: tab } = await site.visitor();
  await tab.goto(`${site.origin}/unlisted.html`);
  const frame = await wallFrame(tab);
  const refused = frame.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:error', (event) => resolve(event.detail.code), { once: true });
  }));
  const { url, token } = await shareInFrame(frame, 'wall/ann');
  assert.equal(token, '');
  assert.doesNotMatch(url, tokenPattern);
  assert.equal(await refused, 'engine_unavailable');
  await context.close();
});
