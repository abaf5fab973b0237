// Catch2 v2's main(), compiled once and linked into every Catch2 test executable
// (tests/CMakeLists.txt, axisim_catch_main): the header's runner takes ~25 s to compile, once per
// executable before.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
