// The collector's answer to a batch (core/PROTOCOL.md): one result per event, or a refusal of
// the whole batch when its envelope was unreadable. answer_decode.hpp reads one from JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sharetrack/protocol_limits.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

enum class EventStatus : std::uint8_t { accepted, duplicate, rejected };
inline constexpr std::size_t kEventStatusCount = 3;

// The stable wire names: "accepted", "duplicate", "rejected".
std::string_view eventStatusName(EventStatus status);
std::optional<EventStatus> eventStatusFromName(std::string_view name);

struct EventResult {
  std::string id;  // as the batch sent it; empty when it had no readable id
  EventStatus status = EventStatus::accepted;
  std::string code;     // rejected only: an error code's wire name (newer collectors may add codes)
  std::string message;  // rejected only: for people
  bool operator==(const EventResult&) const;
};

// HTTP 200: the batch is durably stored; one result per event, in the batch's order.
struct BatchAnswer {
  int version = kProtocolVersion;
  std::string batchId;
  std::vector<EventResult> results;
  bool operator==(const BatchAnswer&) const;
};

// HTTP 4xx/5xx: nothing of the batch was stored.
struct BatchRefusal {
  int version = kProtocolVersion;
  std::string code;
  std::string message;
  std::optional<std::uint32_t> retryAfterSeconds;  // mirrors the Retry-After header, if any
  bool operator==(const BatchRefusal&) const;
};

using Answer = std::variant<BatchAnswer, BatchRefusal>;

std::string encodeAnswer(const BatchAnswer& answer);
std::string encodeRefusal(const BatchRefusal& refusal);

// The protocol's rules for an answer's values, whoever parsed its JSON: decodeAnswer applies
// them natively, the engine to what the browser's JSON.parse gave. Fails with answerMalformed.
Status validateAnswer(const Answer& answer);

}  // namespace sharetrack
