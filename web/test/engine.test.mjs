// The real engine module (build/web/wasm) under node: the same landing vectors the C++ tests
// run, the batch the shell posts, and what the boundary refuses. No mock of the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { default: createShareTrackModule } = await import(`${root}build/web/wasm/sharetrack_engine.mjs`);
const engineModule = await createShareTrackModule({
  wasm: readFileSync(`${root}build/web/wasm/sharetrack_engine.wasm`),
});
const vectors = (name) => JSON.parse(readFileSync(`${root}tests/vectors/${name}`, 'utf8'));

const start = 1763769600000;
const human = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
let seedCounter = 1;
const seed = () => Uint32Array.from({ length: 8 }, (_, i) => seedCounter * 7919 + i);

function create(config, now = start) {
  seedCounter += 1;
  const created = engineModule.createEngine(config, seed(), now, true, true);
  assert.equal(created.ok, true, JSON.stringify(created));
  return engineModule.engineOf(created.engine);
}

function open(config, storage, now) {
  const engine = create(config, now);
  if (config.gpc) engine.setPrivacy(true, false);
  if (engine.permissions().store) {
    if (storage.visitor) assert.equal(engine.mergeVisitor(storage.visitor, now).ok, true);
    for (const piece of storage.queue) assert.equal(engine.adoptQueue(piece, now).ok, true);
  }
  return engine;
}

function persist(engine, storage, now, hiding = false) {
  const plan = engine.takePersist(now, hiding);
  assert.equal(plan.ok, true);
  if (plan.erase) [storage.visitor, storage.queue] = ['', []];
  if (plan.visitor) storage.visitor = engine.visitorSnapshot();
  if (plan.queue) storage.queue = storedQueue(engine);
}

// The pieces of the engine's queue as storage would hold them, each written as the engine says.
const storedPieces = new WeakMap();
function storedQueue(engine) {
  const pieces = storedPieces.get(engine) ?? new Map();
  storedPieces.set(engine, pieces);
  for (const { name, text } of engine.takeQueueWrites()) {
    if (text) pieces.set(name, text);
    else pieces.delete(name);
  }
  return [...pieces.values()];
}

const queued = (engine, type) => storedQueue(engine).join('\n').split('\n').filter((l) => l.includes(`"type":"${type}"`)).length;
const landing = (url, content = 't-42') => ({ url, content, webdriver: false, prerendering: false, userAgent: human });

function nextBatch(engine, now) {
  const next = engine.nextSend(now, false);
  assert.equal(next.ok, true);
  return next.batch;
}

test('the configuration is checked: names, types and ranges, with the engine\'s defaults for the rest', () => {
  assert.equal(engineModule.createEngine({ site: 'acme' }, seed(), start, true, true).ok, true);
  const refused = (config) => engineModule.createEngine(config, seed(), start, true, true).code;
  assert.equal(refused({ site: 'Acme' }), 'field_charset');
  assert.equal(refused({}), 'field_missing');
  assert.equal(refused({ site: 'acme', tokenParam: 's t' }), 'param_name_invalid');
  assert.equal(refused({ site: 'acme', flushEvents: '3' }), 'field_type');
  for (const bad of [NaN, Infinity, -1, 2.5]) assert.equal(refused({ site: 'acme', flushEvents: bad }), 'field_type');
  assert.equal(refused({ site: 'acme', flushEvents: 0 }), 'field_range');  // the engine's own rule
  assert.equal(refused({ site: 'acme', utm: 'yes' }), 'field_type');
  // Absent and undefined keys keep the defaults, the token parameter "st" among them.
  const engine = create({ site: 'acme', tokenParam: undefined, utm: undefined });
  const share = engine.prepareShare({ content: 't-42', channel: 'copy', url: 'https://a.example/p' }, start);
  assert.match(share.url, /^https:\/\/a\.example\/p\?st=B[A-Za-z0-9_-]{20}$/);
  engine.delete();
});

