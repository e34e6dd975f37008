// What the simulated visitors did, as the simulator saw it, and the figures that follow from it by
// the definitions of DESIGN.md ("Words", "Scores"): computed here from scratch, independently of
// core's incremental ScoreBook, so that comparing the two checks the collector.
//
// Order: every fact gets the next number of one counter. Only the order of one visitor's own facts
// matters (a visitor's earliest join), and a visitor acts one step at a time.

const chainFactor = 0.5;  // the demo site's scoring settings: the defaults
const chainLevels = 10;
const burstLimit = 10;
const maxDepth = 31;
export const channels = ['native', 'copy', 'x', 'facebook', 'linkedin', 'whatsapp', 'email', 'addressbar'];
export const verdictNames = ['counted', 'duplicate', 'self', 'own_chain', 'bot', 'waiting', 'suspicious'];

export class GroundTruth {
  constructor() {
    this.at = 0;
    this.visitors = new Map();  // name -> Visitor
    this.tokens = new Map();    // text -> { text, minter, content, channel, depth, at }
    this.shares = [];           // { visitor, content, channel, token, parent, at }
    this.clickbacks = [];       // { visitor, token, at }
    this.pageViews = [];        // { visitor, contents, viewable: Set, video: { content, quartile, started }, shared: Set }
    this.conversions = [];      // { visitor, value, at }
  }

  visitor(name, { bot = false } = {}) {
    if (!this.visitors.has(name)) {
      this.visitors.set(name, { name, bot, subscriber: null, arrivals: new Map(), addressTokens: new Map(),
        clicked: new Set(), minted: new Set() });
    }
    return this.visitors.get(name);
  }

  /**
   * A page view of `contents` (in the order the page renders them), reached through `url`; the
   * address bar then showed `addressUrl`. Returns the page view, for what happens in it.
   */
  landed(name, { contents, url, addressUrl, tokenParam = 'st' }) {
    const v = this.visitors.get(name);
    const via = new URL(url).searchParams.get(tokenParam);
    const [landing] = contents;
    if (via && via !== v.addressTokens.get(landing)) {
      const self = v.minted.has(via);
      if (!v.clicked.has(via)) {  // the engine's dedupe window outlasts any simulation
        v.clicked.add(via);
        this.clickbacks.push({ visitor: name, token: via, at: ++this.at });
      }
      // Every testimonial the page shows is reached through the link (not through one's own).
      if (!self) for (const content of contents) if (!v.arrivals.has(content)) v.arrivals.set(content, via);
    }
    const own = new URL(addressUrl).searchParams.get(tokenParam);
    if (own && own !== v.addressTokens.get(landing)) {
      v.addressTokens.set(landing, own);
      this.mint(v, { text: own, content: landing, channel: 'addressbar', parent: v.arrivals.get(landing) });
    }
    const view = { visitor: name, contents, viewable: new Set(), video: null, shared: new Set() };
    this.pageViews.push(view);
    return view;
  }

  /** The visitor's address-bar token for a page whose first testimonial is `content`, if any. */
  addressToken(name, content) {
    return this.visitors.get(name).addressTokens.get(content) ?? null;
  }

  shared(name, view, { content, channel, token }) {
    const v = this.visitors.get(name);
    const parent = v.arrivals.get(content) ?? null;
    this.mint(v, { text: token, content, channel, parent });
    this.shares.push({ visitor: name, content, channel, token, parent, at: this.at });
    view.shared.add(content);
  }

  converted(name, value) {
    this.conversions.push({ visitor: name, value, at: ++this.at });
  }

  subscribed(name, subscriber) {
    this.visitors.get(name).subscriber = subscriber;
  }

  mint(v, { text, content, channel, parent }) {
    const depth = parent ? Math.min(this.tokens.get(parent).depth + 1, maxDepth) : 0;
    this.tokens.set(text, { text, minter: v.name, content, channel, depth, at: ++this.at });
    v.minted.add(text);
  }

  // ---- the figures ----

