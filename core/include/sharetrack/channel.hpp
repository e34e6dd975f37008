// The eight ways a link leaves a page (DESIGN.md, "Words": Channel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sharetrack {

// The numeric values are the token's channel field: never renumber, only append.
enum class Channel : std::uint8_t {
  native = 0,  // navigator.share resolved (the target app is never revealed)
  copy = 1,    // the widget's copy-link control
  x = 2,
  facebook = 3,
  linkedin = 4,
  whatsapp = 5,
  email = 6,
  addressbar = 7,  // the visitor's latent token, copied from the address bar
};

inline constexpr std::size_t kChannelCount = 8;

std::string_view channelName(Channel channel);
std::optional<Channel> channelFromName(std::string_view name);
std::optional<Channel> channelFromIndex(unsigned index);

}  // namespace sharetrack
