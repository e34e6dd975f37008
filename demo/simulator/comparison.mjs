// The collector's figures read through its query API, set beside the ground truth's: a table of
// what was compared, and every difference. Visitors are known to the simulator by name and to the
// collector by id: a name's id is the minter the API names for the tokens that visitor minted, and
// that mapping is checked too (each name one id, each id one name).
import { channels, verdictNames } from './ground-truth.mjs';

const EPSILON = 1e-9;

async function api(stack, path) {
  const response = await fetch(`${stack.collector}/v1/sites/${stack.site}/${path}`,
    { headers: { Authorization: `Bearer ${stack.token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The truth's figures and the collector's, compared: { rows, differences }. */
export async function compare(stack, truth) {
  const expected = truth.figures();
  const range = `from=${Date.now() - 86400000}&to=${Date.now() + 86400000}`;  // the simulation ran today
  const rows = [];
  let differences = 0;
  const check = (section, what, want, got) => {
    const same = typeof want === 'number' && typeof got === 'number' ? Math.abs(want - got) <= EPSILON * Math.max(1, Math.abs(want))
      : canonical(want) === canonical(got);
    if (!same) differences += 1;
    rows.push({ section, what, want, got, same });
  };

  // Tokens, and through them each visitor's id.
  const ids = new Map();   // name -> id
  const names = new Map(); // id -> name
  const reports = new Map();
  for (const text of truth.tokens.keys()) {
    const report = await api(stack, `tokens/${text}`).catch(() => null);
    reports.set(text, report);
    const minter = truth.tokens.get(text).minter;
    if (report?.minter) {
      if (ids.has(minter) && ids.get(minter) !== report.minter) check('visitor ids', `${minter} has one id`, ids.get(minter), report.minter);
      if (names.has(report.minter) && names.get(report.minter) !== minter) {
        check('visitor ids', `${report.minter} is one visitor`, names.get(report.minter), minter);
      }
      ids.set(minter, report.minter);
      names.set(report.minter, minter);
    }
  }
  for (const [text, token] of truth.tokens) {
    const report = reports.get(text);
    const want = expected.tokens.get(text) ?? { visitors: 0, verdicts: Object.fromEntries(verdictNames.map((n) => [n, 0])) };
    check('tokens', `${text} (${token.channel}, ${token.content}) minter`, token.minter, names.get(report?.minter) ?? null);
    check('tokens', `${text} unique clickbacks`, want.visitors, report?.visitors ?? null);
    check('tokens', `${text} verdicts`, want.verdicts, report?.verdicts ?? null);
  }

  const overview = (await api(stack, `overview?${range}`)).current;
  for (const [key, want] of Object.entries(expected.overview)) {
    check('site', key, want, key === 'largestCascade' ? overview.largestCascade?.size ?? 0 : overview[key]);
  }
  const verdicts = await api(stack, `verdicts?${range}`);
  const allVerdicts = Object.fromEntries(verdictNames.map((n) => [n, 0]));
  let botPageViews = 0;
  for (const c of expected.contents.values()) {
    for (const n of verdictNames) allVerdicts[n] += c.verdicts[n];
    botPageViews += c.botPageViews;
  }
  for (const n of verdictNames) check('verdicts', n, allVerdicts[n], verdicts.verdicts[n]);
  check('verdicts', 'bot page views', botPageViews, verdicts.botPageViews);

  const byChannel = new Map((await api(stack, `channels?${range}`)).channels.map((c) => [c.channel, c]));
  for (const channel of channels) {
    check('channels', `${channel} shares`, expected.channels[channel].shares, byChannel.get(channel)?.shares);
    check('channels', `${channel} counted clickbacks`, expected.channels[channel].countedClickbacks,
      byChannel.get(channel)?.countedClickbacks);
  }

  const contents = new Map((await api(stack, `contents?${range}`)).contents.map((c) => [c.content, c]));
  for (const [id, want] of expected.contents) {
    const got = contents.get(id);
    const figures = {
      'rendered impressions': [want.renderedImpressions, got?.renderedImpressions],
      'viewable impressions': [want.viewableImpressions, got?.viewableImpressions],
      'video starts': [want.videoStarts, got?.video.starts],
      'video quartiles': [want.quartiles, got?.video.quartiles],
      'shares per channel': [want.shares, got?.shares],
      'counted clickbacks': [want.countedClickbacks, got?.countedClickbacks],
      sharers: [want.sharers, got?.sharers],
      arrivals: [want.arrivals, got?.arrivals],
    };
    for (const [what, [w, g]] of Object.entries(figures)) check('testimonials', `${id} ${what}`, w, g ?? null);
    const theirs = await api(stack, `verdicts?${range}&content=${encodeURIComponent(id)}`);
    check('testimonials', `${id} verdicts`, want.verdicts, theirs.verdicts);
    check('testimonials', `${id} bot page views`, want.botPageViews, theirs.botPageViews);
  }

  const cascades = new Map();
  for (const c of (await api(stack, `cascades?${range}&limit=1000`)).cascades) {
    cascades.set(`${c.content} ${names.get(c.root) ?? c.root}`, c);
  }
  for (const [key, want] of expected.cascades) {
    const got = cascades.get(key);
    cascades.delete(key);
    check('cascades', `${key} size, depth, breadth, ν`, [want.size, want.depth, want.maxBreadth, want.virality],
      got ? [got.size, got.depth, got.maxBreadth, got.virality] : null);
  }
  for (const key of cascades.keys()) check('cascades', `${key} (not in the truth)`, null, 'listed');

  const standing = (s) => [s.score, s.countedClickbacks, s.conversionsInfluenced, s.conversionCredit];
  const leaders = new Map((await api(stack, 'leaderboard?limit=1000')).rows.map((r) => [names.get(r.id) ?? r.id, r]));
  for (const [name, want] of expected.visitors) {
    const got = leaders.get(name);
    leaders.delete(name);
    checkStanding(check, 'scores', name, standing(want), got ? standing(got) : null);
  }
  for (const [name, got] of leaders) if (got.score || got.conversionCredit) check('scores', `${name} (not in the truth)`, null, standing(got));
  const subscribers = new Map((await api(stack, 'leaderboard?by=subscriber&limit=1000')).rows.map((r) => [r.id, r]));
  for (const [id, want] of expected.subscribers) {
    checkStanding(check, 'subscribers', id, standing(want), subscribers.has(id) ? standing(subscribers.get(id)) : null);
  }
  return { rows, differences };
}

// JSON with every object's keys in order, so that only values are compared.
function canonical(value) {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

// Score, counted clickbacks, conversions influenced and credit: doubles to within EPSILON.
function checkStanding(check, section, who, want, got) {
  const close = got && want.every((w, i) => Math.abs(w - got[i]) <= EPSILON * Math.max(1, Math.abs(w)));
  check(section, `${who} score, clickbacks, conversions, credit`, want, close ? want : got);
}

/** The table: one line per section with its count, then every difference in full. */
export function table({ rows, differences }) {
  const sections = new Map();
  for (const row of rows) {
    const s = sections.get(row.section) ?? { compared: 0, differ: 0, samples: [] };
    s.compared += 1;
    if (!row.same) s.differ += 1;
    if (s.samples.length < 3 || !row.same) s.samples.push(row);
    sections.set(row.section, s);
  }
  const show = (value) => (typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(6) : JSON.stringify(value));
  const lines = ['section        compared  differ   e.g. (truth = collector)', '-'.repeat(78)];
  for (const [name, s] of sections) {
    const example = s.samples.find((row) => row.same);
    lines.push(`${name.padEnd(14)} ${String(s.compared).padStart(8)}  ${String(s.differ).padStart(6)}   ` +
      (example ? `${example.what}: ${show(example.want)}` : ''));
  }
  const wrong = rows.filter((row) => !row.same);
  if (wrong.length) {
    lines.push('', 'differences (truth | collector):');
    for (const row of wrong) lines.push(`  ${row.section}: ${row.what}: ${show(row.want)} | ${show(row.got)}`);
  }
  lines.push('', differences ? `${differences} figures differ` : `all ${rows.length} figures equal the ground truth`);
  return lines.join('\n');
}

/** The aggregate figures in full, for a closing note or a curious reader. */
export function summaryTable(rows) {
  const wanted = rows.filter((row) => ['site', 'verdicts', 'channels'].includes(row.section) ||
    (row.section === 'testimonials' && /(rendered|viewable|counted clickbacks|sharers|arrivals)$/.test(row.what)));
  const show = (value) => (typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(4) : JSON.stringify(value));
  return wanted.map((row) => `${row.section.padEnd(13)} ${row.what.padEnd(46)} ${show(row.want).padStart(8)} ` +
    `${show(row.got).padStart(8)}  ${row.same ? 'equal' : 'DIFFERS'}`).join('\n');
}
