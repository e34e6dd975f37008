// The query API over HTTP, as the dashboard calls it. Every answer is kept and written, when the
// client goes, to tests/api-answers/<name>.json under the build tree, where the OpenAPI test
// (tests/api/openapi.test.mjs) checks each one against collector/openapi.yaml.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sharetrack::test {

struct ApiAnswer {
  int status = 0;
  std::string contentType;
  std::string text;
  nlohmann::json body;  // parsed when JSON, else null
};

class QueryClient {
 public:
  // `token` is sent as the bearer token unless a call names another (empty: none).
  QueryClient(int port, std::string token, std::string recordName);
  ~QueryClient();
  QueryClient(const QueryClient&) = delete;
  QueryClient& operator=(const QueryClient&) = delete;

  ApiAnswer get(const std::string& target, const std::optional<std::string>& token = std::nullopt);
  ApiAnswer remove(const std::string& target, const std::optional<std::string>& token = std::nullopt);

 private:
  ApiAnswer call(const std::string& method, const std::string& target, const std::optional<std::string>& token);

  httplib::Client client_;
  std::string token_;
  std::string recordName_;
  nlohmann::json answers_ = nlohmann::json::array();
};

}  // namespace sharetrack::test
