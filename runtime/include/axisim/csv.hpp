// axisim/csv.hpp — results as CSV, in the SBML Test Suite's layout (header "time,ID,...").
//
// Numbers are printed in the shortest form that reads back to the same double; NaN and
// infinities as NaN, INF and -INF, as the suite writes them.
#pragma once

#include <iosfwd>
#include <string>

#include "axisim/result.hpp"

namespace axisim {

void write_csv(const Result& result, std::ostream& out);

// Writes to "<path>.tmp-<pid>" and renames it to `path` when complete, so that a reader never
// sees a half-written file. Throws Error(Io) and removes the temporary file on failure.
void write_csv_file(const Result& result, const std::string& path);

std::string format_number(double value);

// Writes `text` to a temporary name beside `path` (unique to the process and the call, created
// exclusively) and renames it to `path` when complete: readers see the whole file or none.
// Throws Error(Io) and removes the temporary file on failure. Every output file axisim writes
// (results, summaries, exported models) goes through here.
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace axisim
