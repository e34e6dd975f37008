// A key for "the same client" that is not its IP address: a keyed hash (SipHash-2-4, libsodium's
// crypto_shorthash) of the address and the day, under a secret. It rotates daily, and no one can
// reverse it or link two days without the secret, so it may be kept in memory, logs and rows; the
// IP never is. A collector alone uses a secret drawn when it starts and never written anywhere;
// several collectors on one database must give a client the same key, so they share each day's
// secret through it (pg_client_key_secrets.hpp), which forgets a day's secret after the next day.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sharetrack::collector {

using ClientKeySecret = std::array<unsigned char, crypto_shorthash_KEYBYTES>;

// A fresh random secret (libsodium's randombytes_buf); sodium_init() must have run.
ClientKeySecret randomClientKeySecret();

// The secret several collectors share for a UTC day (days since the epoch); nullopt when it
// cannot be had now.
using SharedDaySecret = std::function<std::optional<ClientKeySecret>(std::int64_t day)>;

class ClientKeys {
 public:
  // One collector: its own secret.
  explicit ClientKeys(const ClientKeySecret& secret) : own_(secret) {}
  // Several: each day's secret from `shared`, asked once a day; while it cannot answer, this
  // collector's own secret, and `shared` is asked again a minute later.
  ClientKeys(const ClientKeySecret& secret, SharedDaySecret shared) : own_(secret), shared_(std::move(shared)) {}
  // 16 hex digits, the same for one address all through one UTC day. Thread-safe.
  std::string keyFor(std::string_view ipAddress, std::int64_t nowMs) const;

 private:
  ClientKeySecret secretFor(std::int64_t day, std::int64_t nowMs) const;

  ClientKeySecret own_;
  SharedDaySecret shared_;
  mutable std::mutex mutex_;
  mutable std::map<std::int64_t, ClientKeySecret> sharedDays_;  // today's and yesterday's
  mutable std::int64_t askAgainAtMs_ = 0;
};

}  // namespace sharetrack::collector
