// Shared test vectors under tests/vectors/, read alike by the native and the wasm test runs
// (and by the JS tests of web/).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sharetrack::test {

// The parsed JSON of tests/vectors/<name>; a missing or broken file fails the calling test.
nlohmann::json loadVectors(const std::string& name);

}  // namespace sharetrack::test
