// The collector's net for automation the page cannot see: link unfurlers and crawlers run no
// script, so the request's User-Agent is checked against isbot's maintained patterns (through
// PCRE2, since they use lookbehind).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

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
  bool matches(std::string_view userAgent) const;

  std::unique_ptr<Code> code_;
  std::string error_;
  // The verdicts on recent user agents: one match tries every pattern (some 150,000 instructions,
  // as much as storing a batch's rows), while a site's visitors send few distinct agents. Bounded
  // in count and length, so a flood of new agents costs only the matches.
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, bool> verdicts_;
};

}  // namespace sharetrack::collector
