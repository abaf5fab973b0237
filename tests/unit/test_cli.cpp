// test_cli.cpp — the `axisim` executable, run as a subprocess.
//
// Exit codes (error.hpp): 0 ok, 2 usage, 3 unsupported SBML feature, 4 invalid input / io /
// unknown id, 5 solver failure.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

#ifndef AXISIM_CLI_PATH
#error "AXISIM_CLI_PATH must be defined to the axisim executable"
#endif

using namespace fx;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string kCli = AXISIM_CLI_PATH;

tu::ProcessResult cli(const std::vector<std::string>& args, const tu::TempDir& dir,
                      int timeout_s = 120) {
  std::vector<std::string> argv{kCli};
  argv.insert(argv.end(), args.begin(), args.end());
  return cli_run:
  tu::run(argv, dir.path(), timeout_s);
}

}  // namespace
