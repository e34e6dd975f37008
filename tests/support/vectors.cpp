#include "vectors.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace sharetrack::test {

nlohmann::json loadVectors(const std::string& name) {
  const std::string path = std::string(SHARETRACK_VECTORS_DIR) + "/" + name;
  std::ifstream file(path);
  INFO("vector file " << path);
  REQUIRE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  auto vectors = nlohmann::json::parse(text.str(), nullptr, false);
  REQUIRE_FALSE(vectors.is_discarded());
  return vectors;
}

}  // namespace sharetrack::test
