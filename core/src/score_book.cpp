// How stored events move the ScoreBook. Each fact is recorded, then whatever it changes is
// retracted and applied again: a clickback's verdict, counts and credits (countClickback), a
// conversion's attribution (applyConversion). A visitor joining a cascade is a new leaf, added in
// O(depth); an event that arrives late and reveals an earlier join of a visitor already placed
// moves that visitor with their subtree (move), re-judging only what their subtree's tokens
// reach; a token claimed by two visitors (forged) rebuilds the contents it leaves and joins from
// their facts. So the figures are the same in whatever order events come.
#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "score_state.hpp"
#include "sharetrack/credit_split.hpp"
#include "sharetrack/token.hpp"

namespace sharetrack {

namespace {

template <typename Map>
Index intern(Map& index, std::vector<std::string>* names, const std::string& key, std::size_t next) {
  const auto [it, fresh] = index.emplace(key, static_cast<Index>(next));
  if (fresh && names) names->push_back(key);
  return it->second;
}

// A record named `id` in `records` (visitors, contents), added when new.
template <typename Records>
Index internRecord(std::unordered_map<std::string, Index>& index, Records& records, const std::string& id) {
  const Index at = intern(index, nullptr, id, records.size());
  if (at == records.size()) {
    records.emplace_back();
    records.back().id = id;
  }
  return at;
}

}  // namespace

Index ScoreState::visitor(const std::string& id) { return internRecord(visitorIndex, visitors, id); }

Index ScoreState::token(const std::string& text) {
  const Index at = intern(tokenIndex, nullptr, text, tokens.size());
  if (at == tokens.size()) {
    TokenRecord record;
    record.text = text;
    if (const auto parsed = parseToken(text)) {
      record.channel = parsed.value().channel;
      record.depth = parsed.value().depth;
    }
    tokens.push_back(std::move(record));
  }
  return at;
}

Index ScoreState::content(const std::string& id) { return internRecord(contentIndex, contents, id); }

Index ScoreState::subscriber(const std::string& id) {
  const Index at = intern(subscriberIndex, &subscribers, id, subscriberVisitors.size());
  if (at == subscriberVisitors.size()) subscriberVisitors.emplace_back();
  return at;
}

Index ScoreState::clientKey(const std::string& key) {
  if (key.empty()) return kNone;
  return intern(clientKeyIndex, nullptr, key, clientKeyIndex.size());
}

const NodeRecord* ScoreState::nodeOf(Index contentAt, Index visitorAt) const {
  const auto& nodes_ = contents[contentAt].nodeOf;
  const auto it = nodes_.find(visitorAt);
  return it == nodes_.end() ? nullptr : &nodes[it->second];
}

double ScoreState::points(const VisitorRecord& v) const {
  double total = 0;
  double weight = 1;
  for (const std::int64_t clickbacks : v.levelClickbacks) {
    total += static_cast<double>(clickbacks) * weight;
    weight *= settings.chainFactor;
  }
  return total;
}

namespace {

// The mutations, over one state. Every per-event step costs O(log n) or O(depth) whatever one
// visitor, token or client key has done before: a flood under one id slows nobody else.
class Scoring {
 public:
  explicit Scoring(ScoreState& s) : s_(s) {}

  void addShare(const StoredEvent& stored, const ShareEvent& share);
  void addClickback(const StoredEvent& stored, const ClickbackEvent& clickback);
  void addSummary(const StoredEvent& stored, const SummaryEvent& summary);
  void addConversion(const StoredEvent& stored, const ConversionEvent& conversion);
  void bindSubscriber(Index visitor, const std::string& subscriber);
  ErasureCounts erase(Index visitor, const std::string& anonymousId);

 private:
  // Verdicts and credits.
  Verdict verdictOf(Index c) const;
  bool isProperAncestor(Index content, Index ancestor, Index of) const;
  void countClickback(Index c, Verdict verdict, int sign);
  std::vector<Index> chainOf(Index token) const;
  void applyConversion(Index x);
  void retractConversion(Index x);
  // Retracts what `clickbacks` and `conversions` stand for, runs `change`, applies them again;
  // then re-attributes the conversions a changed counted clickback could reach.
  template <typename Change>
  void rescore(std::vector<Index> clickbacks, std::vector<Index> conversions, Change change);
  void rescore(std::vector<Index> clickbacks) {
    rescore(std::move(clickbacks), {}, [] {});
  }
  // Bursts rank the earliest clickback of each visitor through a token from one client key; one
  // that joins or leaves the first burstLimit pushes another across it, added to `affected`.
  void joinBurst(Index c, std::vector<Index>& affected);
  void leaveBurst(Index c, std::vector<Index>& affected);

  // Cascades.
  bool valid(const Join& join, Index visitor, Index content) const;
  // Every valid join of `visitor` to `content` whose minter passes `hasNode`, earliest first; a
  // root for want of any when there is none.
  template <typename HasNode>
  std::vector<Join> joinsOf(Index visitor, Index content, HasNode hasNode) const;
  Join fallbackRoot(Index visitor, Index content) const;
  // The earliest join that keeps the tree a tree; marks the visitor blocked when an earlier one
  // would close a loop as the tree stands.
  Join bestJoin(Index visitor, Index content);
  // A node for `visitor` at their best join: a new leaf, or, when a late event revealed an earlier
  // join, the node moved there with its subtree; then blocked visitors are tried again.
  void place(Index visitor, Index content);
  bool placeOnce(Index visitor, Index content);  // true when a node moved
  // `visitor` arrived through `token` (a clickback, or a share naming it as the parent).
  void arrive(Index visitor, Index token, const EventKey& key, std::int64_t atMs);
  void attach(Index visitor, Index content, const Join& join);
  void move(Index node, Index content, const Join& join);
  CascadeRecord rootedAt(Index node, Index content, const Join& join) const;
  std::vector<Index> subtreeOf(Index node) const;
  // What a node's chain reaches: clickbacks through the tokens its subtree minted, and the
  // conversions credited through them.
  void creditedThrough(const std::vector<Index>& members, Index content, std::vector<Index>& clickbacks,
                       std::vector<Index>& conversions) const;
  // Retracts every credit through the tokens of `contents`, runs `change` (which may move a token
  // between them), rebuilds their trees from their facts, and gives the credits again.
  template <typename Change>
  void rebuild(std::set<Index> contents, Change change);
  void rebuildTree(Index content);