test('numbers crossing the boundary are whole, finite and not negative, or refused with a code', () => {
  for (const bad of [NaN, Infinity, -1, 1.5, 2 ** 53 + 2]) {
    assert.equal(engineModule.createEngine({ site: 'acme' }, seed(), bad, true, true).code, 'field_range', `now ${bad}`);
  }
  assert.equal(engineModule.createEngine({ site: 'acme' }, new Uint32Array(4), start, true, true).code, 'field_type');
  assert.equal(engineModule.createEngine({ site: 'acme' }, [1, 2, 3, 4, 5, 6, 7, -8], start, true, true).code,
    'field_type');
  const engine = create({ site: 'acme' });
  for (const bad of [NaN, -Infinity, -5, 0.5]) {
    assert.equal(engine.input(bad).code, 'field_range');
    assert.equal(engine.takePersist(bad, false).code, 'field_range');
    assert.equal(engine.nextSend(bad, false).code, 'field_range');
    assert.equal(engine.widgetRendered('t-42', bad, start).code, 'field_range');
    assert.equal(engine.viewport('t-42', 0, 1, bad).code, 'field_range');
  }
  assert.equal(engine.reportSend({ sendId: -1, kind: 'network_error' }, start).code, 'field_type');
  assert.equal(engine.reportSend({ sendId: 1, kind: 'lost' }, start).code, 'field_range');
  assert.equal(engine.reportSend({ kind: 'network_error' }, start).code, 'field_missing');
  assert.equal(engine.input(start).ok, true);
  engine.delete();
});

test('landing and share scenario vectors, as in the C++ tests', () => {
  const { page, userAgent, scenarios } = vectors('landings.json');
  for (const scenario of scenarios) {
    const config = { site: 'acme', subscriberParam: scenario.config?.subscriberParam, gpc: scenario.privacy?.gpc };
    const storage = { visitor: '', queue: [] };
    let now = start;
    const { gpc, ...engineConfig } = config;
    let engine = open({ ...engineConfig, gpc }, storage, now);
    let address = '';
    let shared = '';
    const fill = (text) => text.replaceAll('$address', address).replaceAll('$shared', shared);
    for (const step of scenario.steps) {
      const why = `${scenario.why}: ${JSON.stringify(step)}`;
      const expect = step.expect ?? {};
      if (step.do === 'reload') {
        persist(engine, storage, now, true);
        engine.delete();
        engine = open({ ...engineConfig, gpc }, storage, now);
      } else if (step.do === 'advance') {
        now += step.ms;
      } else if (step.do === 'land') {
        const result = engine.land({
          url: fill(step.url),
          content: 't-42',
          webdriver: scenario.automation?.webdriver ?? false,
          prerendering: false,
          userAgent: scenario.automation?.userAgent ?? userAgent,
        }, now);
        assert.equal(result.ok, true, why);
        assert.equal(result.outcome, expect.outcome, why);
        if ('sameAddress' in expect) assert.equal(result.addressToken === address, expect.sameAddress, why);
        address = result.addressToken;
        if (expect.addressUrl) assert.equal(result.addressUrl, fill(expect.addressUrl), why);
        if (expect.tokenError) assert.equal(result.tokenError.code, expect.tokenError, why);
        if ('self' in expect) assert.equal(storedQueue(engine).join('\n').includes('"self":true'), expect.self, why);
        if (expect.bot) assert.ok(storedQueue(engine).join('\n').includes('"bot":["webdriver"]'), why);
      } else if (step.do === 'render') {
        assert.equal(engine.widgetRendered(step.content, 1, now).recorded, true, why);
      } else if (step.do === 'share') {
        const url = expect.untracked ? `${page}?a=1&st=old` : page;
        const share = engine.prepareShare({ content: step.content ?? 't-42', channel: step.channel, url }, now);
        assert.equal(share.ok, true, why);
        if (expect.untracked) {
          assert.equal(share.token, '', why);
          assert.equal(share.url, expect.url, why);
          assert.equal(engine.commitShare(share, now).recorded, false, why);
          continue;
        }
        assert.equal(share.parent, expect.parent, why);
        assert.equal(share.url, `${page}?st=${share.token}`, why);
        assert.equal(engine.commitShare(share, now).recorded, true, why);
        shared = share.token;
      } else if (step.do === 'expectQueued') {
        assert.equal(queued(engine, 'clickback'), step.clickbacks ?? 0, why);
        if ('shares' in step) assert.equal(queued(engine, 'share'), step.shares, why);
      }
      persist(engine, storage, now);
    }
    engine.delete();
  }
});

