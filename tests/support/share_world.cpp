#include "share_world.hpp"

#include <algorithm>
#include <map>

#include "sharetrack/token.hpp"
#include "support/test_random.hpp"

namespace sharetrack::test {
namespace {

constexpr char kHex[] = "0123456789abcdef";

struct Minted {
  std::string text;
  ShareToken token;
  std::size_t minter;
  std::size_t content;
};

struct Person {
  std::string id;
  std::optional<std::string> subscriber;
  std::string homeKey;
  std::int64_t skewMs = 0;
  std::map<std::size_t, std::size_t> arrival;  // content -> index into minted
  std::map<std::size_t, std::uint32_t> seq;    // content -> last summary seq of the current page view
  std::size_t pageViews = 0;
};

class World {
 public:
  explicit World(const ShareWorldOptions& options) : o_(options), random_(options.seed) {
    for (std::size_t i = 0; i < o_.visitors; ++i) {
      Person person;
      person.id = random_.text(kHex, 32, 32);
      if (random_.chance(20)) person.subscriber = "sub-" + std::to_string(random_.below(o_.visitors / 3 + 1));
      person.homeKey = "key-" + std::to_string(i);
      person.skewMs = static_cast<std::int64_t>(random_.below(4 * kHourMs)) - 2 * kHourMs;
      people_.push_back(std::move(person));
    }
  }

  std::vector<StoredEvent> run() {
    for (std::size_t step = 0; events_.size() < o_.events; ++step) {
      now_ = o_.startMs + static_cast<std::int64_t>(step) * (o_.spanMs / static_cast<std::int64_t>(o_.events));
      const auto roll = random_.below(100);
      if (roll < 18 || minted_.empty()) {
        share();
      } else if (roll < 65) {
        click();
      } else if (roll < 94) {
        summary(random_.below(people_.size()), random_.below(o_.contents), std::nullopt);
      } else {
        conversion();
      }
    }
    return events_;
  }

 private:
  StoredEvent& emit(std::size_t who, EventBody body) {
    StoredEvent stored;
    const Person& person = people_[who];
    stored.visitor = person.id;
    stored.subscriber = person.subscriber;
    stored.clientKey = random_.chance(10) ? "key-office" : person.homeKey;
    stored.event.id = "ev-" + std::to_string(events_.size()) + "-" + random_.text(kHex, 8, 8);
    stored.event.timeMs = now_ + person.skewMs;
    stored.receivedAtMs = now_ + static_cast<std::int64_t>(random_.below(30000));
    stored.event.body = std::move(body);
    events_.push_back(std::move(stored));
    return events_.back();
  }

  std::string content(std::size_t c) const { return "testimonial-" + std::to_string(c); }

  std::size_t mint(std::size_t who, std::size_t c, Channel channel) {
    std::optional<ShareToken> parent;
    if (const auto it = people_[who].arrival.find(c); it != people_[who].arrival.end()) parent = minted_[it->second].token;
    const ShareToken token = mintToken(random_.next(), now_, channel, parent).value();
    minted_.push_back(Minted{formatToken(token), token, who, c});
    return minted_.size() - 1;
  }

  std::optional<std::string> parentText(std::size_t who, std::size_t c) const {
    const auto it = people_[who].arrival.find(c);
    if (it == people_[who].arrival.end()) return std::nullopt;
    return minted_[it->second].text;
  }

  void share() {
    // Mostly people who arrived through someone's link: cascades grow hops.
    std::size_t who = random_.below(people_.size());
    std::size_t c = random_.below(o_.contents);
    if (!arrivals_.empty() && random_.chance(70)) std::tie(who, c) = arrivals_[random_.below(arrivals_.size())];
    const auto channel = static_cast<Channel>(random_.below(kChannelCount - 1));  // not the address bar
    const std::optional<std::string> parent = parentText(who, c);
    const std::size_t m = mint(who, c, channel);
    emit(who, ShareEvent{content(c), "page-view-" + std::to_string(people_[who].pageViews++), minted_[m].text, parent, channel});
  }

  void click() {
    const std::size_t m = minted_.size() - 1 - random_.below(std::min<std::size_t>(minted_.size(), 40));
    const Minted token = minted_[m];
    std::size_t who = random_.below(people_.size());
    bool ownCascade = false;
    const auto roll = random_.below(100);
    if (roll < 8) {
      who = token.minter;  // a self-click: a reload
      ownCascade = true;
    } else if (roll < 14) {
      // An ancestor coming back: whoever the minter arrived through.
      if (const auto it = people_[token.minter].arrival.find(token.content); it != people_[token.minter].arrival.end()) {
        who = minted_[it->second].minter;
        ownCascade = true;
      }
    }
    ClickbackEvent clickback{content(token.content), "page-view-" + std::to_string(people_[who].pageViews++), token.text};
    if (random_.chance(4)) clickback.botSignals = botWebdriver;
    StoredEvent& stored = emit(who, clickback);
    if (random_.chance(3)) stored.requestBot = true;
    if (random_.chance(8)) stored.clientKey = people_[token.minter].homeKey;  // the sharer's own network
    if (clickback.botSignals || stored.requestBot || ownCascade) return;
    if (people_[who].arrival.emplace(token.content, m).second) arrivals_.emplace_back(who, token.content);
    // The landing replaces the token in the address bar with the visitor's own.
    if (random_.chance(60)) {
      const std::size_t own = mint(who, token.content, Channel::addressbar);
      summary(who, token.content, minted_[own].text);
    }
  }

  void summary(std::size_t who, std::size_t c, std::optional<std::string> addressToken) {
    Person& person = people_[who];
    SummaryEvent summary;
    summary.content = content(c);
    const bool sameView = person.seq.count(c) && random_.chance(50);
    summary.seq = sameView ? person.seq[c] + 1 : 1;
    person.seq[c] = summary.seq;
    summary.pageView = "page-view-" + std::to_string(sameView ? person.pageViews : ++person.pageViews) + "-" + std::to_string(c);
    summary.viewable = random_.chance(70);
    summary.dwellMs = static_cast<std::uint32_t>(random_.below(60000));
    if (random_.chance(30)) {
      summary.videoQuartile = static_cast<std::uint8_t>(random_.below(5));
      summary.videoWatchedMs = static_cast<std::uint32_t>(random_.below(90000));
    }
    if (random_.chance(20)) summary.shares[random_.below(kChannelCount - 1)] = 1;
    summary.addressToken = std::move(addressToken);
    StoredEvent& stored = emit(who, summary);
    if (random_.chance(3)) stored.requestBot = true;
  }

  void conversion() {
    const std::size_t who = arrivals_.empty() ? random_.below(people_.size()) : arrivals_[random_.below(arrivals_.size())].first;
    const double value = random_.chance(30) ? 0 : static_cast<double>(random_.below(10000)) / 100;
    emit(who, ConversionEvent{"signup", value});
  }

  ShareWorldOptions o_;
  TestRandom random_;
  std::vector<Person> people_;
  std::vector<Minted> minted_;
  std::vector<std::pair<std::size_t, std::size_t>> arrivals_;  // (visitor, content)
  std::vector<StoredEvent> events_;
  std::int64_t now_ = 0;
};

}  // namespace

std::vector<StoredEvent> generateShareWorld(const ShareWorldOptions& options) { return World(options).run(); }

}  // namespace sharetrack::test