  // Tokens, summaries, shares.
  void registerToken(Index token, Index minter, Index content, const EventKey& key, std::int64_t atMs, Index sharerKey);
  void claimRoot(Index token);
  void joinsThrough(Index token);
  void countSummary(const SummaryRecord& summary, int sign);
  void countShare(Index share, int sign);

  ScoreState& s_;
};

// ---------------------------------------------------------------------------------------------
// Verdicts and credits

bool Scoring::isProperAncestor(Index content, Index ancestor, Index of) const {
  const NodeRecord* a = s_.nodeOf(content, ancestor);
  const NodeRecord* node = s_.nodeOf(content, of);
  if (!a || !node) return false;
  for (Index at = node->parent; at != kNone; at = s_.nodes[at].parent) {
    if (&s_.nodes[at] == a) return true;
  }
  return false;
}

Verdict Scoring::verdictOf(Index c) const {
  const ClickbackRecord& click = s_.clickbacks[c];
  if (click.bot) return Verdict::bot;
  if (s_.firstOfPair.at(pairKey(click.visitor, click.token)) != c) return Verdict::duplicate;
  const TokenRecord& token = s_.tokens[click.token];
  if (!token.registered) return Verdict::waiting;
  if (token.minter == click.visitor) return Verdict::self;
  if (isProperAncestor(token.content, click.visitor, token.minter)) return Verdict::ownChain;
  if (click.clientKey != kNone) {
    if (s_.settings.suspectSharerNetwork && click.clientKey == token.sharerKey) return Verdict::suspicious;
    const ByKey& firsts = s_.firstsByClient.at(pairKey(click.token, click.clientKey));
    std::uint32_t rank = 0;
    for (auto it = firsts.begin(); it != firsts.end() && it->second != c; ++it) {
      if (++rank >= s_.settings.burstLimit) return Verdict::suspicious;
    }
  }
  return Verdict::counted;
}

std::vector<Index> Scoring::chainOf(Index tokenAt) const {
  std::vector<Index> chain;
  const TokenRecord& token = s_.tokens[tokenAt];
  const NodeRecord* node = s_.nodeOf(token.content, token.minter);
  if (!node) return chain;
  for (Index at = static_cast<Index>(node - s_.nodes.data()); at != kNone; at = s_.nodes[at].parent) {
    if (chain.size() == static_cast<std::size_t>(s_.settings.chainLevels)) break;
    chain.push_back(s_.nodes[at].visitor);
  }
  return chain;
}

void Scoring::countClickback(Index c, Verdict verdict, int sign) {
  ClickbackRecord& click = s_.clickbacks[c];
  const TokenRecord& token = s_.tokens[click.token];
  const auto channel = static_cast<std::size_t>(token.channel);
  // A clickback belongs to the testimonial that was shared (a landing page may hold several), once
  // its token is known; where the counts went is kept, so they are taken back from there.
  if (sign > 0) click.countedIn = token.registered ? token.content : click.content;
  s_.count(click.countedIn, click.receivedAtMs, [&](EngagementCounts& counts) {
    counts.verdicts[static_cast<std::size_t>(verdict)] += sign;
    if (verdict == Verdict::counted) counts.clickbacks[channel] += sign;
  });
  click.applied = sign > 0 ? std::optional<Verdict>(verdict) : std::nullopt;
  if (verdict != Verdict::counted) return;
  ByKey& counted = s_.visitors[click.visitor].counted;
  if (sign > 0) {
    counted.emplace(click.key, c);
  } else {
    counted.erase({click.key, c});
  }
  const std::vector<Index> chain = chainOf(click.token);
  for (std::size_t level = 0; level < chain.size(); ++level) {
    auto& levels = s_.visitors[chain[level]].levelClickbacks;
    if (levels.size() <= level) levels.resize(level + 1, 0);
    levels[level] += sign;
  }
}

void Scoring::applyConversion(Index x) {
  ConversionRecord& conversion = s_.conversions[x];
  if (conversion.erased || conversion.applied) return;
  conversion.applied = true;
  s_.count(kNone, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.conversions += 1;
    c.conversionValueMicros += conversion.valueMicros;
  });
  // Last touch: the converting visitor's most recent counted clickback within the window.
  const ByKey& counted = s_.visitors[conversion.visitor].counted;
  auto latest = counted.upper_bound({conversion.key, kNone});
  if (latest == counted.begin()) return;
  --latest;
  if (conversion.key.timeMs - latest->first.timeMs > s_.settings.attributionWindowMs) return;
  const Index through = latest->second;
  conversion.creditedThrough = through;
  const Index tokenAt = s_.clickbacks[through].token;
  const std::vector<Index> chain = chainOf(tokenAt);
  const std::vector<std::int64_t> parts = splitCredit(conversion.valueMicros, chain.size(), s_.settings.chainFactor);
  for (std::size_t level = 0; level < chain.size(); ++level) {
    s_.visitors[chain[level]].creditMicros += parts[level];
    s_.visitors[chain[level]].conversionsInfluenced += 1;
  }
  s_.count(s_.tokens[tokenAt].content, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.creditedConversions += 1;
    c.creditedValueMicros += conversion.valueMicros;
  });
  s_.tokens[tokenAt].creditedConversions.insert(x);
}

