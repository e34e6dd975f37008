// What the browser tests share: a real collector serving test pages and the built widget, its
// SQLite file read back with the sqlite3 CLI, and Debian's Chromium playing human visitors.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const humanUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const tokenPattern = /[?&]st=(B[A-Za-z0-9_-]{20})(?:&|#|$)/;

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function until(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await condition();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Scripts that break a page's localStorage before anything runs, as browsers and their users do. */
export const brokenStorage = {
  disabled: () => Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('storage is disabled', 'SecurityError'); } }),
  full: () => { Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }; },
};

export class Site {
  /**
   * The collector serving site "acme" on a free port; `settings` join its entry in the sites file,
   * `launch` joins the browser's launch options.
   */
  static async start(settings = {}, launch = {}) {
    const site = new Site();
    site.folder = mkdtempSync(`${tmpdir()}/sharetrack-browser-`);
    mkdirSync(`${site.folder}/static`);
    site.port = await freePort();
    site.origin = `http://127.0.0.1:${site.port}`;
    writeFileSync(`${site.folder}/sites.json`,
      JSON.stringify({ sites: [{ id: 'acme', origins: [site.origin], ...settings }] }));
    for (const file of ['sharetrack.js', 'index.js', 'sharetrack_engine.wasm']) {
      copyFileSync(`${root}web/dist/${file}`, `${site.folder}/static/${file}`);
    }
    await site.startCollector();
    site.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run',
        '--disable-blink-features=AutomationControlled'],
      ...launch,
    });
    return site;
  }

  async startCollector() {
    this.collector = spawn(`${root}build/native/collector/sharetrack-collector`,
      ['--listen', `127.0.0.1:${this.port}`, '--db', `${this.folder}/t.db`, '--sites', `${this.folder}/sites.json`,
        '--static', `${this.folder}/static`], { stdio: ['ignore', 'ignore', 'inherit'] });
    await until(async () => {
      try {
        return (await fetch(`${this.origin}/healthz`)).ok;
      } catch {
        return false;
      }
    }, 'the collector');
  }

  async stopCollector(signal = 'SIGTERM') {
    const exited = new Promise((resolve) => this.collector.once('exit', resolve));
    this.collector.kill(signal);
    await exited;
  }

  async startCollectorIfStopped() {
    if (this.collector.exitCode !== null || this.collector.signalCode !== null) await this.startCollector();
  }

  async close() {
    await this.browser?.close();
    this.collector?.kill('SIGTERM');
    rmSync(this.folder, { recursive: true, force: true });
  }

  /** A testimonial page loading the script-tag build. */
  scriptTagPage(name, { csp = '', quote = '', body = '' } = {}) {
    const policy = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : '';
    this.write(name, `${policy}
<script>window.sharetrack = window.sharetrack || function () { (sharetrack.q = sharetrack.q || []).push(arguments) };</script>
<script src="/sharetrack.js" data-collector="${this.origin}" data-site="acme" defer></script>`,
    `<sharetrack-widget content-id="t-42" url="${this.origin}/${name}" title="Ann on Acme"${quote ? ` quote="${quote}"` : ''}>
<p>Acme changed how we work.</p></sharetrack-widget>${body}`);
  }

  /** A page loading the ES module build with `options` (engine timings shortened for tests). */
  modulePage(name, options, body) {
    const init = JSON.stringify({ collector: this.origin, site: 'acme', ...options });
    this.write(name, `<script type="module">
import * as sharetrack from '/index.js';
sharetrack.init(${init});
window.sharetrack = sharetrack;
</script>`, body);
  }

  write(name, head, body) {
    writeFileSync(`${this.folder}/static/${name}`, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme: what customers say</title>${head}</head>
<body><h1>Testimonials</h1>${body}</body></html>`);
  }

  query(sql) {
    const out = execFileSync('sqlite3', ['-json', `${this.folder}/t.db`, sql], { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }

  async visitor(options = {}) {
    const context = await this.browser.newContext({ userAgent: humanUserAgent, ...options });
    return { context, page: await context.newPage() };
  }
}

/** Clicks a share control and returns the detail of the sharetrack:share event it raised. */
export async function share(tab, channel, content = 't-42') {
  const detail = tab.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:share', (event) => resolve(event.detail), { once: true });
  }));
  await tab.locator(`sharetrack-widget[content-id="${content}"] button[data-channel="${channel}"]`).click();
  return detail;
}
