#include "reply.hpp"

#include "sharetrack/answer.hpp"

namespace sharetrack::collector {

Reply refusal(int status, ErrorCode code, const std::string& message, std::optional<std::uint32_t> retryAfterSeconds) {
  Reply reply;
  reply.status = status;
  reply.code = std::string(errorCodeName(code));
  reply.retryAfterSeconds = retryAfterSeconds;
  reply.body = encodeRefusal(BatchRefusal{kProtocolVersion, reply.code, message, retryAfterSeconds});
  return reply;
}

}  // namespace sharetrack::collector
