#define PCRE2_CODE_UNIT_WIDTH 8
#include "bot_list.hpp"

#include <pcre2.h>

namespace sharetrack::collector {

namespace {

constexpr std::size_t kMaxVerdicts = 4096;
constexpr std::size_t kMaxRememberedLength = 512;  // real agents are a few hundred bytes

// isbot's patterns are JavaScript regular expressions. They differ from PCRE2 in one place they
// use: inside a class, a '-' after a class escape ([\w\d-.]) is a literal in JavaScript and an
// invalid range in PCRE2, so it is escaped.
std::string fromJavaScript(std::string_view pattern) {
  std::string out;
  bool inClass = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
      const bool classEscape = std::string_view("wdsWDS").find(pattern[i]) != std::string_view::npos;
      if (inClass && classEscape && i + 1 < pattern.size() && pattern[i + 1] == '-') {
        out += "\\-";
        ++i;
      }
      continue;
    }
    if (c == '[') inClass = true;
    if (c == ']') inClass = false;
    out += c;
  }
  return out;
}

}  // namespace

struct BotList::Code {
  explicit Code(pcre2_code* code) : compiled(code) {}
  ~Code() { pcre2_code_free(compiled); }
  pcre2_code* compiled;
};

BotList::BotList(std::string_view patterns) {
  std::string alternation;
  std::size_t start = 0;
  while (start < patterns.size()) {
    std::size_t end = patterns.find('\n', start);
    if (end == std::string_view::npos) end = patterns.size();
    if (end > start) {
      if (!alternation.empty()) alternation += '|';
      alternation.append("(?:").append(fromJavaScript(patterns.substr(start, end - start))).append(")");
    }
    start = end + 1;
  }
  int errorCode = 0;
  PCRE2_SIZE errorOffset = 0;
  pcre2_code* compiled =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alternation.data()), alternation.size(),
                    PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errorCode, &errorOffset, nullptr);
  if (!compiled) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(errorCode, message, sizeof message);
    error_ = "bot list does not compile at offset " + std::to_string(errorOffset) + ": " +
             reinterpret_cast<const char*>(message);
    return;
  }
  pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);  // best effort: the interpreter works too
  code_ = std::make_unique<Code>(compiled);
}

BotList::~BotList() = default;

bool BotList::isBot(std::string_view userAgent) const {
  if (userAgent.empty()) return true;
  if (userAgent.size() > kMaxRememberedLength) return matches(userAgent);
  std::string key(userAgent);
  {
    std::lock_guard lock(mutex_);
    if (const auto known = verdicts_.find(key); known != verdicts_.end()) return known->second;
  }
  const bool bot = matches(userAgent);
  std::lock_guard lock(mutex_);
  if (verdicts_.size() >= kMaxVerdicts) verdicts_.clear();
  verdicts_.emplace(std::move(key), bot);
  return bot;
}

bool BotList::matches(std::string_view userAgent) const {
  if (!code_) return false;
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(code_->compiled, nullptr);
  const int rc = pcre2_match(code_->compiled, reinterpret_cast<PCRE2_SPTR>(userAgent.data()), userAgent.size(), 0, 0,
                             match, nullptr);
  pcre2_match_data_free(match);
  return rc >= 0;
}

}  // namespace sharetrack::collector