void Scoring::retractConversion(Index x) {
  ConversionRecord& conversion = s_.conversions[x];
  if (!conversion.applied) return;
  conversion.applied = false;
  s_.count(kNone, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.conversions -= 1;
    c.conversionValueMicros -= conversion.valueMicros;
  });
  const Index through = std::exchange(conversion.creditedThrough, kNone);
  if (through == kNone) return;
  const Index tokenAt = s_.clickbacks[through].token;
  const std::vector<Index> chain = chainOf(tokenAt);
  const std::vector<std::int64_t> parts = splitCredit(conversion.valueMicros, chain.size(), s_.settings.chainFactor);
  for (std::size_t level = 0; level < chain.size(); ++level) {
    s_.visitors[chain[level]].creditMicros -= parts[level];
    s_.visitors[chain[level]].conversionsInfluenced -= 1;
  }
  s_.count(s_.tokens[tokenAt].content, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.creditedConversions -= 1;
    c.creditedValueMicros -= conversion.valueMicros;
  });
  s_.tokens[tokenAt].creditedConversions.erase(x);
}

template <typename Change>
void Scoring::rescore(std::vector<Index> clickbacks, std::vector<Index> conversions, Change change) {
  std::sort(clickbacks.begin(), clickbacks.end());
  clickbacks.erase(std::unique(clickbacks.begin(), clickbacks.end()), clickbacks.end());
  for (const Index x : conversions) retractConversion(x);
  std::vector<bool> wasCounted(clickbacks.size());
  for (std::size_t i = 0; i < clickbacks.size(); ++i) {
    const ClickbackRecord& click = s_.clickbacks[clickbacks[i]];
    wasCounted[i] = click.applied == Verdict::counted;
    if (click.applied) countClickback(clickbacks[i], *click.applied, -1);
  }
  change();
  std::set<Index> reattribute;
  for (std::size_t i = 0; i < clickbacks.size(); ++i) {
    const Index c = clickbacks[i];
    const ClickbackRecord& click = s_.clickbacks[c];
    if (!click.erased) countClickback(c, verdictOf(c), +1);
    if (wasCounted[i] == (click.applied == Verdict::counted)) continue;
    // The visitor's conversions this clickback could be the last touch of.
    const ByKey& theirs = s_.visitors[click.visitor].conversions;
    EventKey windowEnd;
    windowEnd.timeMs = click.key.timeMs + s_.settings.attributionWindowMs;
    for (auto it = theirs.lower_bound({click.key, 0}); it != theirs.end() && !(windowEnd < it->first); ++it) {
      reattribute.insert(it->second);
    }
  }
  for (const Index x : conversions) applyConversion(x);
  for (const Index x : reattribute) {
    retractConversion(x);
    applyConversion(x);
  }
}

void Scoring::joinBurst(Index c, std::vector<Index>& affected) {
  const ClickbackRecord& click = s_.clickbacks[c];
  if (click.clientKey == kNone) return;
  ByKey& firsts = s_.firstsByClient[pairKey(click.token, click.clientKey)];
  const auto at = firsts.emplace(click.key, c).first;
  std::uint32_t rank = 0;
  for (auto it = firsts.begin(); it != at && rank < s_.settings.burstLimit; ++it) ++rank;
  // Entering within the limit pushes the one at the limit beyond it.
  if (rank >= s_.settings.burstLimit || firsts.size() <= s_.settings.burstLimit) return;
  affected.push_back(std::next(firsts.begin(), s_.settings.burstLimit)->second);
}

void Scoring::leaveBurst(Index c, std::vector<Index>& affected) {
  const ClickbackRecord& click = s_.clickbacks[c];
  if (click.clientKey == kNone) return;
  ByKey& firsts = s_.firstsByClient[pairKey(click.token, click.clientKey)];
  std::uint32_t rank = 0;
  for (auto it = firsts.begin(); it != firsts.end() && it->second != c && rank < s_.settings.burstLimit; ++it) ++rank;
  firsts.erase({click.key, c});
  // Leaving from within the limit lets the first beyond it in.
  if (rank < s_.settings.burstLimit && firsts.size() >= s_.settings.burstLimit) {
    affected.push_back(std::next(firsts.begin(), s_.settings.burstLimit - 1)->second);
  }
}

// ---------------------------------------------------------------------------------------------
// Cascades

// A join still holds: its token is registered for this content by another visitor (an arrival),
// or it is the visitor's own first-generation token as registered (a root claim). Stale joins
// (a token two visitors claimed moved, a claim superseded by an earlier one) are skipped.
bool Scoring::valid(const Join& join, Index visitorAt, Index content) const {
  if (join.via != kNone) {
    const TokenRecord& token = s_.tokens[join.via];
    return token.registered && token.content == content && token.minter != visitorAt;
  }
  if (join.claim == kNone) return false;
  const TokenRecord& token = s_.tokens[join.claim];
  return token.registered && token.content == content && token.minter == visitorAt && token.depth == 0 &&
         token.registeredBy == join.key;
}

Join Scoring::fallbackRoot(Index visitorAt, Index content) const {
  Join root;
  root.atMs = INT64_MAX;
  if (const Membership* m = s_.findMembership(visitorAt, content)) {
    for (const Index t : m->tokens) root.atMs = std::min(root.atMs, s_.tokens[t].registeredAtMs);
  }
  return root;
}

template <typename HasNode>
std::vector<Join> Scoring::joinsOf(Index visitorAt, Index content, HasNode hasNode) const {
  std::vector<Join> joins;
  if (const Membership* m = s_.findMembership(visitorAt, content)) {
    for (const Join& join : m->joins) {
      if (!valid(join, visitorAt, content)) continue;
      if (join.via != kNone && !hasNode(s_.tokens[join.via].minter)) continue;
      joins.push_back(join);
    }
  }
  if (joins.empty()) joins.push_back(fallbackRoot(visitorAt, content));
  return joins;
}

