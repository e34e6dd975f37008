#include "support/collector_http.hpp"

#include <catch2/catch.hpp>

#include "sharetrack/answer_decode.hpp"
#include "support/vectors.hpp"

namespace sharetrack::test {

CollectorSetup::CollectorSetup(const std::string& sites, const std::vector<std::string>& extra) {
  folder.write("sites.json", sites);
  collector = std::make_unique<CollectorProcess>(database.name(), folder.file("sites.json"), extra);
}

httplib::Client CollectorSetup::client() const {
  httplib::Client c("127.0.0.1", collector->port());
  c.set_read_timeout(10);
  return c;
}

httplib::Result post(httplib::Client& client, const std::string& body, const std::string& origin,
                     const std::string& userAgent) {
  httplib::Headers headers{{"User-Agent", userAgent}};
  if (!origin.empty()) headers.emplace("Origin", origin);
  return client.Post("/v1/batch", headers, body, "text/plain;charset=UTF-8");
}

BatchAnswer answerOf(const httplib::Result& result) {
  REQUIRE(result);
  INFO(result->body);
  REQUIRE(result->status == 200);
  const auto decoded = decodeAnswer(result->body);
  REQUIRE(decoded.ok());
  return std::get<BatchAnswer>(decoded.value());
}

std::string refusalCode(const httplib::Result& result) {
  REQUIRE(result);
  const auto decoded = decodeAnswer(result->body);
  INFO(result->body);
  REQUIRE(decoded.ok());
  return std::get<BatchRefusal>(decoded.value()).code;
}

nlohmann::json validBatch() { return loadVectors("batches.json")["valid"][0]["batch"]; }

}  // namespace sharetrack::test
