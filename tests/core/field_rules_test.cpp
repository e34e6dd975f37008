#include "sharetrack/field_rules.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sharetrack;

TEST_CASE("each rule bounds the length and the characters of its strings", "[field_rules]") {
  CHECK(follows("acme-shop_1", rules::site));
  CHECK_FALSE(follows("Acme", rules::site));
  CHECK_FALSE(follows(std::string(65, 'a'), rules::site));
  CHECK(follows("0123456789abcdef0123456789abcdef", rules::visitor));
  CHECK_FALSE(follows("0123456789ABCDEF0123456789abcdef", rules::visitor));
  CHECK_FALSE(follows("0123456789abcdef", rules::visitor));
  CHECK(follows("stories/t-42:v2.~x", rules::content));
  CHECK_FALSE(follows("t 42", rules::content));
  CHECK_FALSE(follows("", rules::content));
  CHECK(follows("crm:991.a~b", rules::subscriber));
  CHECK_FALSE(follows("crm/991", rules::subscriber));  // '/' is a content id's, not a subscriber's
  CHECK(follows("signup.step:2", rules::conversionName));
  CHECK_FALSE(follows("sign up", rules::conversionName));
  CHECK(follows("token_check", rules::code));
  CHECK_FALSE(follows("Token-Check", rules::code));
  CHECK(follows("evt-0001", rules::id));
  CHECK_FALSE(follows("evt-01", rules::id));  // ids are at least 8 characters
}

TEST_CASE("a failed check names the field and says which bound or characters", "[field_rules]") {
  CHECK(validateString("acme", rules::site, "site").ok());
  const Status tooLong = validateString(std::string(65, 'a'), rules::site, "site");
  REQUIRE_FALSE(tooLong.ok());
  CHECK(tooLong.error().code == ErrorCode::fieldLength);
  CHECK(tooLong.error().message == "site: 65 characters, must be 1-64");
  const Status wrongLength = validateString("abc", rules::visitor, "visitor");
  CHECK(wrongLength.error().message == "visitor: 3 characters, must be 32");
  const Status charset = validateString("Acme", rules::site, "events[2].site");
  CHECK(charset.error().code == ErrorCode::fieldCharset);
  CHECK(charset.error().message == "events[2].site: only a-z 0-9 - _");
}
