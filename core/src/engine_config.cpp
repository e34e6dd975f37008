#include "sharetrack/engine_config.hpp"

#include "sharetrack/field_rules.hpp"

namespace sharetrack {
namespace {

constexpr std::int64_t kMaxConfigTimeMs = std::int64_t{365} * 24 * 3600 * 1000;

Error range(const std::string& what) { return makeError(ErrorCode::fieldRange, "engine config: " + what); }

}  // namespace

Status validateEngineConfig(const EngineConfig& c) {
  SHARETRACK_RETURN_IF_ERROR(validateString(c.site, rules::site, "engine config: site"));
  SHARETRACK_RETURN_IF_ERROR(validateParamName(c.shareUrl.tokenParam));
  if (!c.subscriberParam.empty()) {
    SHARETRACK_RETURN_IF_ERROR(validateParamName(c.subscriberParam));
    if (c.subscriberParam == c.shareUrl.tokenParam) {
      return makeError(ErrorCode::paramNameInvalid, "engine config: the subscriber parameter cannot be the token's");
    }
  }
  if (c.maxBatchEvents == 0 || c.maxBatchEvents > kMaxEventsPerBatch) {
    return range("maxBatchEvents must be 1-" + std::to_string(kMaxEventsPerBatch));
  }
  if (c.maxBatchBytes < 1024 || c.maxBatchBytes > kMaxBatchBytes || c.unloadBatchBytes < 1024 ||
      c.unloadBatchBytes > c.maxBatchBytes) {
    return range("batch byte limits must be 1024-" + std::to_string(kMaxBatchBytes) + ", unload at most the normal");
  }
  if (c.flushEvents == 0 || c.flushBytes == 0 || c.queueLimits.capacity == 0 || c.visitorLimits.contentPages == 0 ||
      c.visitorLimits.mintedTokens == 0 || c.visitorLimits.clickbacks == 0 || c.queueLimits.acknowledgedMemory == 0) {
    return range("counts and capacities must be at least 1");
  }
  const std::int64_t times[] = {c.dedupeWindowMs,       c.flushAgeMs,           c.sendTimeoutMs,
                                c.persistIntervalMs,    c.summaries.viewableMs, c.summaries.activeInputMs,
                                c.summaries.intervalMs, c.retry.backoffBaseMs,  c.retry.backoffMaxMs,
                                c.retry.cooldownMs};
  for (std::int64_t t : times) {
    if (t < 0 || t > kMaxConfigTimeMs) return range("times must be 0 to one year in ms");
  }
  if (c.retry.backoffBaseMs == 0 || c.retry.backoffMaxMs < c.retry.backoffBaseMs ||
      c.retry.cooldownAfterFailures == 0) {
    return range("backoff base must be at least 1 ms and at most the maximum; cooldown after at least 1 failure");
  }
  if (!(c.summaries.viewableRatio > 0 && c.summaries.viewableRatio <= 1)) {
    return range("viewableRatio must be in (0, 1]");
  }
  return {};
}

}  // namespace sharetrack