Join Scoring::bestJoin(Index visitorAt, Index content) {
  auto& blocked = s_.contents[content].blocked;
  Membership& m = s_.membership(visitorAt, content);
  bool first = true;
  for (auto it = m.joins.begin(); it != m.joins.end();) {
    if (!valid(*it, visitorAt, content)) {
      it = m.joins.erase(it);  // stale for good
      continue;
    }
    if (it->via != kNone && !s_.nodeOf(content, s_.tokens[it->via].minter)) {
      ++it;  // the minter is placed before anyone through their token (arrive)
      continue;
    }
    if (it->via == kNone || !isProperAncestor(content, visitorAt, s_.tokens[it->via].minter)) {
      if (first) {
        blocked.erase(visitorAt);
      } else {
        blocked.insert(visitorAt);
      }
      return *it;
    }
    first = false;
    ++it;
  }
  if (!first) blocked.insert(visitorAt);
  return fallbackRoot(visitorAt, content);
}

void Scoring::place(Index visitorAt, Index content) {
  if (placeOnce(visitorAt, content)) {
    // A move may open a way for those whose earliest join closed a loop before it; bounded, since
    // forged events can make loops that never open.
    for (int pass = 0; pass < 16; ++pass) {
      bool moved = false;
      const std::set<Index> blocked = s_.contents[content].blocked;
      for (const Index w : blocked) moved = placeOnce(w, content) || moved;
      if (!moved) break;
    }
  }
  // A loop left (only forged events make them) would keep whichever join came first: the tree is
  // rebuilt from the content's facts instead, by rebuildTree's rule, the same in any order.
  if (!s_.contents[content].blocked.empty()) rebuild({content}, [] {});
}

bool Scoring::placeOnce(Index visitorAt, Index content) {
  const Join best = bestJoin(visitorAt, content);
  const NodeRecord* node = s_.nodeOf(content, visitorAt);
  if (!node) {
    attach(visitorAt, content, best);
    return false;
  }
  if (node->join.sameAs(best)) return false;
  const Index at = static_cast<Index>(node - s_.nodes.data());
  std::vector<Index> clickbacks, conversions;
  creditedThrough(subtreeOf(at), content, clickbacks, conversions);
  rescore(std::move(clickbacks), std::move(conversions), [&] { move(at, content, best); });
  return true;
}

void Scoring::arrive(Index visitorAt, Index tokenAt, const EventKey& key, std::int64_t atMs) {
  const TokenRecord& token = s_.tokens[tokenAt];
  if (!token.registered || token.minter == visitorAt) return;
  const Index content = token.content;
  place(token.minter, content);
  Join join;
  join.key = key;
  join.via = tokenAt;
  join.atMs = atMs;
  s_.membership(visitorAt, content).joins.insert(join);
  place(visitorAt, content);
}

CascadeRecord Scoring::rootedAt(Index node, Index content, const Join& join) const {
  CascadeRecord cascade;
  cascade.content = content;
  cascade.root = node;
  cascade.startedAtMs = join.atMs;
  return cascade;
}

std::vector<Index> Scoring::subtreeOf(Index node) const {
  std::vector<Index> members{node};
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto& children = s_.nodes[members[i]].children;
    members.insert(members.end(), children.begin(), children.end());
  }
  return members;
}

void Scoring::creditedThrough(const std::vector<Index>& members, Index content, std::vector<Index>& clickbacks,
                              std::vector<Index>& conversions) const {
  for (const Index m : members) {
    const Membership* membership = s_.findMembership(s_.nodes[m].visitor, content);
    if (!membership) continue;
    for (const Index t : membership->tokens) {
      const TokenRecord& token = s_.tokens[t];
      clickbacks.insert(clickbacks.end(), token.clickbacks.begin(), token.clickbacks.end());
      conversions.insert(conversions.end(), token.creditedConversions.begin(), token.creditedConversions.end());
    }
  }
}

void Scoring::attach(Index visitorAt, Index content, const Join& join) {
  const Index at = static_cast<Index>(s_.nodes.size());
  s_.nodes.emplace_back();
  NodeRecord& node = s_.nodes.back();
  node.visitor = visitorAt;
  node.join = join;
  s_.contents[content].nodeOf[visitorAt] = at;
  if (join.via == kNone) {
    node.cascade = static_cast<Index>(s_.cascades.size());
    s_.cascades.push_back(rootedAt(at, content, join));
    return;
  }
  const Index parent = s_.contents[content].nodeOf.at(s_.tokens[join.via].minter);
  node.parent = parent;
  node.depth = s_.nodes[parent].depth + 1;
  node.cascade = s_.nodes[parent].cascade;
  s_.nodes[parent].children.push_back(at);
  CascadeRecord& cascade = s_.cascades[node.cascade];
  ViralitySums& sums = cascade.sums;
  sums.size += 1;
  sums.sumSizes += 1;  // the new leaf, of size 1
  sums.sumSquares += 1;
  for (Index a = parent; a != kNone; a = s_.nodes[a].parent) {
    NodeRecord& ancestor = s_.nodes[a];
    if (ancestor.parent != kNone) {
      sums.sumSizes += 1;
      sums.sumSquares += 2 * ancestor.size + 1;
    }
    ancestor.size += 1;
  }
  if (cascade.atDepth.size() <= node.depth) cascade.atDepth.resize(node.depth + 1, 0);
  cascade.maxBreadth = std::max(cascade.maxBreadth, ++cascade.atDepth[node.depth]);
  s_.count(content, join.atMs, [](EngagementCounts& c) { c.arrivals += 1; });
}

