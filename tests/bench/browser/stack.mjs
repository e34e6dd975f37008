// The servers of the side-by-side benchmark, each on its own loopback origin: the brand's pages
// and scripts, the real collector for ShareTrack (behind a counting pass-through), and a sink that
// answers Snowplow and PostHog as their services would. Every request the trackers make to the
// collector or the sink lands in one Traffic log, counted in the bytes the browser sent.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { serveFolder } from '../../../demo/static-server.mjs';
import { freePort, root, until } from '../../browser/harness.mjs';

/** What the trackers sent since the last reset(). */
export class Traffic {
  constructor() {
    this.reset();
  }

  reset() {
    this.requests = 0;
    this.bytes = 0;
    this.benchIds = new Set();  // ids, as a retried batch carries its events again
    this.queueOverflow = 0;
    this.lastAt = Date.now();
  }

  /** Distinct bench events delivered. */
  get delivered() {
    return this.benchIds.size;
  }

  // The request line and headers as they came over the wire (each name with ": ", each value with
  // CRLF, and the blank line), plus the body.
  record(request, body) {
    const head = `${request.method} ${request.url} HTTP/${request.httpVersion}\r\n`.length
      + request.rawHeaders.reduce((sum, text) => sum + text.length + 2, 0) + 2;
    this.requests += 1;
    this.bytes += head + body.length;
    this.lastAt = Date.now();
  }

  /** Resolves once nothing was sent for `quietMs` counted from this call (or after `capMs`). */
  async settle(quietMs, capMs) {
    const since = Date.now();
    while (Date.now() - Math.max(this.lastAt, since) < quietMs && Date.now() - since < capMs) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** The brand's site: the pages and every tracker's files, from `folder`. */
export async function startPages(folder) {
  const port = await freePort();
  const server = await serveFolder({ folder, port });
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** sharetrack-collector for site "bench" on `pageOrigin`, reached through a pass-through that counts. */
export async function startCollector(folder, pageOrigin, traffic) {
  writeFileSync(`${folder}/sites.json`, JSON.stringify({ sites: [{ id: 'bench', origins: [pageOrigin],
    rateLimit: { batchesPerSecond: 1000000, burst: 1000000 } }] }));
  const port = await freePort();
  const child = spawn(`${root}build/native/collector/sharetrack-collector`,
    ['--listen', `127.0.0.1:${port}`, '--db', `${folder}/bench.db`, '--sites', `${folder}/sites.json`],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  process.once('exit', () => child.kill('SIGTERM'));  // should the bench itself be stopped
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, 'the collector');

  const agent = new Agent({ keepAlive: true });
  const proxy = createServer(async (request, response) => {
    const body = await readBody(request);
    traffic.record(request, body);
    countShareTrackBatch(body, traffic);
    const upstream = httpRequest({ host: '127.0.0.1', port, agent, method: request.method, path: request.url,
      headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  });
  const origin = await listen(proxy);
  return {
    origin,
    async close() {
      proxy.close();
      agent.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// A batch's bench conversions, and the events its header says the queue had to drop.
function countShareTrackBatch(body, traffic) {
  try {
    const batch = JSON.parse(body.toString('utf8'));
    for (const event of batch.events) if (event.type === 'conversion' && event.name === 'bench') traffic.benchIds.add(event.id);
    traffic.queueOverflow += batch.dropped?.queueOverflow ?? 0;
  } catch {
    // not a batch (a preflight, /healthz)
  }
}

// What the sink answers, by path: Snowplow's collector takes events at /com.snowplowanalytics.snowplow/tp2;
// PostHog loads its remote config (a script), asks its flags, then posts events.
const snowplowPath = '/com.snowplowanalytics.snowplow/tp2';
const posthogEventPaths = ['/e/', '/i/v0/e/', '/batch/'];

/** Where the trackers' event posts go: not counted in their weight. */
export function isEventPost(url) {
  const path = new URL(url).pathname;
  return path === '/v1/batch' || path === snowplowPath || posthogEventPaths.includes(path);
}

/** Snowplow's and PostHog's service on loopback; `unknown` collects what else was asked for. */
export async function startSink(traffic) {
  const unknown = new Set();
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    traffic.record(request, body);
    const url = new URL(request.url, 'http://sink');
    const cors = {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? '',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Max-Age': '3600',
    };
    const answer = (status, type, text) => {
      response.writeHead(status, { ...cors, 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
      response.end(text);
    };
    if (request.method === 'OPTIONS') return answer(204, 'text/plain', '');
    if (url.pathname === snowplowPath) {
      for (const id of snowplowBenchIds(body)) traffic.benchIds.add(id);
      return answer(200, 'text/plain', 'ok');
    }
    if (posthogEventPaths.includes(url.pathname)) {
      for (const id of posthogBenchIds(body)) traffic.benchIds.add(id);
      return answer(200, 'application/json', '{"status":1}');
    }
    if (url.pathname === '/flags/') return answer(200, 'application/json', '{"flags":{},"errorsWhileComputingFlags":false}');
    if (url.pathname === '/array/phc_bench/config.js') return answer(200, 'text/javascript', posthogConfig);
    unknown.add(`${request.method} ${url.pathname}`);
    return answer(404, 'text/plain', 'not found');
  });
  const origin = await listen(server);
  return { origin, unknown, close: () => server.close() };
}

// PostHog's remote config as its service sends it, with nothing turned on but the compression the
// service always offers (without it, PostHog posts base64 JSON instead of gzip).
const posthogConfig = `(window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {}).phc_bench =
  { config: { supportedCompression: ['gzip', 'gzip-js'] }, siteApps: [] };`;

function snowplowBenchIds(body) {
  try {
    return JSON.parse(body.toString('utf8')).data.filter((event) => event.se_ac === 'bench').map((event) => event.eid);
  } catch {
    return [];
  }
}

// PostHog posts JSON gzip'd (fetch, no query parameter saying so), as a base64 `data` form field
// (its beacons as the page hides), or plain.
function posthogBenchIds(body) {
  try {
    let text;
    if (body[0] === 0x1f && body[1] === 0x8b) text = gunzipSync(body).toString('utf8');
    else if (body.toString('latin1').startsWith('data=')) {
      const form = new URLSearchParams(body.toString('utf8'));
      text = Buffer.from(form.get('data'), 'base64').toString('utf8');
    } else text = body.toString('utf8');
    const events = [JSON.parse(text)].flat().flatMap((item) => item.batch ?? [item]);
    return events.filter((event) => event.event === 'bench').map((event) => event.uuid);
  } catch {
    return [];
  }
}
