// data_table.hpp — a data file's values as NuML sees them: nested dimensions, each with its index
// values (a table's rows, then its columns), holding numbers. CSV and TSV files are read here
// (data_table.cpp), NuML files by numl.cpp; data_source.hpp slices them for SED-ML's data sources.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "document/document.hpp"

namespace axisim::sedml {

struct DataTable {
  struct Dimension {
    std::string id, name, index_type;  // from the dimensionDescription (id may be empty)
    // The index values in the file's order: each once in NuML; a table's rows indexed by a column
    // may repeat one (replicate measurements at one time).
    std::vector<std::string> index;
  };
  std::vector<Dimension> dimensions;  // outermost first
  // Row-major over `dimensions` (the last dimension varies fastest); NaN where the file has no
  // value (an empty field, a short row, a NuML composite value missing under one index value).
  std::vector<double> values;
  // Cells whose text is not a number, by their position in `values`, with where they are
  // (file:line and the text): an error only for a data source that reads them, so that a column
  // of labels does not spoil the rest of the file.
  std::map<std::size_t, std::string> bad;
};

// A CSV (separator ',') or TSV ('\t') file: a header of column names, then rows of numbers.
// Lines whose first non-blank character is '#' are comments and blank lines are skipped (as
// tellurium reads these files); fields are trimmed of blanks and may be quoted ("..."); an empty
// field, "nan", "NaN" or "NA" is NaN. Two dimensions: the rows, then the columns (indexed by the
// header's names). They take their ids, names and index types from `described` when it has (at
// least) two compositeDescriptions, else are called "rows" (integer) and "columns" (string).
// The rows' index values are the first column's texts when its header names the rows' dimension
// (its id or name, ignoring case: a "Time" column indexes a dimension "time"), else the row
// numbers 0, 1, ... (pandas' index, which tellurium reports). Throws Error(Io) when the file
// cannot be read, Error(InvalidSbml) naming file and line when it has no header or a header
// names a column twice.
DataTable read_delimited_table(const std::string& path, char separator, const DimensionDescription& described);

// The positions of `value` among `index`: those with the same text, else those with the same
// number (index "10.0" and value "10"); none when it is not there.
std::vector<std::size_t> find_index(const std::vector<std::string>& index, const std::string& value);

}  // namespace axisim::sedml
