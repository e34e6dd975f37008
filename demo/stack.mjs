// The demo's running parts, once: the Northwind site, the dashboard and the collector (SQLite) on
// 127.0.0.1:port, and the testimonial service hosting the wall the site embeds on port+1. Used by
// scripts/demo (demo/run-demo.mjs) and by the simulator, which also stops and restarts the
// collector. Needs what scripts/prepare-demo builds.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestimonialService } from './testimonial-service.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const demoSite = 'northwind';
export const demoToken = 'northwind-demo-token-0123456789';

/**
 * Assembles the site and the wall under `folder` and starts them. `fresh` starts from an empty
 * database. Every visitor of the demo comes from this machine's address, so the site does not
 * treat the sharer's own network as suspicious.
 */
export async function startStack({ folder, port, fresh = false }) {
  const origin = `http://127.0.0.1:${port}`;
  const wall = `http://127.0.0.1:${port + 1}`;
  if (fresh) rmSync(folder, { recursive: true, force: true });
  mkdirSync(`${folder}/site`, { recursive: true });
  mkdirSync(`${folder}/wall`, { recursive: true });
  cpSync(`${root}demo/site`, `${folder}/site`, { recursive: true });
  cpSync(`${root}demo/wall`, `${folder}/wall`, { recursive: true });
  for (const file of ['sharetrack.js', 'sharetrack_engine.wasm']) copyFileSync(`${root}web/dist/${file}`, `${folder}/site/${file}`);
  copyFileSync(`${root}web/dist/sharetrack.js`, `${folder}/wall/sharetrack.js`);
  const stories = `${folder}/site/stories.html`;
  writeFileSync(stories, readFileSync(stories, 'utf8').replaceAll('WALL_ORIGIN', wall));
  writeFileSync(`${folder}/sites.json`, JSON.stringify({ sites: [{
    id: demoSite, origins: [origin], accessTokens: [demoToken],
    rateLimit: { batchesPerSecond: 50, burst: 200 },
    scoring: { suspectSharerNetwork: false },
  }] }, null, 1));

  const stack = new Stack(folder, origin, wall);
  await stack.startCollector();
  stack.service = await startTestimonialService({ folder: `${folder}/wall`, port: port + 1, embeddedIn: origin });
  return stack;
}

class Stack {
  constructor(folder, origin, wall) {
    Object.assign(this, { folder, origin, wall, token: demoToken, site: demoSite, collector: null, service: null });
  }

  async startCollector() {
    const log = `${this.folder}/collector.log`;
    const out = openSync(log, 'a');
    const started = statSync(log).size;
    this.collector = spawn(`${root}build/native/collector/sharetrack-collector`, [
      '--listen', new URL(this.origin).host, '--db', `${this.folder}/demo.db`, '--sites', `${this.folder}/sites.json`,
      '--static', `${this.folder}/site`, '--dashboard', `${root}collector/dashboard/dist`,
    ], { stdio: ['ignore', out, out] });
    closeSync(out);
    const said = () => readFileSync(log, 'utf8').slice(started);
    for (let i = 0; i < 200 && !said().includes('"listening"') && this.collector.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!said().includes('"listening"')) {
      await this.stopCollector();
      throw new Error(`the collector did not start (${log}):\n${said()}`);
    }
  }

  async stopCollector() {
    if (!this.collector || this.collector.exitCode !== null) return;
    const exited = new Promise((resolve) => this.collector.once('exit', resolve));
    this.collector.kill('SIGTERM');
    await exited;
  }

  async close() {
    await this.stopCollector();
    await new Promise((resolve) => (this.service ? this.service.close(resolve) : resolve()));
  }
}