  figures() {
    const human = (name) => !this.visitors.get(name).bot;
    const trees = this.trees();
    const nodeOf = (content, name) => trees.get(content)?.get(name);
    const isAncestor = (content, ancestor, of) => {
      for (let at = nodeOf(content, of)?.parent; at; at = nodeOf(content, at).parent) if (at === ancestor) return true;
      return false;
    };
    const chainOf = (token) => {
      const chain = [];
      for (let at = token.minter; at && chain.length < chainLevels; at = nodeOf(token.content, at).parent) chain.push(at);
      return chain;
    };

    const tokens = new Map();
    const visitors = new Map();
    const standing = (name) => {
      if (!visitors.has(name)) {
        visitors.set(name, { score: 0, countedClickbacks: 0, conversionsInfluenced: 0, conversionCredit: 0, levels: [] });
      }
      return visitors.get(name);
    };
    const contents = new Map();
    const content = (id) => {
      if (!contents.has(id)) {
        contents.set(id, { renderedImpressions: 0, viewableImpressions: 0, videoStarts: 0, quartiles: [0, 0, 0, 0],
          shares: {}, countedClickbacks: 0, sharers: new Set(), arrivals: 0, botPageViews: 0,
          verdicts: Object.fromEntries(verdictNames.map((name) => [name, 0])) });
      }
      return contents.get(id);
    };
    const overview = { shares: 0, reshares: 0, pageViewsWithShare: 0, countedClickbacks: 0, conversions: 0,
      conversionValue: 0, creditedConversions: 0, creditedValue: 0, largestCascade: 0 };
    const byChannel = Object.fromEntries(channels.map((name) => [name, { shares: 0, countedClickbacks: 0 }]));

    // Clickbacks: each one's verdict, the token's report, the chain's points.
    const counted = new Map();  // visitor -> their counted clickbacks, in their order
    for (const click of this.clickbacks) {
      const token = this.tokens.get(click.token);
      const verdict = !human(click.visitor) ? 'bot'
        : !token ? 'waiting'
          : token.minter === click.visitor ? 'self'
            : isAncestor(token.content, click.visitor, token.minter) ? 'own_chain' : 'counted';
      if (!tokens.has(click.token)) {
        tokens.set(click.token, { visitors: new Set(), verdicts: Object.fromEntries(verdictNames.map((n) => [n, 0])) });
      }
      const report = tokens.get(click.token);
      report.verdicts[verdict] += 1;
      if (human(click.visitor)) report.visitors.add(click.visitor);
      if (report.visitors.size > burstLimit) throw new Error(`the plan sent more than ${burstLimit} visitors through ${click.token}`);
      if (!token) continue;
      content(token.content).verdicts[verdict] += 1;
      if (verdict !== 'counted') continue;
      content(token.content).countedClickbacks += 1;
      overview.countedClickbacks += 1;
      byChannel[token.channel].countedClickbacks += 1;
      if (!counted.has(click.visitor)) counted.set(click.visitor, []);
      counted.get(click.visitor).push({ ...click, token });
      chainOf(token).forEach((name, level) => {
        const s = standing(name);
        s.levels[level] = (s.levels[level] ?? 0) + 1;
        if (level === 0) s.countedClickbacks += 1;
      });
    }
    for (const s of visitors.values()) {
      s.score = s.levels.reduce((sum, n, level) => sum + (n ?? 0) * chainFactor ** level, 0);
    }

    // Conversions: last touch, split up the chain so the credits add up to the value.
    for (const conversion of this.conversions) {
      const micros = Math.round(conversion.value * 1e6);
      overview.conversions += 1;
      overview.conversionValue += conversion.value;
      const before = (counted.get(conversion.visitor) ?? []).filter((click) => click.at < conversion.at);
      if (!before.length) continue;
      const chain = chainOf(before.at(-1).token);
      splitCredit(micros, chain.length).forEach((part, level) => {
        const s = standing(chain[level]);
        s.conversionCredit += part;
        s.conversionsInfluenced += 1;
      });
      overview.creditedConversions += 1;
      overview.creditedValue += conversion.value;
    }
    for (const s of visitors.values()) s.conversionCredit /= 1e6;

    // Engagement: one summary per page view and testimonial; a bot's are counted apart.
    for (const view of this.pageViews) {
      for (const id of view.contents) {
        const c = content(id);
        if (!human(view.visitor)) {
          c.botPageViews += 1;
          continue;
        }
        c.renderedImpressions += 1;
        if (view.viewable.has(id)) c.viewableImpressions += 1;
        if (view.shared.has(id)) overview.pageViewsWithShare += 1;
        if (view.video?.content === id && view.video.started) {
          c.videoStarts += 1;
          for (let q = 0; q < view.video.quartile; q++) c.quartiles[q] += 1;
        }
      }
    }
    for (const share of this.shares) {
      const c = content(share.content);
      c.shares[share.channel] = (c.shares[share.channel] ?? 0) + 1;
      c.sharers.add(share.visitor);
      overview.shares += 1;
      if (share.parent) overview.reshares += 1;
      byChannel[share.channel].shares += 1;
    }

    // Cascades: one per root.
    const cascades = new Map();
    for (const [id, tree] of trees) {
      for (const [name, node] of tree) {
        if (node.parent) content(id).arrivals += 1;
        else cascades.set(`${id} ${name}`, measure(tree, name));
      }
    }
    for (const c of cascades.values()) overview.largestCascade = Math.max(overview.largestCascade, c.size);

    const subscribers = new Map();
    for (const [name, s] of visitors) {
      const subscriber = this.visitors.get(name).subscriber;
      if (!subscriber) continue;
      const sum = subscribers.get(subscriber) ?? { score: 0, countedClickbacks: 0, conversionsInfluenced: 0, conversionCredit: 0 };
      for (const key of Object.keys(sum)) sum[key] += s[key];
      subscribers.set(subscriber, sum);
    }
    for (const c of contents.values()) c.sharers = c.sharers.size;
    for (const report of tokens.values()) report.visitors = report.visitors.size;
    return { tokens, visitors, subscribers, contents, overview, channels: byChannel, cascades };
  }

