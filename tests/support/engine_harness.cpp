#include "support/engine_harness.hpp"

#include <catch2/catch.hpp>

namespace sharetrack::test {

EngineConfig testConfig() {
  EngineConfig config;
  config.site = "acme";
  return config;
}

std::unique_ptr<Engine> BrowserProfile::open(const EngineConfig& config, const PrivacySignals& signals) {
  const Seed seed{seeds, seeds * 31 + 7, seeds * 131 + 3, 99};
  ++seeds;
  auto engine = std::make_unique<Engine>(config, seed, nowMs);
  engine->setPrivacySignals(signals);
  if (engine->permissions().store) {
    if (!visitorSnapshot.empty()) REQUIRE(engine->mergeVisitor(visitorSnapshot, nowMs).ok());
    for (const auto& [name, text] : queuePieces) REQUIRE(engine->adoptQueue(text, nowMs).ok());
  }
  queuePieces.clear();  // the adopted queue gives way to this tab's, which holds its events
  persist(*engine);
  return engine;
}

void BrowserProfile::persist(Engine& engine, bool pageHiding) {
  const PersistPlan plan = engine.takePersist(nowMs, pageHiding);
  if (plan.erase) visitorSnapshot.clear(), queuePieces.clear();
  if (plan.visitor) visitorSnapshot = engine.visitorSnapshot();
  if (plan.queue) applyQueueWrites(queuePieces, engine.takeQueueWrites());
}

SendReport sendReport(std::uint32_t sendId, SendKind kind) {
  SendReport report;
  report.sendId = sendId;
  report.kind = kind;
  return report;
}

BatchHeader batchHeader() {
  BatchHeader header;
  header.site = "acme";
  header.id = "batch-0001";
  header.visitor = "0123456789abcdef0123456789abcdef";
  return header;
}

std::size_t queuedOfType(const Engine& engine, const std::string& type) {
  std::size_t count = 0;
  for (const QueuedEvent& e : engine.queue().events()) {
    count += e.json.find("\"type\":\"" + type + "\"") != std::string::npos ? 1 : 0;
  }
  return count;
}

}  // namespace sharetrack::test