// Moves a node and its subtree to another join: sizes along the old and the new chain of
// ancestors, depths, the counts per depth and the virality sums of the cascades left and joined.
void Scoring::move(Index at, Index content, const Join& join) {
  const std::vector<Index> members = subtreeOf(at);
  const std::uint64_t m = s_.nodes[at].size;
  std::uint64_t innerSizes = 0, innerSquares = 0;  // of the members below the moved node
  for (std::size_t i = 1; i < members.size(); ++i) {
    const std::uint64_t size = s_.nodes[members[i]].size;
    innerSizes += size;
    innerSquares += size * size;
  }
  const auto recount = [](CascadeRecord& cascade) {
    while (cascade.atDepth.size() > 1 && cascade.atDepth.back() == 0) cascade.atDepth.pop_back();
    cascade.maxBreadth = *std::max_element(cascade.atDepth.begin(), cascade.atDepth.end());
  };

  // Out of the old place.
  NodeRecord& node = s_.nodes[at];
  CascadeRecord& left = s_.cascades[node.cascade];
  if (node.parent == kNone) {
    left.live = false;  // the node was its root: the whole cascade moves
  } else {
    s_.count(content, node.join.atMs, [](EngagementCounts& c) { c.arrivals -= 1; });
    auto& siblings = s_.nodes[node.parent].children;
    siblings.erase(std::find(siblings.begin(), siblings.end(), at));
    for (Index a = node.parent; a != kNone; a = s_.nodes[a].parent) {
      NodeRecord& ancestor = s_.nodes[a];
      if (ancestor.parent != kNone) {
        left.sums.sumSizes -= m;
        left.sums.sumSquares -= 2 * m * ancestor.size - m * m;
      }
      ancestor.size -= m;
    }
    left.sums.size -= m;
    left.sums.sumSizes -= m + innerSizes;
    left.sums.sumSquares -= m * m + innerSquares;
    for (const Index u : members) left.atDepth[s_.nodes[u].depth] -= 1;
    recount(left);
  }

  // Into the new one.
  node.join = join;
  Index cascadeAt = kNone;
  std::uint32_t depth = 0;
  if (join.via == kNone) {
    node.parent = kNone;
    cascadeAt = static_cast<Index>(s_.cascades.size());
    CascadeRecord cascade = rootedAt(at, content, join);
    cascade.sums.size = m;
    cascade.sums.sumSizes = innerSizes;
    cascade.sums.sumSquares = innerSquares;
    cascade.atDepth.clear();
    s_.cascades.push_back(std::move(cascade));
  } else {
    const Index parent = s_.contents[content].nodeOf.at(s_.tokens[join.via].minter);
    node.parent = parent;
    s_.nodes[parent].children.push_back(at);
    cascadeAt = s_.nodes[parent].cascade;
    depth = s_.nodes[parent].depth + 1;
    CascadeRecord& joined = s_.cascades[cascadeAt];
    for (Index a = parent; a != kNone; a = s_.nodes[a].parent) {
      NodeRecord& ancestor = s_.nodes[a];
      if (ancestor.parent != kNone) {
        joined.sums.sumSizes += m;
        joined.sums.sumSquares += 2 * m * ancestor.size + m * m;
      }
      ancestor.size += m;
    }
    joined.sums.size += m;
    joined.sums.sumSizes += m + innerSizes;
    joined.sums.sumSquares += m * m + innerSquares;
    s_.count(content, join.atMs, [](EngagementCounts& c) { c.arrivals += 1; });
  }
  CascadeRecord& joined = s_.cascades[cascadeAt];
  const std::int64_t shift = static_cast<std::int64_t>(depth) - static_cast<std::int64_t>(s_.nodes[at].depth);
  for (const Index u : members) {
    NodeRecord& member = s_.nodes[u];
    member.depth = static_cast<std::uint32_t>(member.depth + shift);
    member.cascade = cascadeAt;
    if (joined.atDepth.size() <= member.depth) joined.atDepth.resize(member.depth + 1, 0);
    joined.atDepth[member.depth] += 1;
  }
  recount(joined);
}

template <typename Change>
void Scoring::rebuild(std::set<Index> contents, Change change) {
  std::vector<Index> clickbacks, conversions;
  for (const Index content : contents) {
    for (const Index t : s_.contents[content].tokens) {
      const TokenRecord& token = s_.tokens[t];
      clickbacks.insert(clickbacks.end(), token.clickbacks.begin(), token.clickbacks.end());
      conversions.insert(conversions.end(), token.creditedConversions.begin(), token.creditedConversions.end());
    }
  }
  rescore(std::move(clickbacks), std::move(conversions), [&] {
    change();
    for (const Index content : contents) rebuildTree(content);
  });
}

