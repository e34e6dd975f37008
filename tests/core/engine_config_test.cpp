#include "sharetrack/engine_config.hpp"

#include <catch2/catch.hpp>

#include "support/engine_harness.hpp"

using namespace sharetrack;

TEST_CASE("engine configuration is checked", "[engine_config]") {
  EngineConfig config = test::testConfig();
  CHECK(validateEngineConfig(config).ok());
  config.site = "Acme";
  CHECK(validateEngineConfig(config).error().code == ErrorCode::fieldCharset);
  config = test::testConfig();
  config.shareUrl.tokenParam = "s t";
  CHECK(validateEngineConfig(config).error().code == ErrorCode::paramNameInvalid);
  config = test::testConfig();
  config.subscriberParam = "st";
  CHECK(validateEngineConfig(config).error().code == ErrorCode::paramNameInvalid);
  config = test::testConfig();
  config.maxBatchBytes = kMaxBatchBytes + 1;
  CHECK(validateEngineConfig(config).error().code == ErrorCode::fieldRange);
  config = test::testConfig();
  config.flushAgeMs = -1;
  CHECK(validateEngineConfig(config).error().code == ErrorCode::fieldRange);
  config = test::testConfig();
  config.summaries.viewableRatio = 0;
  CHECK(validateEngineConfig(config).error().code == ErrorCode::fieldRange);
}
