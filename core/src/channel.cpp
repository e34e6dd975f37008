#include "sharetrack/channel.hpp"

#include <array>

namespace sharetrack {
namespace {

constexpr std::array<std::string_view, kChannelCount> kNames{"native",   "copy",     "x",     "facebook",
                                                             "linkedin", "whatsapp", "email", "addressbar"};

}  // namespace

std::string_view channelName(Channel channel) { return kNames[static_cast<std::size_t>(channel)]; }

std::optional<Channel> channelFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

std::optional<Channel> channelFromIndex(unsigned index) {
  if (index >= kChannelCount) return std::nullopt;
  return static_cast<Channel>(index);
}

}  // namespace sharetrack
