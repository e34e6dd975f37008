// The collector's net for automation the page cannot see: link unfurlers and crawlers run no
// script, so the request's User-Agent is checked against isbot's maintained patterns (through
// PCRE2, since they use lookbehind).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace sharetrack::collector {

extern const char* const kBotListSource;  // which list, which version
extern const char* const kBotPatterns;    // one pattern per line

class BotList {
 public:
  // Compiles `patterns` (one per line) into one case-insensitive alternation.
  explicit BotList(std::string_view patterns = kBotPatterns);
  ~BotList();
  BotList(const BotList&) = delete;
  BotList& operator=(const BotList&) = delete;

  bool ok() const { return code_ != nullptr; }
  const std::string& error() const { return error_; }
  // True for a bot's user agent; also for none at all, which no browser sends.
  bool isBot(std::string_view userAgent) const;

 private:
  struct Code;
  std::unique_ptr<Code> code_;
  std::string error_;
};

}  // namespace sharetrack::collector
