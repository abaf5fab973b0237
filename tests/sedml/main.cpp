// Catch2 v2 test runner for the SED-ML library's tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
