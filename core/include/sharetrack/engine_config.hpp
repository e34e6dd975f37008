// Every knob of the widget's engine, with its default. Every time constant is here, so tests
// (and sites) can run them fast or slow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sharetrack/delivery_health.hpp"
#include "sharetrack/outbound_queue.hpp"
#include "sharetrack/protocol_limits.hpp"
#include "sharetrack/result.hpp"
#include "sharetrack/share_url.hpp"
#include "sharetrack/summary_tracker.hpp"
#include "sharetrack/visitor_state.hpp"

namespace sharetrack {

struct EngineConfig {
  std::string site;                    // the collector's site id: 1-64 of a-z 0-9 - _
  ShareUrlOptions shareUrl;            // token parameter ("st"), optional UTM parameters
  std::string subscriberParam;         // landing URL parameter carrying a subscriber id; "" for none
  bool consentRequired = false;        // nothing is stored or sent before consent(true)
  bool subscriberNeedsConsent = true;  // the subscriber id travels only with explicit consent

  std::int64_t dedupeWindowMs = 30 * 60 * 1000;  // one clickback per (visitor, token) per window
  VisitorLimits visitorLimits;
  QueueLimits queueLimits;
  SummaryTiming summaries;
  RetryPolicy retry;

  std::size_t flushEvents = 20;        // a batch leaves once this many events wait,
  std::size_t flushBytes = 32 * 1024;  // or this many bytes,
  std::int64_t flushAgeMs = 5000;      // or the oldest has waited this long
  std::size_t maxBatchEvents = kMaxEventsPerBatch;
  std::size_t maxBatchBytes = kMaxBatchBytes;
  std::size_t unloadBatchBytes = kMaxUnloadBatchBytes;  // the 64 KB keepalive quota is shared
  std::int64_t sendTimeoutMs = 30000;                   // a send with no report by then has failed
  std::int64_t persistIntervalMs = 3000;                // summaries are written at most this often
};

// Fails with fieldCharset/fieldLength (site), paramNameInvalid (parameters) or fieldRange
// (a limit of 0, a batch limit above the protocol's, a time below 0 or above one year).
Status validateEngineConfig(const EngineConfig& config);

}  // namespace sharetrack
