#include "sharetrack/error.hpp"

#include <array>

#include "name_table.hpp"

namespace sharetrack {
namespace {

using detail::Named;

constexpr detail::NameTable kNames(std::array{
    Named<ErrorCode>{ErrorCode::tokenLength, "token_length"},
    Named<ErrorCode>{ErrorCode::tokenAlphabet, "token_alphabet"},
    Named<ErrorCode>{ErrorCode::tokenVersion, "token_version"},
    Named<ErrorCode>{ErrorCode::tokenCheck, "token_check"},
    Named<ErrorCode>{ErrorCode::tokenDepth, "token_depth"},
    Named<ErrorCode>{ErrorCode::tokenChannel, "token_channel"},
    Named<ErrorCode>{ErrorCode::mintTimeOutOfRange, "mint_time_out_of_range"},
    Named<ErrorCode>{ErrorCode::urlMalformed, "url_malformed"},
    Named<ErrorCode>{ErrorCode::urlScheme, "url_scheme"},
    Named<ErrorCode>{ErrorCode::urlTooLong, "url_too_long"},
    Named<ErrorCode>{ErrorCode::paramNameInvalid, "param_name_invalid"},
    Named<ErrorCode>{ErrorCode::batchTooLarge, "batch_too_large"},
    Named<ErrorCode>{ErrorCode::batchNotJson, "batch_not_json"},
    Named<ErrorCode>{ErrorCode::unsupportedVersion, "unsupported_version"},
    Named<ErrorCode>{ErrorCode::fieldMissing, "field_missing"},
    Named<ErrorCode>{ErrorCode::fieldType, "field_type"},
    Named<ErrorCode>{ErrorCode::fieldLength, "field_length"},
    Named<ErrorCode>{ErrorCode::fieldCharset, "field_charset"},
    Named<ErrorCode>{ErrorCode::fieldRange, "field_range"},
    Named<ErrorCode>{ErrorCode::tooManyEvents, "too_many_events"},
    Named<ErrorCode>{ErrorCode::eventTypeUnknown, "event_type_unknown"},
    Named<ErrorCode>{ErrorCode::channelUnknown, "channel_unknown"},
    Named<ErrorCode>{ErrorCode::channelMismatch, "channel_mismatch"},
    Named<ErrorCode>{ErrorCode::depthMismatch, "depth_mismatch"},
    Named<ErrorCode>{ErrorCode::answerMalformed, "answer_malformed"},
    Named<ErrorCode>{ErrorCode::retryAfterInvalid, "retry_after_invalid"},
    Named<ErrorCode>{ErrorCode::channelNotShareable, "channel_not_shareable"},
    Named<ErrorCode>{ErrorCode::contentInvalid, "content_invalid"},
    Named<ErrorCode>{ErrorCode::conversionInvalid, "conversion_invalid"},
    Named<ErrorCode>{ErrorCode::snapshotForeign, "snapshot_foreign"},
    Named<ErrorCode>{ErrorCode::snapshotVersion, "snapshot_version"},
    Named<ErrorCode>{ErrorCode::snapshotCorrupt, "snapshot_corrupt"},
    Named<ErrorCode>{ErrorCode::notAllowed, "not_allowed"},
    Named<ErrorCode>{ErrorCode::siteUnknown, "site_unknown"},
    Named<ErrorCode>{ErrorCode::originNotAllowed, "origin_not_allowed"},
    Named<ErrorCode>{ErrorCode::rateLimited, "rate_limited"},
    Named<ErrorCode>{ErrorCode::storageUnavailable, "storage_unavailable"},
    Named<ErrorCode>{ErrorCode::unauthorized, "unauthorized"},
    Named<ErrorCode>{ErrorCode::notFound, "not_found"},
    Named<ErrorCode>{ErrorCode::methodNotAllowed, "method_not_allowed"},
    Named<ErrorCode>{ErrorCode::originMissing, "origin_missing"},
    Named<ErrorCode>{ErrorCode::lengthRequired, "length_required"},
    Named<ErrorCode>{ErrorCode::mediaTypeUnsupported, "media_type_unsupported"},
    Named<ErrorCode>{ErrorCode::headerTooLarge, "header_too_large"},
    Named<ErrorCode>{ErrorCode::requestInvalid, "request_invalid"},
    Named<ErrorCode>{ErrorCode::serverBusy, "server_busy"},
    Named<ErrorCode>{ErrorCode::forbidden, "forbidden"},
    Named<ErrorCode>{ErrorCode::rangeInvalid, "range_invalid"},
    Named<ErrorCode>{ErrorCode::limitInvalid, "limit_invalid"},
    Named<ErrorCode>{ErrorCode::sortUnknown, "sort_unknown"},
    Named<ErrorCode>{ErrorCode::idInvalid, "id_invalid"},
    Named<ErrorCode>{ErrorCode::parameterUnknown, "parameter_unknown"},
    Named<ErrorCode>{ErrorCode::configInvalid, "config_invalid"},
});
static_assert(kNames.size() == kErrorCodeCount && kNames.inOrder(), "every ErrorCode has a wire name, in order");

}  // namespace

std::string_view errorCodeName(ErrorCode code) { return kNames.name(code); }

std::optional<ErrorCode> errorCodeFromName(std::string_view name) { return kNames.find(name); }

}  // namespace sharetrack
