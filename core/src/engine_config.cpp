#include "sharetrack/engine_config.hpp"

#include "json_fields.hpp"

namespace sharetrack {
namespace {

Error range(const std::string& what) { return makeError(ErrorCode::fieldRange, "engine config: " + what); }

bool validParamName(const std::string& name) {
  return shareUrl("http://a", "", Channel::copy, ShareUrlOptions{name, false, ""}).ok();
}

}  // namespace

Result<bool> validateEngineConfig(const EngineConfig& c) {
  if (auto error = detail::checkString(c.site, detail::kSiteRule, "engine config: site")) return *error;
  if (!validParamName(c.shareUrl.tokenParam)) {
    return makeError(ErrorCode::paramNameInvalid, "engine config: token parameter must be 1-32 of A-Z a-z 0-9 . _ ~ -");
  }
  if (!c.subscriberParam.empty() &&
      (!validParamName(c.subscriberParam) || c.subscriberParam == c.shareUrl.tokenParam)) {
    return makeError(ErrorCode::paramNameInvalid,
                     "engine config: subscriber parameter must be 1-32 of A-Z a-z 0-9 . _ ~ - and not the token's");
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
    if (t < 0 || t > std::int64_t{365} * 24 * 3600 * 1000) return range("times must be 0 to one year in ms");
  }
  if (c.retry.backoffBaseMs == 0 || c.retry.backoffMaxMs < c.retry.backoffBaseMs ||
      c.retry.cooldownAfterFailures == 0) {
    return range("backoff base must be at least 1 ms and at most the maximum; cooldown after at least 1 failure");
  }
  if (!(c.summaries.viewableRatio > 0 && c.summaries.viewableRatio <= 1)) {
    return range("viewableRatio must be in (0, 1]");
  }
  return true;
}

}  // namespace sharetrack
