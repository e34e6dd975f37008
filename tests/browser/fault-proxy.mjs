// The fault layer of the fault matrix: an HTTP proxy between the widget and the real collector that
// answers each batch as the test says (passed on, 500, 503, 429 with Retry-After, held past the
// widget's send timeout, the connection reset before or after the collector stored the batch) and
// logs every batch: when it came, from which visitor, how it was answered. A collector that is down
// (killed) shows through as a reset connection, as it would without the proxy.
import http from 'node:http';

export class FaultProxy {
  /** Listens on a free loopback port in front of the collector at `collector` (an origin). */
  static async start({ collector, hangMs, retryAfterSeconds = 2 }) {
    const proxy = new FaultProxy(new URL(collector), hangMs, retryAfterSeconds);
    await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.origin = `http://127.0.0.1:${proxy.server.address().port}`;
    return proxy;
  }

  constructor(upstream, hangMs, retryAfterSeconds) {
    Object.assign(this, { upstream, hangMs, retryAfterSeconds });
    // (batch) => how to answer it: 'pass' (to the collector and back), '500', '503', '429', 'hang',
    // 'reset' (before the collector sees it) or 'lost-answer' (reset once the collector stored it).
    this.choose = () => 'pass';
    this.log = [];  // { arrivedAt, at (answered), visitor, batch, events, fault, status, retryAfter, agent, beacon }
    this.held = new Set();
    // A page that goes away mid-upload (closed, crashed) aborts its request: nobody waits for an answer.
    this.server = http.createServer((request, response) => this.serve(request, response).catch(() => response.destroy()));
  }

  /** Every batch from now on gets `fault`, or what `chooser(batch)` returns. */
  set(fault) {
    this.choose = typeof fault === 'function' ? fault : () => fault;
  }

  async close() {
    for (const socket of this.held) socket.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async serve(request, response) {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    if (request.method !== 'POST' || !request.url.startsWith('/v1/batch')) return this.forward(request, body, response);

    const batch = readBatch(body);
    const fault = this.choose(batch);
    const entry = { arrivedAt: Date.now(), at: null, visitor: batch.visitor, batch: batch.id, events: batch.events, fault,
      status: null, retryAfter: null, agent: request.headers['user-agent'] ?? '',
      beacon: request.headers['sec-fetch-mode'] === 'no-cors' };  // sendBeacon's; fetch's are cors
    this.log.push(entry);
    const answered = (status, retryAfter = null) => {
      entry.status = status;
      entry.retryAfter = retryAfter;
      entry.at = Date.now();
    };
    if (fault === '500' || fault === '503' || fault === '429') {
      const retryAfter = fault === '429' ? this.retryAfterSeconds : null;
      answered(Number(fault), retryAfter);
      return refuse(request, response, Number(fault), retryAfter);
    }
    if (fault === 'reset') {
      answered('reset');
      return request.socket.destroy();
    }
    if (fault === 'hang') this.hold(request.socket);
    const upstream = await this.forward(request, body, fault === 'pass' ? response : null);
    if (fault === 'lost-answer') request.socket.destroy();  // stored, and the widget never hears it
    answered(fault === 'pass' ? upstream.status : fault, fault === 'pass' ? upstream.retryAfter : null);
  }

  // A hung answer: the connection stays open past the widget's timeout, then drops.
  hold(socket) {
    this.held.add(socket);
    setTimeout(() => {
      this.held.delete(socket);
      socket.destroy();
    }, this.hangMs);
  }

  /** Hands the request to the collector; its answer goes to `response` when there is one. */
  forward(request, body, response) {
    return new Promise((resolve) => {
      const upstream = http.request({ host: this.upstream.hostname, port: this.upstream.port, method: request.method,
        path: request.url, headers: { ...request.headers, host: this.upstream.host } }, (answer) => {
        const status = answer.statusCode;
        const retryAfter = answer.headers['retry-after'] ? Number(answer.headers['retry-after']) : null;
        if (response) {
          response.writeHead(status, answer.headers);
          answer.pipe(response);
        } else {
          answer.resume();
        }
        answer.on('end', () => resolve({ status, retryAfter }));
      });
      upstream.on('error', () => {  // the collector is down: the widget sees a dead connection
        request.socket.destroy();
        resolve({ status: 'down', retryAfter: null });
      });
      upstream.end(body);
    });
  }
}

function readBatch(body) {
  try {
    const batch = JSON.parse(body.toString('utf8'));
    return { visitor: String(batch.visitor), id: String(batch.batch), events: batch.events.length };
  } catch {
    return { visitor: null, id: null, events: 0 };
  }
}

// Answers as a collector or a proxy in front of it would, readable across origins.
function refuse(request, response, status, retryAfter) {
  const headers = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': request.headers.origin ?? '*',
    'Access-Control-Expose-Headers': 'Retry-After' };
  if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
  response.writeHead(status, headers);
  response.end(JSON.stringify({ error: { code: 'fault_injected', message: `the fault proxy answered ${status}` } }));
}