// The content's cascades from its facts alone: who has a node, each one's earliest join (an
// arrival that would close a loop, which only forged events can make, gives way to the next
// join of the latest-joined visitor in the loop), then the nodes, parents first.
void Scoring::rebuildTree(Index content) {
  ContentRecord& record = s_.contents[content];
  for (const auto& [visitor, at] : record.nodeOf) {
    const NodeRecord& node = s_.nodes[at];
    if (node.parent != kNone) s_.count(content, node.join.atMs, [](EngagementCounts& c) { c.arrivals -= 1; });
    if (node.parent == kNone) s_.cascades[node.cascade].live = false;
  }
  record.nodeOf.clear();

  std::set<Index> members;
  for (const Index sh : record.shares) members.insert(s_.shares[sh].visitor);
  for (const Index t : record.tokens) {
    const TokenRecord& token = s_.tokens[t];
    bool arrivedThrough = false;
    for (const Index c : token.clickbacks) {
      const ClickbackRecord& click = s_.clickbacks[c];
      if (click.bot || click.visitor == token.minter) continue;
      members.insert(click.visitor);
      arrivedThrough = true;
    }
    for (const Index sh : token.childShares) {
      if (s_.shares[sh].visitor == token.minter) continue;
      members.insert(s_.shares[sh].visitor);
      arrivedThrough = true;
    }
    if (arrivedThrough) members.insert(token.minter);
  }

  const auto member = [&](Index minter) { return members.count(minter) > 0; };
  std::map<Index, std::vector<Join>> joins;
  std::map<Index, std::size_t> chosen;
  for (const Index v : members) {
    joins[v] = joinsOf(v, content, member);
    chosen[v] = 0;
  }
  const auto parentOf = [&](Index v) {
    const Join& join = joins[v][chosen[v]];
    return join.via == kNone ? kNone : s_.tokens[join.via].minter;
  };
  for (bool looped = true; looped;) {
    looped = false;
    std::map<Index, int> state;  // 1 on the current path, 2 done
    for (const Index start : members) {
      std::vector<Index> path;
      Index v = start;
      while (v != kNone && state[v] == 0) {
        state[v] = 1;
        path.push_back(v);
        v = parentOf(v);
      }
      if (v != kNone && state[v] == 1) {
        const auto loopStart = std::find(path.begin(), path.end(), v);
        const Index latest = *std::max_element(loopStart, path.end(), [&](Index a, Index b) {
          return joins[a][chosen[a]].key < joins[b][chosen[b]].key;
        });
        if (++chosen[latest] == joins[latest].size()) {
          joins[latest].push_back(Join{});  // no join left: a root
        }
        looped = true;
        break;
      }
      for (const Index done : path) state[done] = 2;
    }
  }

  record.blocked.clear();
  std::map<Index, std::vector<Index>> childrenOf;
  std::vector<Index> ready;
  for (const Index v : members) {
    if (chosen[v] > 0) record.blocked.insert(v);
    const Index parent = parentOf(v);
    (parent == kNone ? ready : childrenOf[parent]).push_back(v);
  }
  for (std::size_t i = 0; i < ready.size(); ++i) {
    const Index v = ready[i];
    attach(v, content, joins[v][chosen[v]]);
    const auto& children = childrenOf[v];
    ready.insert(ready.end(), children.begin(), children.end());
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens, shares, clickbacks, summaries, conversions

// A first-generation token makes its minter's claim to be a root, earliest first; any token its
// minter registers may start earlier the cascade of a root without a claim (fallbackRoot).
void Scoring::claimRoot(Index tokenAt) {
  const TokenRecord& token = s_.tokens[tokenAt];
  if (token.depth == 0) {
    Join claim;
    claim.key = token.registeredBy;
    claim.claim = tokenAt;
    claim.atMs = token.registeredAtMs;
    s_.membership(token.minter, token.content).joins.insert(claim);
  }
  if (s_.nodeOf(token.content, token.minter)) place(token.minter, token.content);
}

// What waited for a token to be registered can now join: arrivals through it.
void Scoring::joinsThrough(Index tokenAt) {
  const TokenRecord& token = s_.tokens[tokenAt];
  for (const Index c : std::vector<Index>(token.clickbacks)) {
    const ClickbackRecord& click = s_.clickbacks[c];
    if (!click.bot) arrive(click.visitor, tokenAt, click.key, click.receivedAtMs);
  }
  for (const Index sh : std::vector<Index>(token.childShares)) {
    arrive(s_.shares[sh].visitor, tokenAt, s_.shares[sh].key, s_.shares[sh].receivedAtMs);
  }
}

void Scoring::registerToken(Index tokenAt, Index minter, Index content, const EventKey& key, std::int64_t atMs,
                            Index sharerKey) {
  TokenRecord& token = s_.tokens[tokenAt];
  if (token.registered && !(key < token.registeredBy)) return;
  const bool fresh = !token.registered;
  const bool claimMoved = !fresh && (token.minter != minter || token.content != content);
  const auto registration = [&] {
    if (claimMoved) {
      auto& oldTokens = s_.contents[token.content].tokens;
      oldTokens.erase(std::find(oldTokens.begin(), oldTokens.end(), tokenAt));
      auto& minted = s_.membership(token.minter, token.content).tokens;
      minted.erase(std::find(minted.begin(), minted.end(), tokenAt));
    }
    if (fresh || claimMoved) {
      s_.contents[content].tokens.push_back(tokenAt);
      s_.membership(minter, content).tokens.push_back(tokenAt);
    }
    token.registered = true;
    token.registeredBy = key;
    token.registeredAtMs = atMs;
    token.content = content;
    token.minter = minter;
    token.sharerKey = sharerKey;
  };
  if (claimMoved) {
    // Two visitors claim one token (forged): the earliest claim is believed, whatever came first.
    // The contents it leaves and joins are rebuilt from their facts, the claim and the arrivals
    // through the token among them, before any credit is given again.
    const Index oldContent = token.content;
    rebuild({oldContent, content}, [&] {
      registration();
      Join join;
      if (token.depth == 0) {
        join.key = key;
        join.claim = tokenAt;
        join.atMs = atMs;
        s_.membership(minter, content).joins.insert(join);
      }
      join.claim = kNone;
      join.via = tokenAt;
      for (const Index c : token.clickbacks) {
        const ClickbackRecord& click = s_.clickbacks[c];
        if (click.bot || click.visitor == minter) continue;
        join.key = click.key;
        join.atMs = click.receivedAtMs;
        s_.membership(click.visitor, content).joins.insert(join);
      }
      for (const Index sh : token.childShares) {
        if (s_.shares[sh].visitor == minter) continue;
        join.key = s_.shares[sh].key;
        join.atMs = s_.shares[sh].receivedAtMs;
        s_.membership(s_.shares[sh].visitor, content).joins.insert(join);
      }
    });
    return;
  }
  registration();
  claimRoot(tokenAt);
  if (fresh) joinsThrough(tokenAt);
}

void Scoring::countShare(Index sh, int sign) {
  ShareRecord& share = s_.shares[sh];
  share.applied = sign > 0;
  s_.count(share.content, share.receivedAtMs, [&](EngagementCounts& c) {
    c.shares[static_cast<std::size_t>(share.channel)] += sign;
    if (share.parent != kNone) c.reshares += sign;
  });
}

void Scoring::addShare(const StoredEvent& stored, const ShareEvent& event) {
  const Index sh = static_cast<Index>(s_.shares.size());
  ShareRecord share;
  share.key = EventKey(stored.event.timeMs, stored.event.id);
  share.visitor = s_.visitor(stored.visitor);
  share.content = s_.content(event.content);
  share.token = s_.token(event.token);
  share.parent = event.parent ? s_.token(*event.parent) : kNone;
  share.channel = event.channel;
  share.receivedAtMs = stored.receivedAtMs;
  share.erased = stored.erased;
  s_.shares.push_back(share);
  s_.visitors[share.visitor].shares.push_back(sh);
  ContentRecord& content = s_.contents[share.content];
  content.shares.push_back(sh);
  if (share.parent != kNone) s_.tokens[share.parent].childShares.push_back(sh);
  if (!share.erased) {
    countShare(sh, +1);
    // A sharer is counted once per content, at their earliest share.
    const auto [first, fresh] = content.firstShare.emplace(share.visitor, sh);
    if (!fresh && share.key < s_.shares[first->second].key) {
      s_.count(share.content, s_.shares[first->second].receivedAtMs, [](EngagementCounts& c) { c.sharers -= 1; });
      first->second = sh;
    }
    if (first->second == sh) s_.count(share.content, share.receivedAtMs, [](EngagementCounts& c) { c.sharers += 1; });
  }

  registerToken(share.token, share.visitor, share.content, share.key, share.receivedAtMs, s_.clientKey(stored.clientKey));
  // The sharer arrived through the parent whoever holds the shared token.
  if (share.parent != kNone) arrive(share.visitor, share.parent, share.key, share.receivedAtMs);
  place(share.visitor, share.content);
  rescore(s_.tokens[share.token].clickbacks);
}

void Scoring::addClickback(const StoredEvent& stored, const ClickbackEvent& event) {
  const Index c = static_cast<Index>(s_.clickbacks.size());
  ClickbackRecord click;
  click.key = EventKey(stored.event.timeMs, stored.event.id);
  click.visitor = s_.visitor(stored.visitor);
  click.token = s_.token(event.token);
  click.content = s_.content(event.content);
  click.clientKey = s_.clientKey(stored.clientKey);
  click.receivedAtMs = stored.receivedAtMs;
  click.bot = event.botSignals != 0 || stored.requestBot;
  click.erased = stored.erased;
  s_.clickbacks.push_back(click);
  s_.visitors[click.visitor].clickbacks.push_back(c);
  s_.tokens[click.token].clickbacks.push_back(c);

  std::vector<Index> affected{c};
  if (!click.bot && !click.erased) {
    // Only the earliest of a visitor's clickbacks through a token can count.
    const auto [first, fresh] = s_.firstOfPair.emplace(pairKey(click.visitor, click.token), c);
    if (!fresh && click.key < s_.clickbacks[first->second].key) {
      affected.push_back(first->second);
      leaveBurst(first->second, affected);
      first->second = c;
    }
    if (first->second == c) joinBurst(c, affected);
  }
  if (!click.bot) arrive(click.visitor, click.token, click.key, click.receivedAtMs);
  rescore(affected);
}

void Scoring::countSummary(const SummaryRecord& summary, int sign) {
  s_.count(summary.content, summary.receivedAtMs, [&](EngagementCounts& c) {
    if (summary.bot) {
      c.botPageViews += sign;
      return;
    }
    c.rendered += sign;
    c.viewable += summary.viewable ? sign : 0;
    c.pageViewsWithShare += summary.shared ? sign : 0;
    c.dwellMs += sign * static_cast<std::int64_t>(summary.dwellMs);
    c.videoStarts += summary.videoStarted ? sign : 0;
    for (std::size_t q = 0; q < summary.videoQuartile && q < c.videoQuartiles.size(); ++q) c.videoQuartiles[q] += sign;
  });
  if (summary.viewable && !summary.bot) {
    s_.contents[summary.content].dwellByDay[floorTo(summary.receivedAtMs, kDayMs)].add(summary.dwellMs, sign);
  }
}

void Scoring::addSummary(const StoredEvent& stored, const SummaryEvent& event) {
  const Index sm = static_cast<Index>(s_.summaries.size());
  SummaryRecord summary;
  summary.key = EventKey(stored.event.timeMs, stored.event.id);
  summary.visitor = s_.visitor(stored.visitor);
  summary.content = s_.content(event.content);
  summary.pageView = hashOf(event.pageView, (std::uint64_t{summary.visitor} << 32 | summary.content) * 1099511628211ull);
  summary.seq = event.seq;
  summary.dwellMs = event.dwellMs;
  summary.videoQuartile = event.videoQuartile;
  summary.viewable = event.viewable;
  summary.videoStarted = event.videoWatchedMs > 0 || event.videoQuartile > 0;
  summary.shared = std::any_of(event.shares.begin(), event.shares.end(), [](std::uint32_t n) { return n > 0; });
  summary.receivedAtMs = stored.receivedAtMs;
  summary.bot = stored.requestBot;
  summary.erased = stored.erased;
  s_.summaries.push_back(summary);
  s_.visitors[summary.visitor].summaries.push_back(sm);

  if (!summary.erased) {
    // The highest sequence number of a page view's summary stands (the event id breaks ties).
    const auto [standing, fresh] = s_.summaryByPageView.emplace(summary.pageView, sm);
    const auto rank = [&](Index i) { return std::make_pair(s_.summaries[i].seq, s_.summaries[i].key.id); };
    if (fresh || rank(standing->second) < rank(sm)) {
      if (!fresh) {
        countSummary(s_.summaries[standing->second], -1);
        s_.summaries[standing->second].applied = false;
      }
      standing->second = sm;
      countSummary(s_.summaries[sm], +1);
      s_.summaries[sm].applied = true;
    }
  }
  if (!event.addressToken) return;
  const Index tokenAt = s_.token(*event.addressToken);
  registerToken(tokenAt, summary.visitor, summary.content, summary.key, summary.receivedAtMs, s_.clientKey(stored.clientKey));
  rescore(s_.tokens[tokenAt].clickbacks);
}

void Scoring::addConversion(const StoredEvent& stored, const ConversionEvent& event) {
  const Index x = static_cast<Index>(s_.conversions.size());
  ConversionRecord conversion;
  conversion.key = EventKey(stored.event.timeMs, stored.event.id);
  conversion.visitor = s_.visitor(stored.visitor);
  const double value = event.value != 0 ? event.value : s_.settings.conversionWeight;
  conversion.valueMicros = std::llround(value * static_cast<double>(kMicrosPerUnit));
  conversion.receivedAtMs = stored.receivedAtMs;
  conversion.erased = stored.erased;
  s_.conversions.push_back(conversion);
  s_.visitors[conversion.visitor].conversions.emplace(conversion.key, x);
  applyConversion(x);
}

void Scoring::bindSubscriber(Index visitorAt, const std::string& id) {
  const Index sub = s_.subscriber(id);
  auto& bound = s_.visitors[visitorAt].subscribers;
  if (std::find(bound.begin(), bound.end(), sub) != bound.end()) return;
  bound.push_back(sub);
  s_.subscriberVisitors[sub].push_back(visitorAt);
}

ErasureCounts Scoring::erase(Index visitorAt, const std::string& anonymousId) {
  ErasureCounts erased;
  VisitorRecord& visitor = s_.visitors[visitorAt];
  erased.visitors = 1;
  for (const auto& [key, x] : visitor.conversions) {
    retractConversion(x);
    s_.conversions[x].erased = true;
    ++erased.conversions;
  }
  visitor.conversions.clear();
  for (const Index sm : visitor.summaries) {
    SummaryRecord& summary = s_.summaries[sm];
    if (summary.applied) {
      countSummary(summary, -1);
      summary.applied = false;
      s_.summaryByPageView.erase(summary.pageView);
    }
    summary.erased = true;
    ++erased.summaries;
  }
  for (const Index sh : visitor.shares) {
    ShareRecord& share = s_.shares[sh];
    if (share.applied) countShare(sh, -1);
    ContentRecord& content = s_.contents[share.content];
    const auto first = content.firstShare.find(visitorAt);
    if (first != content.firstShare.end() && first->second == sh) {
      s_.count(share.content, share.receivedAtMs, [](EngagementCounts& c) { c.sharers -= 1; });
      content.firstShare.erase(first);
    }
    share.erased = true;
    ++erased.shares;
  }
  // Their clickbacks leave the ranks of bursts; whoever ranked after them moves up.
  std::vector<Index> affected;
  for (const Index c : visitor.clickbacks) {
    const ClickbackRecord& click = s_.clickbacks[c];
    ++erased.clickbacks;
    affected.push_back(c);
    if (click.bot || click.erased) continue;
    const auto first = s_.firstOfPair.find(pairKey(click.visitor, click.token));
    if (first == s_.firstOfPair.end() || first->second != c) continue;
    leaveBurst(c, affected);
    s_.firstOfPair.erase(first);
  }
  rescore(affected, {}, [&] {
    for (const Index c : visitor.clickbacks) s_.clickbacks[c].erased = true;
  });
  for (const Index sub : visitor.subscribers) {
    auto& bound = s_.subscriberVisitors[sub];
    bound.erase(std::find(bound.begin(), bound.end(), visitorAt));
    if (bound.empty()) s_.subscriberIndex.erase(std::exchange(s_.subscribers[sub], std::string()));
  }
  visitor.subscribers.clear();
  s_.visitorIndex.erase(visitor.id);
  s_.visitorIndex.emplace(anonymousId, visitorAt);
  visitor.id = anonymousId;
  visitor.erased = true;
  return erased;
}

}  // namespace

ScoreBook::ScoreBook(ScoreSettings settings) : state_(std::make_unique<ScoreState>()) {
  state_->settings = settings;
}
ScoreBook::~ScoreBook() = default;
ScoreBook::ScoreBook(ScoreBook&&) noexcept = default;
ScoreBook& ScoreBook::operator=(ScoreBook&&) noexcept = default;

const ScoreSettings& ScoreBook::settings() const { return state_->settings; }

void ScoreBook::add(const StoredEvent& stored) {
  Scoring scoring(*state_);
  const Index visitor = state_->visitor(stored.visitor);
  if (stored.erased) state_->visitors[visitor].erased = true;
  if (stored.subscriber && !stored.erased) scoring.bindSubscriber(visitor, *stored.subscriber);
  if (const auto* e = std::get_if<ShareEvent>(&stored.event.body)) scoring.addShare(stored, *e);
  if (const auto* e = std::get_if<ClickbackEvent>(&stored.event.body)) scoring.addClickback(stored, *e);
  if (const auto* e = std::get_if<SummaryEvent>(&stored.event.body)) scoring.addSummary(stored, *e);
  if (const auto* e = std::get_if<ConversionEvent>(&stored.event.body)) {
    if (!stored.erased) scoring.addConversion(stored, *e);
  }
}

ErasureCounts ScoreBook::eraseVisitor(const std::string& visitor, const std::string& anonymousId) {
  const auto it = state_->visitorIndex.find(visitor);
  if (it == state_->visitorIndex.end() || state_->visitors[it->second].erased) return {};
  return Scoring(*state_).erase(it->second, anonymousId);
}

std::vector<std::string> ScoreBook::visitorsOf(const std::string& subscriber) const {
  std::vector<std::string> visitors;
  const auto it = state_->subscriberIndex.find(subscriber);
  if (it == state_->subscriberIndex.end()) return visitors;
  for (const Index v : state_->subscriberVisitors[it->second]) visitors.push_back(state_->visitors[v].id);
  return visitors;
}

std::optional<Verdict> ScoreBook::verdictOf(const std::string& clickbackEventId) const {
  // A scan: verdicts of single events are for tests; the figures keep counts.
  const std::uint64_t id = hashOf(clickbackEventId);
  for (const ClickbackRecord& click : state_->clickbacks) {
    if (click.key.id == id) return click.applied;
  }
  return std::nullopt;
}

}  // namespace sharetrack
