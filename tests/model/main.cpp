// Catch2 v2 runner for the gut–liver–IGF-1 model tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
