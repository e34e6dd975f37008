// A growing text that its writers (JsonWriter, the snapshots' writer) fill through a pointer into
// room taken ahead: plain stores, never a character at a time through std::string, whose appends
// are out-of-line calls under wasm's libc++, and no zeroing of room that is about to be written.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace sharetrack {

class TextBuffer {
 public:
  // `expectedBytes`: room taken at once, so a text of about that size is never copied to grow.
  explicit TextBuffer(std::size_t expectedBytes) : bytes_(new char[expectedBytes]), capacity_(expectedBytes) {}

  // Where up to `bytes` more may be written; written() then says where the text ends.
  char* room(std::size_t bytes) {
    if (capacity_ - size_ < bytes) grow(bytes);
    return bytes_.get() + size_;
  }
  void written(const char* end) { size_ = static_cast<std::size_t>(end - bytes_.get()); }

  void put(char c) {
    char* at = room(1);
    *at = c;
    written(at + 1);
  }
  void put(std::string_view text) {
    char* at = room(text.size());
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    written(at + text.size());
  }

  std::string_view text() const { return {bytes_.get(), size_}; }

 private:
  void grow(std::size_t bytes) {
    capacity_ = 2 * (size_ + bytes);
    std::unique_ptr<char[]> larger(new char[capacity_]);
    std::memcpy(larger.get(), bytes_.get(), size_);
    bytes_ = std::move(larger);
  }

  std::unique_ptr<char[]> bytes_;  // the text is the first size_ bytes; the rest is room
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace sharetrack
