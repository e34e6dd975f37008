#include "pg_client_key_secrets.hpp"

#include "pg_rows.hpp"

namespace sharetrack::collector {

Result<std::unique_ptr<PgClientKeySecrets>> PgClientKeySecrets::open(const std::string& url) {
  auto connection = PgConnection::open(url);
  if (!connection) return connection.error();
  return std::unique_ptr<PgClientKeySecrets>(new PgClientKeySecrets(std::move(connection).value()));
}

std::optional<ClientKeySecret> PgClientKeySecrets::forDay(std::int64_t day) {
  const ClientKeySecret drawn = randomClientKeySecret();
  std::string hex(2 * drawn.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), drawn.data(), drawn.size());
  hex.pop_back();
  std::string kept;
  const Status done = db_->transaction([&]() -> Status {
    auto drawnHere = db_->run("INSERT INTO client_key_secrets (day, secret) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
                              {pgNumber(day), hex}, "draw the day's client-key secret");
    if (!drawnHere) return drawnHere.error();
    // Yesterday's stays for the requests that straddle midnight.
    auto forgotten = db_->run("DELETE FROM client_key_secrets WHERE day < $1", {pgNumber(day - 1)},
                              "forget old client-key secrets");
    if (!forgotten) return forgotten.error();
    auto found = db_->run("SELECT secret FROM client_key_secrets WHERE day = $1", {pgNumber(day)},
                          "read the day's client-key secret");
    if (!found) return found.error();
    kept = found.value().text(0, 0);
    return {};
  });
  ClientKeySecret secret{};
  if (!done || sodium_hex2bin(secret.data(), secret.size(), kept.data(), kept.size(), nullptr, nullptr, nullptr) != 0) {
    return std::nullopt;
  }
  return secret;
}

}  // namespace sharetrack::collector
