// The ScoreKeeper of a collector among several on one PostgreSQL database: its own transactions are
// announced before they commit and added by committed(), the others' are read by the follower, and
// an erasure anywhere rebuilds the books from the rows. Whatever order those come in, every
// committed transaction's events are in the books once. Played here against a model of the
// database's transactions (ids, commits, the horizon below which every transaction has ended), in
// seeded random interleavings.
#include "score_keeper.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "support/score_summary.hpp"
#include "support/share_world.hpp"
#include "support/test_random.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

namespace {

const std::string kSite = "acme";

// What the database holds: each transaction's events, and whether it is running or committed.
// The collector's own ones carry a batch, as the writer hands it to committed().
class DatabaseModel {
 public:
  struct Transaction {
    TransactionId id;
    bool own = false;
    bool running = true;
    bool reported = false;  // the writer told the keeper how its commit went (own ones)
    bool answerLost = false;  // it committed, but the writer heard a failure
    IncomingBatch batch;
    std::vector<StoreOutcome> outcomes;
  };

  explicit DatabaseModel(std::vector<StoredEvent> events) : pending_(std::move(events)) {}

  bool eventsLeft() const { return next_ < pending_.size(); }
  // A new transaction holding the next few events.
  Transaction& begin(bool own, test::TestRandom& random) {
    Transaction& t = transactions_[nextId_];
    t.id = nextId_++;
    t.own = own;
    t.batch.header.site = kSite;
    for (std::size_t n = 1 + random.below(4); n > 0 && eventsLeft(); --n) {
      t.batch.events.push_back(pending_[next_++]);
      t.outcomes.push_back(StoreOutcome::accepted);
    }
    return t;
  }
  void commit(Transaction& t) { t.running = false; }
  void rollBack(Transaction& t) {
    for (const StoredEvent& e : t.batch.events) rolledBack_.push_back(e);
    transactions_.erase(t.id);
  }
  // Every transaction below it has ended.
  TransactionId horizon() const {
    for (const auto& [id, t] : transactions_) {
      if (t.running) return id;
    }
    return nextId_;
  }
  std::vector<ScoreKeeper::Followed> committedIn(TransactionId from, TransactionId to) const {
    std::vector<ScoreKeeper::Followed> rows;
    for (auto it = transactions_.lower_bound(from); it != transactions_.end() && it->first < to; ++it) {
      if (it->second.running) continue;
      for (const StoredEvent& e : it->second.batch.events) rows.push_back({it->first, kSite, e});
    }
    return rows;
  }
  std::vector<Transaction*> pick(const std::function<bool(const Transaction&)>& which) {
    std::vector<Transaction*> found;
    for (auto& [id, t] : transactions_) {
      if (which(t)) found.push_back(&t);
    }
    return found;
  }
  std::vector<StoredEvent> committedEvents() const {
    std::vector<StoredEvent> events;
    for (const auto& [id, t] : transactions_) {
      if (!t.running) events.insert(events.end(), t.batch.events.begin(), t.batch.events.end());
    }
    return events;
  }

 private:
  std::vector<StoredEvent> pending_;
  std::size_t next_ = 0;
  TransactionId nextId_ = 100;
  std::map<TransactionId, Transaction> transactions_;
  std::vector<StoredEvent> rolledBack_;
};

// One collector: the writer's steps and the follower's, in an order the seed picks.
class Collector {
 public:
  Collector(DatabaseModel& db, ScoreKeeper& keeper, test::TestRandom& random)
      : db_(db), keeper_(keeper), random_(random) {}