  // Per testimonial, each visitor's node: { parent } (null for a root). A visitor joins at their
  // earliest join: a first-generation token they registered (a root's claim), or an arrival
  // through another's token of that testimonial (a clickback, or a share naming it as parent).
  trees() {
    const joins = new Map();  // content -> visitor -> [{ at, minter }] (minter null: a claim)
    const join = (content, name, at, minter) => {
      if (!joins.has(content)) joins.set(content, new Map());
      const of = joins.get(content);
      if (!of.has(name)) of.set(name, []);
      if (at !== undefined) of.get(name).push({ at, minter });
    };
    const arrive = (name, text, at) => {
      const token = this.tokens.get(text);
      if (!token || token.minter === name || this.visitors.get(name).bot) return;
      join(token.content, token.minter);
      join(token.content, name, at, token.minter);
    };
    for (const share of this.shares) {
      if (share.parent) arrive(share.visitor, share.parent, share.at);
      join(share.content, share.visitor);
    }
    for (const click of this.clickbacks) arrive(click.visitor, click.token, click.at);
    for (const token of this.tokens.values()) {
      if (token.depth === 0 && joins.get(token.content)?.has(token.minter)) join(token.content, token.minter, token.at, null);
    }
    const trees = new Map();
    for (const [content, of] of joins) {
      const tree = new Map();
      for (const [name, list] of of) {
        const earliest = list.sort((a, b) => a.at - b.at)[0];
        tree.set(name, { parent: earliest?.minter ?? null });
      }
      for (const name of tree.keys()) {
        const seen = new Set([name]);
        for (let at = tree.get(name).parent; at; at = tree.get(at).parent) {
          if (seen.has(at)) throw new Error(`the simulation made a loop in ${content}'s cascade: its truth is undecided`);
          seen.add(at);
        }
      }
      trees.set(content, tree);
    }
    return trees;
  }
}

// Size, depth, widest level and structural virality of the tree under `root`.
function measure(tree, root) {
  const children = new Map();
  for (const [name, node] of tree) {
    if (node.parent) children.set(node.parent, [...(children.get(node.parent) ?? []), name]);
  }
  const sizes = new Map();
  const widths = [];
  const walk = (name, depth) => {
    widths[depth] = (widths[depth] ?? 0) + 1;
    let size = 1;
    for (const child of children.get(name) ?? []) size += walk(child, depth + 1);
    sizes.set(name, size);
    return size;
  };
  const n = walk(root, 0);
  let pairs = 0;
  for (const [name, size] of sizes) if (name !== root) pairs += size * (n - size);
  return { size: n, depth: widths.length - 1, maxBreadth: Math.max(...widths),
    virality: n > 1 ? (2 * pairs) / (n * (n - 1)) : null };
}

// A value in micros split up a chain in halving proportions, whole micros that add up to it: the
// largest remainders get the micros left over (core's credit_split.cpp, the same arithmetic).
export function splitCredit(total, levels) {
  const weights = Array.from({ length: levels }, (_, k) => chainFactor ** k);
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = [];
  const fractions = [];
  let given = 0;
  for (const weight of weights) {
    const exact = (total * weight) / sum;
    const whole = Math.min(Math.floor(exact), total - given);
    parts.push(whole);
    fractions.push(exact - whole);
    given += whole;
  }
  const order = parts.map((_, k) => k).sort((a, b) => fractions[b] - fractions[a]);
  for (let i = 0; given < total; i = (i + 1) % levels, given++) parts[order[i]] += 1;
  return parts;
}
