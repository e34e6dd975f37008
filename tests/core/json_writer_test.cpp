#include "sharetrack/json_writer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using namespace sharetrack;

TEST_CASE("objects and arrays are written compact with commas in place", "[json_writer]") {
  JsonWriter out;
  out.beginObject().key("a").integer(1).key("b").beginArray().string("x").boolean(false).beginObject().endObject();
  out.endArray().key("c").beginObject().key("d").integer(-7).endObject().endObject();
  CHECK(out.text() == R"({"a":1,"b":["x",false,{}],"c":{"d":-7}})");
}

TEST_CASE("strings are escaped and invalid UTF-8 becomes U+FFFD", "[json_writer]") {
  const std::string tricky = std::string("quote\" slash\\ newline\n tab\t nul") + '\0' + " é € 😀 bad\xff\xc3(";
  JsonWriter out;
  out.string(tricky);
  CHECK(out.text() == "\"quote\\\" slash\\\\ newline\\u000a tab\\u0009 nul\\u0000 é € 😀 bad\\ufffd\\ufffd(\"");
  const auto parsed = nlohmann::json::parse(out.text(), nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  CHECK(parsed.get<std::string>().rfind("quote\" slash\\ newline\n", 0) == 0);
}

TEST_CASE("numbers are written with at most six decimals and read back by a JSON parser", "[json_writer]") {
  const std::pair<double, const char*> cases[] = {
      {49.5, "49.5"},
      {0, "0"},
      {-0.25, "-0.25"},
      {1e12, "1000000000000"},
      {0.1234567, "0.123457"},
      {1.9999999, "2"},
      {-0.0000001, "0"},
      {0.015625, "0.015625"},
      {123456.000001, "123456.000001"},
  };
  for (const auto& [value, text] : cases) {
    JsonWriter out;
    out.number(value);
    INFO(value);
    CHECK(out.text() == text);
    CHECK_FALSE(nlohmann::json::parse(out.text(), nullptr, false).is_discarded());
  }
}
