// One table per wire word: the stable names of an enum whose values run 0..N-1, read both ways.
// Each table lists (value, name) pairs so that a reordering is caught at compile time
// (static_assert(table.inOrder())), and tests/vectors/wire_names.json holds every table for the
// tests of both sides (C++ and the TypeScript declarations) to agree with.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace sharetrack::detail {

template <typename Enum>
struct Named {
  Enum value;
  std::string_view name;
};

template <typename Enum, std::size_t N>
class NameTable {
 public:
  constexpr explicit NameTable(const std::array<Named<Enum>, N>& entries) : entries_(entries) {}

  constexpr bool inOrder() const {
    for (std::size_t i = 0; i < N; ++i) {
      if (static_cast<std::size_t>(entries_[i].value) != i) return false;
    }
    return true;
  }
  constexpr std::size_t size() const { return N; }
  constexpr std::string_view name(Enum value) const {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? entries_[index].name : std::string_view{};
  }
  constexpr std::optional<Enum> find(std::string_view name) const {
    for (const auto& entry : entries_) {
      if (entry.name == name) return entry.value;
    }
    return std::nullopt;
  }

 private:
  std::array<Named<Enum>, N> entries_;
};

template <typename Enum, std::size_t N>
NameTable(const std::array<Named<Enum>, N>&) -> NameTable<Enum, N>;

}  // namespace sharetrack::detail
