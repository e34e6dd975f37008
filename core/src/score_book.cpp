// How stored events move the ScoreBook. Each fact is recorded, then whatever it changes is
// retracted and applied again: a clickback's verdict, counts and credits (countClickback), a
// conversion's attribution (applyConversion). A visitor joining a cascade is a new leaf, added in
// O(depth); an event that arrives late and reveals an earlier join of a visitor already placed
// moves that visitor with their subtree (move), re-judging only what their subtree's tokens
// reach; a token claimed by two visitors (forged) rebuilds the content from its facts. So the
// figures are the same in whatever order events come.
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

// Inserts `item` into `list`, kept in the order of `keyOf`; returns its position.
template <typename KeyOf>
std::size_t insertSorted(std::vector<Index>& list, Index item, KeyOf keyOf) {
  const auto at = std::upper_bound(list.begin(), list.end(), item,
                                   [&](Index a, Index b) { return keyOf(a) < keyOf(b); });
  const auto position = at - list.begin();  // before the insert, which may move the list
  list.insert(at, item);
  return static_cast<std::size_t>(position);
}

}  // namespace

Index ScoreState::visitor(const std::string& id) {
  const Index at = intern(visitorIndex, nullptr, id, visitors.size());
  if (at == visitors.size()) {
    visitors.emplace_back();
    visitors.back().id = id;
  }
  return at;
}

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

Index ScoreState::content(const std::string& id) {
  const Index at = intern(contentIndex, nullptr, id, contents.size());
  if (at == contents.size()) {
    contents.emplace_back();
    contents.back().id = id;
  }
  return at;
}

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

// The mutations, over one State.
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
  Verdict verdictOf(const ClickbackRecord& c) const;
  bool isProperAncestor(Index content, Index ancestor, Index of) const;
  void countClickback(Index c, Verdict verdict, int sign);
  std::vector<Index> chainOf(Index token) const;
  void applyConversion(Index x);
  void retractConversion(Index x);
  // Retracts what `clickbacks` and `conversions` stand for, runs `change`, applies them again;
  // then re-attributes the conversions of visitors whose counted clickbacks changed.
  template <typename Change>
  void rescore(std::vector<Index> clickbacks, std::vector<Index> conversions, Change change);
  void rescore(std::vector<Index> clickbacks) {
    rescore(std::move(clickbacks), {}, [] {});
  }

  // Cascades.
  template <typename HasNode>
  std::vector<Join> joinsOf(Index visitor, Index content, HasNode hasNode) const;
  // The earliest join that keeps the tree a tree; marks the visitor blocked when an earlier one
  // would close a loop as the tree stands.
  Join bestJoin(Index visitor, Index content);
  // A node for `visitor` at their best join: a new leaf, or, when a late event revealed an earlier
  // join, the node moved there with its subtree; then blocked visitors are tried again.
  void place(Index visitor, Index content);
  bool placeOnce(Index visitor, Index content);  // true when a node moved
  // `visitor` arrived through `token` (a clickback, or a share naming it as the parent).
  void arrive(Index visitor, Index token);
  void attach(Index visitor, Index content, const Join& join);
  void move(Index node, Index content, const Join& join);
  CascadeRecord rootedAt(Index node, Index content, const Join& join) const;
  std::vector<Index> subtreeOf(Index node) const;
  // What a node's chain reaches: clickbacks through the tokens its subtree minted, and the
  // conversions credited through them.
  void creditedThrough(const std::vector<Index>& members, Index content, std::vector<Index>& clickbacks,
                       std::vector<Index>& conversions) const;
  void rebuild(Index content);
  void rebuildTree(Index content);

  // Tokens, summaries, shares.
  bool registerToken(Index token, Index minter, Index content, const EventKey& key, std::int64_t atMs, Index sharerKey);
  void countSummary(const SummaryRecord& summary, int sign);
  void countShare(Index share, int sign);
  std::vector<Index> clickbacksOfContent(Index content) const;
  // Bursts rank the first clickback of each visitor through a token from one client key; joining
  // or leaving a rank moves those after it, which are added to `affected`.
  void joinBurst(Index c, std::vector<Index>& affected);
  void leaveBurst(Index c, std::vector<Index>& affected);
  auto keyOf() const {
    return [this](Index c) -> const EventKey& { return s_.clickbacks[c].key; };
  }

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

