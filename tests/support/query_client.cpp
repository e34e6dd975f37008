#include "support/query_client.hpp"

#include <filesystem>
#include <fstream>

namespace sharetrack::test {

QueryClient::QueryClient(int port, std::string token, std::string recordName)
    : client_("127.0.0.1", port), token_(std::move(token)), recordName_(std::move(recordName)) {
  client_.set_read_timeout(30);
}

QueryClient::~QueryClient() {
  const std::filesystem::path folder = SHARETRACK_API_ANSWERS_DIR;
  std::filesystem::create_directories(folder);
  std::ofstream(folder / (recordName_ + ".json")) << answers_.dump(1);
}

ApiAnswer QueryClient::get(const std::string& target, const std::optional<std::string>& token) {
  return call("GET", target, token);
}

ApiAnswer QueryClient::remove(const std::string& target, const std::optional<std::string>& token) {
  return call("DELETE", target, token);
}

ApiAnswer QueryClient::call(const std::string& method, const std::string& target,
                            const std::optional<std::string>& token) {
  httplib::Headers headers;
  const std::string bearer = token.value_or(token_);
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  const httplib::Result result = method == "GET" ? client_.Get(target, headers) : client_.Delete(target, headers);
  ApiAnswer answer;
  if (!result) return answer;
  answer.status = result->status;
  answer.contentType = result->get_header_value("Content-Type");
  answer.text = result->body;
  const bool isJson = answer.contentType.rfind("application/json", 0) == 0;
  if (isJson) answer.body = nlohmann::json::parse(answer.text, nullptr, false);
  const std::size_t question = target.find('?');
  answers_.push_back({{"method", method},
                      {"path", target.substr(0, question)},
                      {"query", question == std::string::npos ? "" : target.substr(question + 1)},
                      {"status", answer.status},
                      {"contentType", answer.contentType},
                      {"body", isJson && !answer.body.is_discarded() ? answer.body : nlohmann::json(answer.text)}});
  return answer;
}

}  // namespace sharetrack::test
