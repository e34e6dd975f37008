// Who a request comes from, as the collector counts clients for connection caps and rate
// limits: an IPv4 address, or the /64 network of an IPv6 address (what one subscriber is given,
// so rotating addresses within it does not make new clients). Behind a proxy the operator names,
// the address that proxy saw, from X-Forwarded-For; any other peer's X-Forwarded-For is ignored.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/result.hpp"

namespace sharetrack::collector {

// "203.0.113.7", or "2001:db8:1:2::/64" for any address in that /64.
std::string clientNetwork(const boost::asio::ip::address& address);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // A comma-separated list of the proxies' addresses; fails with configInvalid naming the bad one.
  static Result<TrustedProxies> parse(std::string_view list);

  bool trusts(const boost::asio::ip::address& peer) const;
  // The client's network: the peer's own, or, when the peer is a trusted proxy, the nearest
  // address in X-Forwarded-For that is not one of the proxies (read from the right).
  std::string clientOf(const boost::asio::ip::address& peer, std::string_view forwardedFor) const;

 private:
  std::vector<boost::asio::ip::address> proxies_;
};

}  // namespace sharetrack::collector
