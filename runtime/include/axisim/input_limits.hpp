// axisim/input_limits.hpp — how deep and how large the files axisim reads may be.
//
// libSBML (over libxml2) and toml++ build their trees recursively, and so does the code that
// walks those trees: a document nested tens of thousands of levels deep overflows the stack
// inside the parser, before any check of ours could run. Every file axisim reads is therefore
// scanned first by the flat, non-recursive scanners below and refused, with the line where the
// limit is crossed, when it nests deeper than these limits. docs/reliability.md says how the
// limits were chosen and how to repeat the measurements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace axisim {

// XML elements, the root element counted as 1. libSBML needs about 1.7 KiB of stack per level
// of MathML (it crashes near 5,000 levels on Linux's 8 MiB stack, and a document of 1,000 levels
// needs 2 MiB), so 1,000 leaves a fourfold margin; the SBML Test Suite and the 314 models of
// the SED-ML corpus nest at most 15 levels.
inline constexpr std::size_t kMaxXmlDepth = 1000;
// TOML tables and arrays, dotted keys and table headers included (`a.b.c = 1` is 3 levels).
// The job and scenario formats use at most 4.
inline constexpr std::size_t kMaxTomlDepth = 64;
// Formulas once function definitions are inlined: levels of nesting, and nodes in all the
// model's formulas together. MathML is bounded by kMaxXmlDepth, but Level 1 formulas are strings
// (a sum of 100,000 terms is a tree 100,000 deep), inlining stacks function bodies on their
// arguments, and nested calls of functions that use an argument twice double the size at every
// level (f1(x) = x + x, f2(x) = f1(f1(x)), ...). libSBML's unit checks and level conversion and
// axisim's compiler walk these trees recursively. Loading and compiling take about 230 bytes
// per node (a formula of a million nodes loads and runs in 1.3 s and 240 MB), so the node limit
// bounds a load near 500 MB; the models of the SED-ML corpus hold at most 1,300 nodes, bench's
// largest generated network about 200,000.
inline constexpr std::size_t kMaxMathDepth = kMaxXmlDepth;
inline constexpr std::size_t kMaxMathNodes = 2'000'000;
// Sizes of the text files axisim reads whole (SBML has its own limit in the SBML reader).
inline constexpr std::uintmax_t kMaxTomlBytes = 64ull * 1024 * 1024;
inline constexpr std::uintmax_t kMaxSettingsBytes = 1ull * 1024 * 1024;

// Throws Error(InvalidSbml) "<label>: line N: ..." when elements nest deeper than `limit`.
// Comments, CDATA sections, processing instructions and the DOCTYPE are skipped; malformed
// markup is left for the XML parser to report.
void check_xml_depth(std::string_view text, const std::string& label, std::size_t limit = kMaxXmlDepth);
// The same scan: the line of the first element deeper than `limit`, or 0 when there is none.
std::size_t xml_too_deep_at(std::string_view text, std::size_t limit = kMaxXmlDepth);
// What check_xml_depth says after "<label>: line N: ".
std::string xml_too_deep_message(std::size_t limit = kMaxXmlDepth);

// Throws Error(Io) "<label>:N: ..." when tables and arrays nest deeper than `limit`. Strings
// and comments are skipped; malformed TOML is left for the TOML parser to report.
void check_toml_depth(std::string_view text, const std::string& label, std::size_t limit = kMaxTomlDepth);

// Reads a whole file of at most `max_bytes`. Throws Error(Io) naming the file when it is
// missing, not a regular file, unreadable or larger; `what` names the kind of file ("job file").
std::string read_text_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what);

}  // namespace axisim