  // A step of the writer, or another collector's commit: what may happen while the follower reads.
  void writerStep() {
    switch (random_.below(6)) {
      case 0:  // this collector's group commit starts and is announced
        if (db_.eventsLeft()) keeper_.announced(db_.begin(true, random_).id);
        break;
      case 1:  // and commits, or fails to
        if (auto running = own(true, false); !running.empty()) {
          DatabaseModel::Transaction& t = *running[random_.below(running.size())];
          if (random_.chance(10)) {
            // The commit failed, or its answer was lost and it committed all the same: the batch is
            // refused either way (its retry will meet duplicates), and only the follower can tell.
            if (random_.chance(50)) {
              keeper_.abandoned(t.id);
              db_.rollBack(t);
            } else {
              t.answerLost = true;  // the writer hears of it at a later step: the follower may read it first
              db_.commit(t);
            }
          } else {
            db_.commit(t);
          }
        }
        break;
      case 2:  // the writer tells the keeper what committed
        if (auto done = own(false, false); !done.empty()) report(*done.front());
        break;
      case 3:  // another collector begins
        if (db_.eventsLeft()) db_.begin(false, random_);
        break;
      default:  // another collector commits
        if (auto running = db_.pick([](const auto& t) { return !t.own && t.running; }); !running.empty()) {
          db_.commit(*running[random_.below(running.size())]);
        }
    }
  }

  // The follower's step: what ended since the last one, or (rarely, as after an erasure) a rebuild,
  // during whose reading the writer goes on.
  void followerStep() {
    if (random_.chance(15)) {
      REQUIRE(keeper_.rebuild([this](const ScoreKeeper::Adder& add) -> Result<TransactionId> {
        const TransactionId horizon = db_.horizon();
        for (const auto& row : db_.committedIn(0, horizon)) add(row.site, row.event);
        for (int n = static_cast<int>(random_.below(4)); n > 0; --n) writerStep();
        read_ = horizon;
        return horizon;
      }).ok());
      return;
    }
    const TransactionId horizon = db_.horizon();
    keeper_.followed(db_.committedIn(read_, horizon), horizon);
    read_ = horizon;
  }

  // Everything commits and is told, and the follower reads past it all.
  void settle() {
    for (auto* t : db_.pick([](const auto& t) { return t.running; })) db_.commit(*t);
    for (auto* t : own(false, false)) report(*t);
    const TransactionId horizon = db_.horizon();
    keeper_.followed(db_.committedIn(read_, horizon), horizon);
    read_ = horizon;
  }

 private:
  std::vector<DatabaseModel::Transaction*> own(bool running, bool reported) {
    return db_.pick([&](const auto& t) { return t.own && t.running == running && t.reported == reported; });
  }
  void report(DatabaseModel::Transaction& t) {
    t.reported = true;
    if (t.answerLost) {
      keeper_.abandoned(t.id);
    } else {
      keeper_.committed({&t.batch}, {t.outcomes}, t.id);
    }
  }

  DatabaseModel& db_;
  ScoreKeeper& keeper_;
  test::TestRandom& random_;
  TransactionId read_ = 0;
};

SitesConfig oneSite() {
  SitesConfig sites;
  sites.sites.push_back(Site{kSite, {"https://www.acme.example"}, {}, {}, 1e6, true, {}});
  return sites;
}

nlohmann::json summaryOf(const std::vector<StoredEvent>& events, const std::vector<StoredEvent>& asked) {
  ScoreBook book{ScoreSettings{}};
  for (const StoredEvent& e : events) book.add(e);
  return test::scoreSummary(book, asked);
}

}  // namespace

TEST_CASE("a collector's scores hold every committed transaction once, whatever order its writer and its follower "
          "and a rebuild meet it in",
          "[collector][scores]") {
  test::ShareWorldOptions world;
  world.events = 300;
  world.visitors = 40;
  const std::vector<StoredEvent> events = test::generateShareWorld(world);
  const SitesConfig sites = oneSite();
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    DatabaseModel db(events);
    ScoreKeeper keeper(sites);
    test::TestRandom random(seed);
    Collector collector(db, keeper, random);
    for (int step = 0; step < 600 && db.eventsLeft(); ++step) {
      if (random.chance(25)) {
        collector.followerStep();
      } else {
        collector.writerStep();
      }
    }
    collector.settle();
    const nlohmann::json kept = keeper.read(kSite, [&](const ScoreBook& book) { return test::scoreSummary(book, events); });
    const nlohmann::json expected = summaryOf(db.committedEvents(), events);
    REQUIRE(kept == expected);
  }
}
