// The simulator's ground truth on hand-worked scenarios (no browser): its figures follow DESIGN.md's
// definitions independently of core, so they are checked here against numbers worked by hand, and
// the comparison's table is checked to report a difference when there is one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroundTruth, splitCredit } from '../../demo/simulator/ground-truth.mjs';
import { table } from '../../demo/simulator/comparison.mjs';

const page = 'https://brand.example/stories.html';
const ritual = ['ritual/ana-video', 'ritual/jon', 'ritual/mei'];

// A page view of `contents` reached through `url`; the engine then put `own` in the address bar.
function land(truth, name, url, own, contents = ritual) {
  return truth.landed(name, { contents, url, addressUrl: `${page}?st=${own}` });
}

// Ann shares jon; Bo opens it, shares jon on; Cy opens Bo's link and subscribes; Ann opens Bo's
// link (back into her own cascade), and opens her own (a self-click); a crawler opens Ann's.
function cascadeOfThree() {
  const truth = new GroundTruth();
  for (const name of ['ann', 'bo', 'cy']) truth.visitor(name);
  truth.visitor('crawler', { bot: true });
  const annView = land(truth, 'ann', page, 'ADDR-ANN');
  truth.shared('ann', annView, { content: 'ritual/jon', channel: 'copy', token: 'T-ANN' });
  const boView = land(truth, 'bo', `${page}?st=T-ANN`, 'ADDR-BO');
  truth.shared('bo', boView, { content: 'ritual/jon', channel: 'x', token: 'T-BO' });
  land(truth, 'cy', `${page}?st=T-BO`, 'ADDR-CY');
  truth.converted('cy', 24);
  land(truth, 'ann', `${page}?st=T-BO`, 'ADDR-ANN');
  land(truth, 'ann', `${page}?st=T-ANN`, 'ADDR-ANN');
  land(truth, 'crawler', `${page}?st=T-ANN`, 'ADDR-BOT');
  return truth;
}

test('verdicts: counted, own chain, self and bot, by token', () => {
  const { tokens } = cascadeOfThree().figures();
  assert.deepEqual(tokens.get('T-ANN').verdicts, { counted: 1, duplicate: 0, self: 1, own_chain: 0, bot: 1, waiting: 0, suspicious: 0 });
  assert.equal(tokens.get('T-ANN').visitors, 2, 'bo and ann herself; the crawler is no visitor');
  assert.deepEqual(tokens.get('T-BO').verdicts, { counted: 1, duplicate: 0, self: 0, own_chain: 1, bot: 0, waiting: 0, suspicious: 0 });
});

test('scores halve up the chain and a conversion is split up it to its whole value', () => {
  const { visitors, overview } = cascadeOfThree().figures();
  // Ann: bo's clickback at level 0, cy's at level 1. Bo: cy's at level 0.
  assert.equal(visitors.get('ann').score, 1.5);
  assert.equal(visitors.get('ann').countedClickbacks, 1);
  assert.equal(visitors.get('bo').score, 1);
  // Cy's conversion of 24 goes through T-BO: bo 2/3 of it, ann 1/3.
  assert.equal(visitors.get('bo').conversionCredit, 16);
  assert.equal(visitors.get('ann').conversionCredit, 8);
  assert.equal(visitors.get('ann').conversionsInfluenced, 1);
  assert.equal(overview.creditedConversions, 1);
  assert.equal(overview.reshares, 1, "bo's share continues ann's link");
});

test('the cascade: size, depth, breadth and ν of a path of three', () => {
  const { cascades, contents } = cascadeOfThree().figures();
  assert.deepEqual(cascades.get('ritual/jon ann'), { size: 3, depth: 2, maxBreadth: 1, virality: 4 / 3 });
  assert.equal(contents.get('ritual/jon').arrivals, 2);
  assert.equal(cascades.size, 1);
});

test('engagement: one summary per page view and testimonial; a bot\'s apart', () => {
  const { contents } = cascadeOfThree().figures();
  assert.equal(contents.get('ritual/mei').renderedImpressions, 5, 'five human page views');
  assert.equal(contents.get('ritual/mei').botPageViews, 1);
  assert.equal(contents.get('ritual/jon').sharers, 2);
  assert.deepEqual(contents.get('ritual/jon').shares, { copy: 1, x: 1 });
});

test('a reload through one\'s own address-bar token and a second open of the same link send nothing', () => {
  const truth = new GroundTruth();
  truth.visitor('ann');
  truth.visitor('bo');
  const view = land(truth, 'ann', page, 'ADDR-ANN');
  truth.shared('ann', view, { content: 'ritual/mei', channel: 'email', token: 'T-ANN' });
  land(truth, 'ann', `${page}?st=ADDR-ANN`, 'ADDR-ANN');
  land(truth, 'bo', `${page}?st=T-ANN`, 'ADDR-BO');
  land(truth, 'bo', `${page}?st=T-ANN`, 'ADDR-BO');
  assert.equal(truth.clickbacks.length, 1);
  // Bo arrived through ann's link at every testimonial of the page: his share of another continues it.
  truth.shared('bo', truth.pageViews.at(-1), { content: 'ritual/jon', channel: 'copy', token: 'T-BO' });
  assert.equal(truth.shares.at(-1).parent, 'T-ANN');
  assert.equal(truth.tokens.get('T-BO').depth, 1);
});

test('credit is split in whole micros that add up, as core splits it', () => {
  assert.deepEqual(splitCredit(70e6, 3), [40e6, 20e6, 10e6]);
  assert.deepEqual(splitCredit(5, 1), [5]);
  for (const [total, levels] of [[24e6, 3], [1, 4], [999999, 7], [10285713, 5]]) {
    const parts = splitCredit(total, levels);
    assert.equal(parts.reduce((a, b) => a + b, 0), total);
    for (let k = 1; k < levels; k++) assert.ok(parts[k] <= parts[k - 1] + 1);
  }
});

test('the table names every difference and says how many', () => {
  const rows = [
    { section: 'scores', what: 'ann score', want: 1.5, got: 1.5, same: true },
    { section: 'scores', what: 'bo score', want: 1, got: 0.5, same: false },
  ];
  const text = table({ rows, differences: 1 });
  assert.match(text, /scores\s+2\s+1/);
  assert.match(text, /scores: bo score: 1 \| 0\.500000/);
  assert.match(text, /1 figures differ/);
  assert.match(table({ rows: rows.slice(0, 1), differences: 0 }), /all 1 figures equal the ground truth/);
});
