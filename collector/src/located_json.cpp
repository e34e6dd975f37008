#include "located_json.hpp"

#include <iterator>
#include <vector>

namespace sharetrack::collector {
namespace {

struct LineCounter {
  int line = 1;
  int lastTokenLine = 1;  // the line of the last character read that was not white space
};

// An input iterator over the text that counts lines as the parser reads characters.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, LineCounter* counter) : at_(at), counter_(counter) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    if (*at_ == '\n') {
      ++counter_->line;
    } else if (*at_ != ' ' && *at_ != '\t' && *at_ != '\r') {
      counter_->lastTokenLine = counter_->line;
    }
    ++at_;
    return *this;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const CountingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  LineCounter* counter_;
};

std::string escapePointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

}  // namespace

int LocatedJson::lineOf(const std::string& pointer) const {
  std::string path = pointer;
  while (true) {
    const auto it = lines.find(path);
    if (it != lines.end()) return it->second;
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return 1;
    path.resize(slash);
  }
}

Result<LocatedJson> parseLocatedJson(std::string_view text, std::string_view fileName) {
  struct Frame {
    bool array;
    std::size_t index;
    std::string key;
    std::string pointer;
  };
  LineCounter counter;
  LocatedJson located;
  std::vector<Frame> stack;
  const auto childPointer = [&stack]() {
    if (stack.empty()) return std::string();
    const Frame& top = stack.back();
    return top.pointer + "/" + (top.array ? std::to_string(top.index) : escapePointerToken(top.key));
  };
  using Event = nlohmann::json::parse_event_t;
  const nlohmann::json::parser_callback_t callback = [&](int, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::key:
        stack.back().key = parsed.get<std::string>();
        break;
      case Event::object_start:
      case Event::array_start: {
        const std::string pointer = childPointer();
        located.lines[pointer] = counter.lastTokenLine;
        stack.push_back({event == Event::array_start, 0, "", pointer});
        break;
      }
      case Event::object_end:
      case Event::array_end:
        stack.pop_back();
        if (!stack.empty() && stack.back().array) ++stack.back().index;
        break;
      case Event::value:
        located.lines[childPointer()] = counter.lastTokenLine;
        if (!stack.empty() && stack.back().array) ++stack.back().index;
        break;
    }
    return true;
  };
  const CountingIterator begin(text.data(), &counter), end(text.data() + text.size(), &counter);
  located.value = nlohmann::json::parse(begin, end, callback, false);
  if (located.value.is_discarded()) {
    return makeError(ErrorCode::configInvalid,
                     std::string(fileName) + ":" + std::to_string(counter.line) + ": not valid JSON");
  }
  return located;
}

}  // namespace sharetrack::collector
