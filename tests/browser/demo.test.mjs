// A newcomer's path through the demo: `scripts/demo` starts and prints its URLs; the brand's pages,
// the video, the embedded wall and the dashboard answer, each from its own origin; a share opened
// by a friend who then subscribes shows up in the query API as a counted clickback and a credited
// conversion; Ctrl-C stops it and leaves nothing listening. `scripts/demo --simulate N` fills the
// dashboard with a simulated crowd whose figures equal what it did.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freeStackPort } from '../../demo/stack.mjs';
import { humanUserAgent, root, share, tokenPattern, until } from './harness.mjs';

const token = 'northwind-demo-token-0123456789';
let browser;

/** scripts/demo with `args` on free ports, once it has printed its URLs. */
async function startDemo(args) {
  const port = await freeStackPort();
  const demo = { origin: `http://127.0.0.1:${port}`, wall: `http://127.0.0.1:${port + 1}`,
    collector: `http://127.0.0.1:${port + 2}`, output: '' };
  demo.process = spawn(`${root}scripts/demo`, ['--port', String(port), ...args], { cwd: root, detached: true });
  for (const stream of [demo.process.stdout, demo.process.stderr]) stream.on('data', (chunk) => { demo.output += chunk; });
  await until(() => demo.output.includes('Ctrl-C stops the demo.') || demo.process.exitCode !== null,
    'scripts/demo to print its URLs', 600000);
  assert.ok(demo.output.includes('Ctrl-C stops the demo.'), demo.output);
  demo.api = async (path) => {
    const response = await fetch(`${demo.collector}/v1/sites/northwind/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    return response.json();
  };
  return demo;
}

/** Ctrl-C, as a terminal sends it to the whole process group; resolves to the exit code. */
async function interrupt(demo) {
  const exited = new Promise((resolve) => demo.process.once('exit', (code) => resolve(code)));
  process.kill(-demo.process.pid, 'SIGINT');
  return exited;
}

let demo;
after(async () => {
  await browser?.close();
  if (demo?.process.exitCode === null) process.kill(-demo.process.pid, 'SIGKILL');
});

test('scripts/demo prints the site, the wall, the email link and the dashboard with its token', async () => {
  demo = await startDemo(['--fresh']);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-blink-features=AutomationControlled'] });
  for (const line of [`${demo.origin}/`, `${demo.wall}/`, `${demo.origin}/newsletter.html?sub=`, `${demo.collector}/dashboard/`, token]) {
    assert.ok(demo.output.includes(line), `${line} in:\n${demo.output}`);
  }
});

test('the pages, the video, the embedded wall and the dashboard answer, each from its origin', async () => {
  for (const path of ['/', '/ritual.html', '/stories.html', '/signup.html', '/newsletter.html', '/sharetrack.js',
    '/sharetrack_engine.wasm', '/media/testimonial.webm']) {
    assert.equal((await fetch(`${demo.origin}${path}`)).status, 200, path);
  }
  for (const path of ['/dashboard/', '/dashboard/dashboard.js', '/healthz']) {
    assert.equal((await fetch(`${demo.collector}${path}`)).status, 200, path);
  }
  const stories = await (await fetch(`${demo.origin}/stories.html`)).text();
  assert.ok(stories.includes(`src="${demo.wall}/"`) && stories.includes(`data-embed-origins="${demo.wall}"`));
  assert.ok(stories.includes(`data-collector="${demo.collector}"`));
  for (const path of ['/', '/sharetrack-wall.js', '/wall.css']) {
    const response = await fetch(`${demo.wall}${path}`);
    assert.equal(response.status, 200, `the wall's ${path}`);
    assert.equal(response.headers.get('content-security-policy'), `frame-ancestors ${demo.origin}`);
  }
});

test('a share, a friend who opens it and subscribes: a counted clickback and a credited conversion', async () => {
  const sharer = await browser.newContext({ userAgent: humanUserAgent });
  const page = await sharer.newPage();
  await page.goto(`${demo.origin}/ritual.html`);
  await page.waitForSelector('sharetrack-widget[content-id="ritual/jon"] button[data-channel="copy"]');
  const { url } = await share(page, 'copy', 'ritual/jon');
  assert.match(url, tokenPattern);
  await page.evaluate(() => window.sharetrack('flush'));
  mkdirSync(`${root}build/native/tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${root}build/native/tests/artifacts/demo-ritual.png`, fullPage: true });

  const friend = await browser.newContext({ userAgent: humanUserAgent });
  const landing = await friend.newPage();
  await landing.goto(url);
  await landing.waitForFunction(() => typeof window.sharetrack === 'function' && !('q' in window.sharetrack));
  await landing.evaluate(() => window.sharetrack('flush'));
  await landing.goto(`${demo.origin}/signup.html`);
  await landing.fill('#email', 'friend@example.com');
  await landing.click('#signup button');
  await landing.waitForSelector('#thanks:not([hidden])');
  await landing.evaluate(() => window.sharetrack('flush'));

  const leader = await until(async () => (await demo.api('leaderboard')).rows[0], 'a score on the leaderboard', 20000);
  assert.equal(leader.countedClickbacks, 1);
  const credited = await until(async () => (await demo.api('leaderboard?sort=conversions')).rows[0]?.conversionsInfluenced,
    'the conversion credited', 20000);
  assert.equal(credited, 1);
  await sharer.close();
  await friend.close();
});

test('Ctrl-C stops the demo and leaves nothing listening', async () => {
  assert.equal(await interrupt(demo), 0, demo.output);
  for (const origin of [demo.origin, demo.wall, demo.collector]) await assert.rejects(fetch(`${origin}/`), `${origin} is gone`);
});

test('scripts/demo --simulate fills the dashboard with a crowd whose figures equal what it did', async () => {
  demo = await startDemo(['--simulate', '10']);
  assert.match(demo.output, /all \d+ figures equal the ground truth/, demo.output);
  const overview = await demo.api(`overview?from=${Date.now() - 3600000}&to=${Date.now() + 3600000}`);
  assert.ok(overview.current.shares > 0 && overview.current.countedClickbacks > 0, JSON.stringify(overview.current));
  assert.equal(await interrupt(demo), 0, demo.output);
});