Verdict Scoring::verdictOf(const ClickbackRecord& c) const {
  if (c.bot) return Verdict::bot;
  const Index self = static_cast<Index>(&c - s_.clickbacks.data());
  if (s_.clickbacksByPair.at(pairKey(c.visitor, c.token)).front() != self) return Verdict::duplicate;
  const TokenRecord& token = s_.tokens[c.token];
  if (!token.registered) return Verdict::waiting;
  if (token.minter == c.visitor) return Verdict::self;
  if (isProperAncestor(token.content, c.visitor, token.minter)) return Verdict::ownChain;
  if (c.clientKey != kNone) {
    if (c.clientKey == token.sharerKey) return Verdict::suspicious;
    const auto& firsts = s_.firstsByClient.at(pairKey(c.token, c.clientKey));
    const auto rank = std::find(firsts.begin(), firsts.end(), self) - firsts.begin();
    if (rank >= static_cast<std::ptrdiff_t>(s_.settings.burstLimit)) return Verdict::suspicious;
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
  const auto channel = static_cast<std::size_t>(s_.tokens[click.token].channel);
  s_.count(click.content, click.receivedAtMs, [&](EngagementCounts& c) {
    c.verdicts[static_cast<std::size_t>(verdict)] += sign;
    if (verdict == Verdict::counted) c.clickbacks[channel] += sign;
  });
  click.applied = sign > 0 ? std::optional<Verdict>(verdict) : std::nullopt;
  if (verdict != Verdict::counted) return;
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
  Index through = kNone;
  for (const Index c : s_.visitors[conversion.visitor].clickbacks) {
    const ClickbackRecord& click = s_.clickbacks[c];
    if (click.applied != Verdict::counted || conversion.key < click.key) continue;
    if (conversion.key.timeMs - click.key.timeMs > s_.settings.attributionWindowMs) continue;
    if (through == kNone || s_.clickbacks[through].key < click.key) through = c;
  }
  conversion.creditedThrough = through;
  if (through == kNone) return;
  const Index tokenAt = s_.clickbacks[through].token;
  const std::vector<Index> chain = chainOf(tokenAt);
  const std::vector<std::int64_t> parts = splitCredit(conversion.valueMicros, chain.size(), s_.settings.chainFactor);
  for (std::size_t level = 0; level < chain.size(); ++level) {
    s_.visitors[chain[level]].creditMicros += parts[level];
    s_.visitors[chain[level]].conversionsInfluenced += 1;
  }
  const Index content = s_.tokens[tokenAt].content;
  s_.count(content, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.creditedConversions += 1;
    c.creditedValueMicros += conversion.valueMicros;
  });
  s_.tokens[tokenAt].creditedConversions.push_back(x);
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
  const Index content = s_.tokens[tokenAt].content;
  s_.count(content, conversion.receivedAtMs, [&](EngagementCounts& c) {
    c.creditedConversions -= 1;
    c.creditedValueMicros -= conversion.valueMicros;
  });
  auto& credited = s_.tokens[tokenAt].creditedConversions;
  credited.erase(std::find(credited.begin(), credited.end(), x));
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
    const ClickbackRecord& click = s_.clickbacks[clickbacks[i]];
    if (click.erased) continue;
    countClickback(clickbacks[i], verdictOf(click), +1);
    if (wasCounted[i] != (click.applied == Verdict::counted)) reattribute.insert(click.visitor);
  }
  for (const Index x : conversions) applyConversion(x);
  for (const Index visitor : reattribute) {
    for (const Index x : s_.visitors[visitor].conversions) {
      retractConversion(x);
      applyConversion(x);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Cascades

// Every way `visitor` could have joined `content`'s cascade, earliest first: a first-generation
// token it registered (a root), or an arrival through another's token whose minter has a node.
template <typename HasNode>
std::vector<Join> Scoring::joinsOf(Index visitorAt, Index content, HasNode hasNode) const {
  const VisitorRecord& visitor = s_.visitors[visitorAt];
  std::vector<Join> joins;
  const auto arrival = [&](Index tokenAt, const EventKey& key, std::int64_t atMs) {
    const TokenRecord& token = s_.tokens[tokenAt];
    if (!token.registered || token.content != content || token.minter == visitorAt) return;
    if (!hasNode(token.minter)) return;
    joins.push_back(Join{key, tokenAt, atMs});
  };
  for (const Index t : visitor.tokens) {
    const TokenRecord& token = s_.tokens[t];
    if (token.content == content && token.minter == visitorAt && token.depth == 0) {
      joins.push_back(Join{token.registeredBy, kNone, token.registeredAtMs});
    }
  }
  for (const Index c : visitor.clickbacks) {
    const ClickbackRecord& click = s_.clickbacks[c];
    if (!click.bot) arrival(click.token, click.key, click.receivedAtMs);
  }
  for (const Index sh : visitor.shares) {
    const ShareRecord& share = s_.shares[sh];
    if (share.content == content && share.parent != kNone) arrival(share.parent, share.key, share.receivedAtMs);
  }
  std::sort(joins.begin(), joins.end(), [](const Join& a, const Join& b) { return a.key < b.key; });
  if (joins.empty()) {
    // A root for want of a known arrival: from its earliest token for the content.
    Join root;
    root.atMs = INT64_MAX;
    for (const Index t : visitor.tokens) {
      if (s_.tokens[t].content == content) root.atMs = std::min(root.atMs, s_.tokens[t].registeredAtMs);
    }
    joins.push_back(root);
  }
  return joins;
}

Join Scoring::bestJoin(Index visitorAt, Index content) {
  const auto hasNode = [&](Index minter) { return s_.nodeOf(content, minter) != nullptr; };
  const std::vector<Join> joins = joinsOf(visitorAt, content, hasNode);
  const auto acyclic = std::find_if(joins.begin(), joins.end(), [&](const Join& join) {
    return join.via == kNone || !isProperAncestor(content, visitorAt, s_.tokens[join.via].minter);
  });
  auto& blocked = s_.contents[content].blocked;
  if (acyclic == joins.begin()) {
    blocked.erase(visitorAt);
    return *acyclic;
  }
  blocked.insert(visitorAt);
  if (acyclic != joins.end()) return *acyclic;
  Join root;  // every join closes a loop (only forged events do that for good): a root meanwhile
  root.atMs = joins.front().atMs;
  return root;
}

void Scoring::place(Index visitorAt, Index content) {
  if (!placeOnce(visitorAt, content)) return;
  // A move may open a way for those whose earliest join closed a loop before it; bounded, since
  // forged events can make loops that never open.
  for (int pass = 0; pass < 16; ++pass) {
    bool moved = false;
    const std::set<Index> blocked = s_.contents[content].blocked;
    for (const Index w : blocked) moved = placeOnce(w, content) || moved;
    if (!moved) return;
  }
}

bool Scoring::placeOnce(Index visitorAt, Index content) {
  const Join best = bestJoin(visitorAt, content);
  const NodeRecord* node = s_.nodeOf(content, visitorAt);
  if (!node) {
    attach(visitorAt, content, best);
    return false;
  }
  const Join& now = node->join;
  if (now.via == best.via && now.atMs == best.atMs && !(best.key < now.key) && !(now.key < best.key)) return false;
  const Index at = static_cast<Index>(node - s_.nodes.data());
  std::vector<Index> clickbacks, conversions;
  creditedThrough(subtreeOf(at), content, clickbacks, conversions);
  rescore(std::move(clickbacks), std::move(conversions), [&] { move(at, content, best); });
  return true;
}

void Scoring::arrive(Index visitorAt, Index tokenAt) {
  const TokenRecord& token = s_.tokens[tokenAt];
  if (!token.registered || token.minter == visitorAt) return;
  place(token.minter, token.content);
  place(visitorAt, token.content);
}

CascadeRecord Scoring::rootedAt(Index node, Index content, const Join& join) const {
  CascadeRecord cascade;
  cascade.content = content;
  cascade.root = node;
  cascade.startedAtMs = join.atMs;
  cascade.tie = hashOf(s_.contents[content].id, join.key.id ^ static_cast<std::uint64_t>(join.key.timeMs));
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
    for (const Index t : s_.visitors[s_.nodes[m].visitor].tokens) {
      const TokenRecord& token = s_.tokens[t];
      if (token.content != content) continue;
      clickbacks.insert(clickbacks.end(), token.clickbacks.begin(), token.clickbacks.end());
      conversions.insert(conversions.end(), token.creditedConversions.begin(), token.creditedConversions.end());
    }
  }
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

std::vector<Index> Scoring::clickbacksOfContent(Index content) const {
  std::vector<Index> clickbacks;
  for (const Index t : s_.contents[content].tokens) {
    const auto& through = s_.tokens[t].clickbacks;
    clickbacks.insert(clickbacks.end(), through.begin(), through.end());
  }
  return clickbacks;
}

void Scoring::rebuild(Index content) {
  std::vector<Index> conversions;
  for (const Index t : s_.contents[content].tokens) {
    const auto& credited = s_.tokens[t].creditedConversions;
    conversions.insert(conversions.end(), credited.begin(), credited.end());
  }
  rescore(clickbacksOfContent(content), std::move(conversions), [&] { rebuildTree(content); });
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

bool Scoring::registerToken(Index tokenAt, Index minter, Index content, const EventKey& key, std::int64_t atMs,
                            Index sharerKey) {
  TokenRecord& token = s_.tokens[tokenAt];
  if (token.registered && !(key < token.registeredBy)) return true;
  const bool fresh = !token.registered;
  const bool claimMoved = !fresh && (token.minter != minter || token.content != content);
  const auto registration = [&] {
    if (claimMoved) {
      auto& oldTokens = s_.contents[token.content].tokens;
      oldTokens.erase(std::find(oldTokens.begin(), oldTokens.end(), tokenAt));
      auto& minted = s_.visitors[token.minter].tokens;
      minted.erase(std::find(minted.begin(), minted.end(), tokenAt));
    }
    if (fresh || claimMoved) {
      s_.contents[content].tokens.push_back(tokenAt);
      s_.visitors[minter].tokens.push_back(tokenAt);
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
    // Both contents are rebuilt: the one it leaves here, the one it joins by the caller.
    const Index oldContent = token.content;
    rescore(token.clickbacks, token.creditedConversions, [&] {
      registration();
      if (oldContent != content) rebuild(oldContent);
    });
    return false;
  }
  registration();
  // An earlier root claim may move its minter; what waited for the token can now join.
  if (s_.nodeOf(content, minter)) place(minter, content);
  for (const Index c : std::vector<Index>(token.clickbacks)) {
    if (!s_.clickbacks[c].bot) arrive(s_.clickbacks[c].visitor, tokenAt);
  }
  for (const Index sh : std::vector<Index>(token.childShares)) arrive(s_.shares[sh].visitor, tokenAt);
  return true;
}

void Scoring::countShare(Index sh, int sign) {
  ShareRecord& share = s_.shares[sh];
  share.applied = sign > 0;
  s_.count(share.content, share.receivedAtMs,
           [&](EngagementCounts& c) { c.shares[static_cast<std::size_t>(share.channel)] += sign; });
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

  const Index contentAt = share.content;
  if (!registerToken(share.token, share.visitor, contentAt, share.key, share.receivedAtMs,
                     s_.clientKey(stored.clientKey))) {
    return rebuild(contentAt);
  }
  if (share.parent != kNone) arrive(share.visitor, share.parent);
  place(share.visitor, contentAt);
  rescore(s_.tokens[share.token].clickbacks);
}

void Scoring::joinBurst(Index c, std::vector<Index>& affected) {
  const ClickbackRecord& click = s_.clickbacks[c];
  if (click.clientKey == kNone) return;
  auto& firsts = s_.firstsByClient[pairKey(click.token, click.clientKey)];
  const std::size_t at = insertSorted(firsts, c, keyOf());
  affected.insert(affected.end(), firsts.begin() + static_cast<std::ptrdiff_t>(at), firsts.end());
}

void Scoring::leaveBurst(Index c, std::vector<Index>& affected) {
  const ClickbackRecord& click = s_.clickbacks[c];
  if (click.clientKey == kNone) return;
  auto& firsts = s_.firstsByClient[pairKey(click.token, click.clientKey)];
  const auto at = std::find(firsts.begin(), firsts.end(), c);
  const auto position = at - firsts.begin();
  firsts.erase(at);
  affected.insert(affected.end(), firsts.begin() + position, firsts.end());
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
    auto& pair = s_.clickbacksByPair[pairKey(click.visitor, click.token)];
    const Index oldFirst = pair.empty() ? kNone : pair.front();
    if (insertSorted(pair, c, keyOf()) == 0) {
      if (oldFirst != kNone) {
        affected.push_back(oldFirst);
        leaveBurst(oldFirst, affected);
      }
      joinBurst(c, affected);
    }
  }
  if (!click.bot) arrive(click.visitor, click.token);
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
  const Index contentAt = summary.content;
  if (!registerToken(tokenAt, summary.visitor, contentAt, summary.key, summary.receivedAtMs,
                     s_.clientKey(stored.clientKey))) {
    return rebuild(contentAt);
  }
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
  s_.visitors[conversion.visitor].conversions.push_back(x);
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
  for (const Index x : visitor.conversions) {
    retractConversion(x);
    s_.conversions[x].erased = true;
    ++erased.conversions;
  }
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
  // Their clickbacks leave the ranks of duplicates and bursts; whoever ranked after them moves up.
  std::vector<Index> affected;
  for (const Index c : visitor.clickbacks) {
    ClickbackRecord& click = s_.clickbacks[c];
    ++erased.clickbacks;
    affected.push_back(c);
    if (click.bot || click.erased) continue;
    auto& pair = s_.clickbacksByPair[pairKey(click.visitor, click.token)];
    const bool wasFirst = pair.front() == c;
    pair.erase(std::find(pair.begin(), pair.end(), c));
    if (!wasFirst) continue;
    leaveBurst(c, affected);
    if (!pair.empty()) {
      affected.push_back(pair.front());
      joinBurst(pair.front(), affected);
    }
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
