#include "client_address.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack::collector;
namespace ip = boost::asio::ip;

TEST_CASE("a client is an IPv4 address or the /64 of an IPv6 address", "[collector][client_address]") {
  CHECK(clientNetwork(ip::make_address("203.0.113.7")) == "203.0.113.7");
  CHECK(clientNetwork(ip::make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")) == "2001:db8:1:2::/64");
  CHECK(clientNetwork(ip::make_address("2001:db8:1:2::1")) == clientNetwork(ip::make_address("2001:db8:1:2:ffff::9")));
  CHECK(clientNetwork(ip::make_address("2001:db8:1:3::1")) != clientNetwork(ip::make_address("2001:db8:1:2::1")));
  CHECK(clientNetwork(ip::make_address("::ffff:198.51.100.4")) == "198.51.100.4");  // IPv4 over an IPv6 socket
}

TEST_CASE("X-Forwarded-For is believed from a named proxy only, read from the right", "[collector][client_address]") {
  const auto proxies = TrustedProxies::parse("10.0.0.1, 10.0.0.2").value();
  const auto proxy = ip::make_address("10.0.0.1"), stranger = ip::make_address("198.51.100.9");
  CHECK(proxies.clientOf(stranger, "203.0.113.7") == "198.51.100.9");  // anyone may write the header
  CHECK(proxies.clientOf(proxy, "") == "10.0.0.1");
  CHECK(proxies.clientOf(proxy, "203.0.113.7") == "203.0.113.7");
  // The client may send its own header: only what the proxies appended counts.
  CHECK(proxies.clientOf(proxy, "1.2.3.4, 203.0.113.7, 10.0.0.2") == "203.0.113.7");
  CHECK(proxies.clientOf(proxy, "2001:db8::5") == "2001:db8::/64");
  CHECK(proxies.clientOf(proxy, "not-an-address") == "10.0.0.1");
  CHECK(TrustedProxies::parse("10.0.0.1,proxy.example").error().message ==
        "--trust-proxy: 'proxy.example' is no IP address");
}
