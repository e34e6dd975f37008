// The real engine module (build/web/wasm) under node: the same landing vectors the C++ tests
// run, and the batch the shell posts. No mock of the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { default: createShareTrackModule } = await import(`${root}build/web/wasm/sharetrack_engine.mjs`);
const engineModule = await createShareTrackModule({
  wasmBinary: readFileSync(`${root}build/web/wasm/sharetrack_engine.wasm`),
});
const vectors = (name) => JSON.parse(readFileSync(`${root}tests/vectors/${name}`, 'utf8'));

const start = 1763769600000;
let seedCounter = 1;
const seed = () => Uint32Array.from({ length: 8 }, (_, i) => seedCounter * 7919 + i);

function open(config, storage, now) {
  seedCounter += 1;
  const engine = new engineModule.Engine(config, seed(), now, true, true);
  if (config.gpc) engine.setPrivacy(true, false);
  if (engine.permissions().store) {
    if (storage.visitor) assert.equal(engine.mergeVisitor(storage.visitor).ok, true);
    if (storage.queue) assert.equal(engine.adoptQueue(storage.queue).ok, true);
  }
  return engine;
}

function persist(engine, storage, now, hiding = false) {
  const plan = engine.takePersist(now, hiding);
  if (plan.erase) storage.visitor = storage.queue = '';
  if (plan.visitor) storage.visitor = engine.visitorSnapshot();
  if (plan.queue) storage.queue = engine.queueSnapshot();
}

const queued = (engine, type) => engine.queueSnapshot().split('\n').filter((l) => l.includes(`"type":"${type}"`)).length;

test('configuration is checked', () => {
  assert.deepEqual(engineModule.checkConfig({ site: 'acme' }), { ok: true });
  const bad = engineModule.checkConfig({ site: 'Acme' });
  assert.equal(bad.ok, false);
  assert.equal(bad.code, 'field_charset');
  assert.equal(engineModule.checkConfig({ site: 'acme', tokenParam: 's t' }).code, 'param_name_invalid');
});

test('landing and share scenario vectors, as in the C++ tests', () => {
  const { page, userAgent, scenarios } = vectors('landings.json');
  for (const scenario of scenarios) {
    const config = { site: 'acme', subscriberParam: scenario.config?.subscriberParam ?? '', gpc: scenario.privacy?.gpc };
    const storage = { visitor: '', queue: '' };
    let now = start;
    let engine = open(config, storage, now);
    let address = '';
    let shared = '';
    const fill = (text) => text.replaceAll('$address', address).replaceAll('$shared', shared);
    for (const step of scenario.steps) {
      const why = `${scenario.why}: ${JSON.stringify(step)}`;
      const expect = step.expect ?? {};
      if (step.do === 'reload') {
        persist(engine, storage, now, true);
        engine.delete();
        engine = open(config, storage, now);
      } else if (step.do === 'advance') {
        now += step.ms;
      } else if (step.do === 'land') {
        const ua = scenario.automation?.userAgent ?? userAgent;
        const landing = engine.land(fill(step.url), 't-42', scenario.automation?.webdriver ?? false, false, ua, now);
        assert.equal(landing.ok, true, why);
        assert.equal(landing.outcome, expect.outcome, why);
        if ('sameAddress' in expect) assert.equal(landing.addressToken === address, expect.sameAddress, why);
        address = landing.addressToken;
        if (expect.addressUrl) assert.equal(landing.addressUrl, fill(expect.addressUrl), why);
        if (expect.tokenError) assert.equal(landing.tokenError.code, expect.tokenError, why);
        if ('self' in expect) assert.equal(engine.queueSnapshot().includes('"self":true'), expect.self, why);
        if (expect.bot) assert.ok(engine.queueSnapshot().includes('"bot":["webdriver"]'), why);
      } else if (step.do === 'share') {
        const pageUrl = expect.untracked ? `${page}?a=1&st=old` : page;
        const share = engine.prepareShare('t-42', step.channel, pageUrl, now);
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
  const engine = new engineModule.Engine({ site: 'acme', flushEvents: 1 }, seed(), start, true, true);
  assert.equal(engine.widgetRendered('t-42', 0, start).ok, true);
  const share = engine.prepareShare('t-42', 'whatsapp', 'https://brand.example/stories/t-42#quote', start);
  assert.match(share.url, /^https:\/\/brand\.example\/stories\/t-42\?st=B[A-Za-z0-9_-]{20}#quote$/);
  assert.equal(engine.commitShare(share, start).recorded, true);
  const batch = engine.nextSend(start, false);
  assert.ok(batch);
  assert.equal(batch.beacon, false);
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
  engine.reportSend(batch.sendId, 'answered', 200, answer, '', start + 50);
  assert.equal(queued(engine, 'share'), 0);
  const later = JSON.parse(engine.nextSend(start + 10000, false).body);  // then the widget's summary
  assert.deepEqual(later.events.map((e) => [e.type, e.shares]), [['summary', { whatsapp: 1 }]]);
  engine.delete();
});

test('an unreadable answer is a failure: the events wait and the engine backs off', () => {
  const engine = new engineModule.Engine({ site: 'acme', flushEvents: 1 }, seed(), start, true, true);
  assert.equal(engine.conversion('signup', 12.5, start).recorded, true);
  const batch = engine.nextSend(start, false);
  assert.equal(JSON.parse(batch.body).events[0].value, 12.5);
  engine.reportSend(batch.sendId, 'answered', 200, '<html>proxy error</html>', '', start);
  assert.equal(queued(engine, 'conversion'), 1);
  assert.ok(engine.nextWakeAt() >= start);
  engine.reportSend(batch.sendId, 'answered', 503, null, '', start);  // stale: changes nothing
  engine.delete();
});

test('bad inputs come back as data with a code', () => {
  const engine = new engineModule.Engine({ site: 'acme' }, seed(), start, true, true);
  assert.equal(engine.land('not a url', 't-42', false, false, 'Mozilla/5.0', start).code, 'url_malformed');
  assert.equal(engine.prepareShare('t 42', 'x', 'https://a.example/', start).code, 'content_invalid');
  assert.equal(engine.prepareShare('t-42', 'myspace', 'https://a.example/', start).code, 'channel_unknown');
  assert.equal(engine.conversion('sign up', 1, start).code, 'conversion_invalid');
  assert.equal(engine.mergeVisitor('garbage').code, 'snapshot_foreign');
  engine.delete();
});
