// The demo's running parts, each on its own origin as a brand would run them: the Northwind site on
// 127.0.0.1:port, the testimonial service hosting the wall the site embeds on port+1, and the
// collector (SQLite) with the dashboard on port+2. Used by scripts/demo (demo/run-demo.mjs) and by
// the simulator, which also stops and restarts the collector while the site stays up. Needs what
// scripts/prepare-demo builds.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, cpSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync }
  from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveFolder } from './static-server.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const demoSite = 'northwind';
export const demoToken = 'northwind-demo-token-0123456789';

/** A port whose next two are free too: a stack takes three. */
export async function freeStackPort() {
  const free = (port) => new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if (await free(port) && await free(port + 1) && await free(port + 2)) return port;
  }
}

/**
 * Assembles the site and the wall under `folder` and starts all three. `fresh` starts from an
 * empty database. Every visitor of the demo comes from this machine's address, so the site does
 * not treat the sharer's own network as suspicious.
 */
export async function startStack({ folder, port, fresh = false }) {
  const origin = `http://127.0.0.1:${port}`;
  const wall = `http://127.0.0.1:${port + 1}`;
  const collector = `http://127.0.0.1:${port + 2}`;
  if (fresh) rmSync(folder, { recursive: true, force: true });
  mkdirSync(`${folder}/site`, { recursive: true });
  mkdirSync(`${folder}/wall`, { recursive: true });
  cpSync(`${root}demo/site`, `${folder}/site`, { recursive: true });
  cpSync(`${root}demo/wall`, `${folder}/wall`, { recursive: true });
  for (const file of ['sharetrack.js', 'sharetrack_engine.wasm']) copyFileSync(`${root}web/dist/${file}`, `${folder}/site/${file}`);
  copyFileSync(`${root}web/dist/sharetrack-wall.js`, `${folder}/wall/sharetrack-wall.js`);
  for (const page of readdirSync(`${folder}/site`).filter((name) => name.endsWith('.html'))) {
    const file = `${folder}/site/${page}`;
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('WALL_ORIGIN', wall).replaceAll('COLLECTOR_ORIGIN', collector));
  }
  writeFileSync(`${folder}/sites.json`, JSON.stringify({ sites: [{
    id: demoSite, origins: [origin], accessTokens: [demoToken],
    rateLimit: { batchesPerSecond: 50, burst: 200 },
    scoring: { suspectSharerNetwork: false },
  }] }, null, 1));

  const stack = new Stack(folder, { origin, wall, collector });
  await stack.startCollector();
  stack.servers = [await serveFolder({ folder: `${folder}/site`, port }),
    await serveFolder({ folder: `${folder}/wall`, port: port + 1, headers: { 'Content-Security-Policy': `frame-ancestors ${origin}` } })];
  return stack;
}

class Stack {
  constructor(folder, origins) {
    Object.assign(this, { folder, ...origins, token: demoToken, site: demoSite, process: null, servers: [] });
  }

  async startCollector() {
    const log = `${this.folder}/collector.log`;
    const out = openSync(log, 'a');
    const started = statSync(log).size;
    this.process = spawn(`${root}build/native/collector/sharetrack-collector`, [
      '--listen', new URL(this.collector).host, '--db', `${this.folder}/demo.db`, '--sites', `${this.folder}/sites.json`,
      '--dashboard', `${root}collector/dashboard/dist`,
    ], { stdio: ['ignore', out, out] });
    closeSync(out);
    const said = () => readFileSync(log, 'utf8').slice(started);
    for (let i = 0; i < 200 && !said().includes('"listening"') && this.process.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!said().includes('"listening"')) {
      await this.stopCollector();
      throw new Error(`the collector did not start (${log}):\n${said()}`);
    }
  }

  async stopCollector() {
    if (!this.process || this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
  }

  async close() {
    await this.stopCollector();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    })));
  }
}
