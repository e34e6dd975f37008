#include "client_address.hpp"

#include <algorithm>

namespace sharetrack::collector {
namespace {

namespace ip = boost::asio::ip;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<ip::address> addressOf(std::string_view text) {
  boost::system::error_code error;
  const auto address = ip::make_address(std::string(trimmed(text)), error);
  if (error) return std::nullopt;
  return address;
}

}  // namespace

std::string clientNetwork(const ip::address& address) {
  if (address.is_v4()) return address.to_string();
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6).to_string();
  ip::address_v6::bytes_type bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return ip::address_v6(bytes).to_string() + "/64";
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies trusted;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    const auto address = addressOf(item);
    if (!address) {
      return makeError(ErrorCode::configInvalid,
                       "--trust-proxy: '" + std::string(trimmed(item)) + "' is no IP address");
    }
    trusted.proxies_.push_back(*address);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return trusted;
}

bool TrustedProxies::trusts(const ip::address& peer) const {
  return std::find(proxies_.begin(), proxies_.end(), peer) != proxies_.end();
}

std::string TrustedProxies::clientOf(const ip::address& peer, std::string_view forwardedFor) const {
  if (!trusts(peer)) return clientNetwork(peer);
  ip::address client = peer;
  while (!forwardedFor.empty()) {
    const std::size_t comma = forwardedFor.rfind(',');
    const std::string_view item = comma == std::string_view::npos ? forwardedFor : forwardedFor.substr(comma + 1);
    const auto address = addressOf(item);
    if (!address) break;  // a malformed entry: the last address known good stands
    client = *address;
    if (!trusts(client)) break;
    if (comma == std::string_view::npos) break;
    forwardedFor = forwardedFor.substr(0, comma);
  }
  return clientNetwork(client);
}

}  // namespace sharetrack::collector
