// Catch2 v2 runner for the analysis tests (conserved moieties, steady states, continuation,
// control analysis, sensitivities).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
