#include "sharetrack/channel.hpp"

#include <array>

#include "name_table.hpp"

namespace sharetrack {
namespace {

using detail::Named;

constexpr detail::NameTable kNames(std::array{
    Named<Channel>{Channel::native, "native"},
    Named<Channel>{Channel::copy, "copy"},
    Named<Channel>{Channel::x, "x"},
    Named<Channel>{Channel::facebook, "facebook"},
    Named<Channel>{Channel::linkedin, "linkedin"},
    Named<Channel>{Channel::whatsapp, "whatsapp"},
    Named<Channel>{Channel::email, "email"},
    Named<Channel>{Channel::addressbar, "addressbar"},
});
static_assert(kNames.size() == kChannelCount && kNames.inOrder(), "every channel has a wire name, in order");

}  // namespace

std::string_view channelName(Channel channel) { return kNames.name(channel); }

std::optional<Channel> channelFromName(std::string_view name) { return kNames.find(name); }

std::optional<Channel> channelFromIndex(unsigned index) {
  if (index >= kChannelCount) return std::nullopt;
  return static_cast<Channel>(index);
}

}  // namespace sharetrack
