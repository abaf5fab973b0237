// Catch2 v2 test runner for axisim's plugin tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