test('a share becomes a batch the shell can post, and the answer empties the queue', () => {
  const engine = create({ site: 'acme', flushEvents: 1 });
  assert.equal(engine.widgetRendered('t-42', 0, start).recorded, true);
  const share = engine.prepareShare({ content: 't-42', channel: 'whatsapp',
    url: 'https://brand.example/stories/t-42#quote' }, start);
  assert.match(share.url, /^https:\/\/brand\.example\/stories\/t-42\?st=B[A-Za-z0-9_-]{20}#quote$/);
  assert.equal(engine.commitShare(share, start).recorded, true);
  const batch = nextBatch(engine, start);
  assert.ok(batch);
  assert.equal(batch.beacon, false);
  assert.equal(batch.keepalive, true);
  const body = JSON.parse(batch.body);
  assert.equal(body.v, 1);
  assert.equal(body.site, 'acme');
  assert.match(body.visitor, /^[0-9a-f]{32}$/);
  assert.equal(body.events.length, 1);
  assert.deepEqual(
    { type: body.events[0].type, channel: body.events[0].channel, token: body.events[0].token, id: body.events[0].id },
    { type: 'share', channel: 'whatsapp', token: share.token, id: share.eventId },
  );
  const answer = { v: 1, batch: body.batch, results: [{ id: share.eventId, status: 'accepted' }] };
  assert.equal(engine.reportSend({ sendId: batch.sendId, kind: 'answered', status: 200, body: answer }, start + 50).ok,
    true);
  assert.equal(queued(engine, 'share'), 0);
  const later = JSON.parse(nextBatch(engine, start + 10000).body);  // then the widget's summary
  assert.deepEqual(later.events.map((e) => [e.type, e.shares]), [['summary', { whatsapp: 1 }]]);
  engine.delete();
});

test('keepalive is decided by the engine on the batch\'s UTF-8 bytes, under the 16 KB quota', () => {
  const engine = create({ site: 'acme', flushEvents: 1000 });
  for (let i = 0; i < 200; i++) assert.equal(engine.conversion(`signup.step-${i}`, i, start).ok, true);
  engine.flush();
  const large = nextBatch(engine, start);
  assert.ok(Buffer.byteLength(large.body) > 16 * 1024);
  assert.equal(large.keepalive, false);
  engine.reportSend({ sendId: large.sendId, kind: 'network_error' }, start);
  engine.delete();

  const small = create({ site: 'acme', flushEvents: 1 });
  small.conversion('signup', 1, start);
  const batch = nextBatch(small, start);
  assert.ok(Buffer.byteLength(batch.body) <= 16 * 1024);
  assert.equal(batch.keepalive, true);
  small.delete();
});

test('an unreadable answer is a failure: the events wait, and a late report for the send changes nothing', () => {
  const engine = create({ site: 'acme', flushEvents: 1 });
  assert.equal(engine.conversion('signup', 12.5, start).recorded, true);
  const batch = nextBatch(engine, start);
  assert.equal(JSON.parse(batch.body).events[0].value, 12.5);
  engine.reportSend({ sendId: batch.sendId, kind: 'answered', status: 200, body: '<html>proxy error</html>' }, start);
  assert.equal(queued(engine, 'conversion'), 1);
  const wake = engine.nextWakeAt();
  assert.ok(wake >= start);
  const snapshot = storedQueue(engine).join('\n');
  // The send is over: a second report for it (a 503 arriving late) neither drops nor delays anything.
  assert.equal(engine.reportSend({ sendId: batch.sendId, kind: 'answered', status: 503 }, start).ok, true);
  assert.equal(engine.nextWakeAt(), wake);
  assert.equal(storedQueue(engine).join('\n'), snapshot);
  engine.delete();
});

test('an answer that breaks the protocol\'s rules acknowledges nothing, whoever parsed it', () => {
  const engine = create({ site: 'acme', flushEvents: 1 });
  engine.conversion('signup', 1, start);
  const batch = nextBatch(engine, start);
  const { batch: batchId, events: [event] } = JSON.parse(batch.body);
  const bad = { v: 1, batch: batchId, results: [{ id: `${event.id} and more`, status: 'accepted' }] };
  engine.reportSend({ sendId: batch.sendId, kind: 'answered', status: 200, body: bad }, start);
  assert.equal(queued(engine, 'conversion'), 1);
  const retry = nextBatch(engine, engine.nextWakeAt());
  const good = { v: 1, batch: JSON.parse(retry.body).batch, results: [{ id: event.id, status: 'accepted' }] };
  engine.reportSend({ sendId: retry.sendId, kind: 'answered', status: 200, body: good }, start);
  assert.equal(queued(engine, 'conversion'), 0);
  engine.delete();
});

test('bad inputs come back as data with a code', () => {
  const engine = create({ site: 'acme' });
  assert.equal(engine.land(landing('not a url'), start).code, 'url_malformed');
  assert.equal(engine.land({ url: 'https://a.example/' }, start).code, 'field_missing');
  assert.equal(engine.land(landing('https://a.example/', 't 42'), start).code, 'content_invalid');
  assert.equal(engine.widgetRendered('t 42', 0, start).code, 'content_invalid');
  const share = (content, channel) => engine.prepareShare({ content, channel, url: 'https://a.example/' }, start);
  assert.equal(share('t 42', 'x').code, 'content_invalid');
  assert.equal(share('t-42', 'myspace').code, 'channel_unknown');
  assert.equal(share('t-42', 'addressbar').code, 'channel_not_shareable');
  assert.equal(engine.conversion('sign up', 1, start).code, 'conversion_invalid');
  assert.throws(() => engine.conversion(42, 1, start), { name: 'BindingError' });  // the shell checks types first
  assert.equal(engine.conversion('signup', NaN, start).code, 'conversion_invalid');
  assert.equal(engine.mergeVisitor('garbage', start).code, 'snapshot_foreign');
  assert.equal(engine.commitShare({ content: 't-42' }, start).code, 'field_missing');
  engine.delete();
});

test('permissions say why tracking is held, by core\'s names', () => {
  const pending = create({ site: 'acme', consentRequired: true });
  assert.deepEqual(pending.permissions(), { record: true, store: false, send: false, hold: 'consent_pending' });
  pending.setConsent(true);
  assert.equal(pending.permissions().hold, 'none');
  pending.setPrivacy(true, false);
  assert.equal(pending.permissions().hold, 'global_privacy_control');
  pending.delete();
});

test('tampered snapshot vectors, as in the C++ tests: out-of-range state is refused whole', () => {
  const { now, visitor, queue } = vectors('tampered_snapshots.json');
  for (const v of visitor) {
    const engine = create({ site: 'acme' }, now);
    const merged = engine.mergeVisitor(v.text, now);
    assert.equal(merged.ok, v.accepted, v.why);
    if (!v.accepted) assert.equal(merged.code, 'snapshot_corrupt', v.why);
    engine.delete();
  }
  for (const v of queue) {
    const engine = create({ site: 'acme' }, now);
    const adopted = engine.adoptQueue(v.text, now);
    assert.equal(adopted.ok, v.accepted, v.why);
    if (!v.accepted) {
      assert.equal(adopted.code, 'snapshot_corrupt', v.why);
    } else {
      assert.equal(adopted.adopted, v.adopted, v.why);
    }
    if (v.sent) {
      engine.flush();
      const body = JSON.parse(nextBatch(engine, now).body);
      assert.deepEqual(body.events.map((e) => e.id), v.sent, v.why);
      assert.equal(body.dropped.rejected.batch_too_large, v.droppedTooLarge, v.why);
    }
    engine.delete();
  }
});
