// Telling the developer which known-failures rows have become obsolete.
#pragma once

#include <ostream>
#include <vector>

#include "known_failures.hpp"
#include "run_result.hpp"
#include "suite_layout.hpp"

namespace suite {

// Prints "now passing, remove from known failures:" followed by the covered model files
// that pass (case rows) and the tag rows whose covered files all pass; then a note on tag
// rows of which only some files pass. Prints nothing if no covered file passes. Returns the
// number of obsolete entries (the list must only shrink, so the runner fails on them).
std::size_t print_known_failure_review(std::ostream& out, const KnownFailures& known, const std::vector<SuiteCase>& cases,
                                const std::vector<RunResult>& results);

}  // namespace suite
