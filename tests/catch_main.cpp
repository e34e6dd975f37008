// Catch2's main, compiled once (it is the slowest file to build, ~20 s under em++).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
