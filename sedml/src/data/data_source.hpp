// data_source.hpp — SED-ML's external data: the values of a document's data sources (the
// dataSource elements of its dataDescriptions), each with its shape. The executor's data
// generators read them by `target="#id"`; a parameter estimation task reads its fit experiments'
// data the same way, by the data source's id:
//
//   DataSources data(doc, sedml_folder);
//   const DataValues& t = data.get("ds_time");          // throws Error naming what is wrong
//   for (double x : t.values) ...;                       // t.shape == {rows}
//
// A dataDescription names a file (relative to the SED-ML file's folder) and its format: CSV
// (urn:sedml:format:csv), TSV (urn:sedml:format:tsv) or NuML (urn:sedml:format:numl, also the
// default); a file with no format that is not XML is read by its extension, with a warning (as
// tellurium does). The file is read once (data_table.hpp), as NuML's nested dimensions — a table
// is its rows, then its columns — and each data source takes from it:
//   - `indexSet="D"`: the index values of dimension D (by its id, else its name), as numbers: a
//     table's rows give their first column when that column is named after D, else the row
//     numbers 0, 1, ...;
//   - slices, each on one dimension (`reference`, by id, else name): `value` fixes that dimension
//     at that index value (it drops out); Version 4's `startIndex`/`endIndex` keep the positions
//     from startIndex to endIndex, both included, counted from 0 (the dimension stays); Version
//     4's `index="RT"` fixes it at the position of repeated task RT's current iteration (counted
//     from 0; the dimension drops out), given by the caller (`get`'s `iterations`): a setValue or
//     functionalRange inside RT reads one value per iteration;
//   - what is left: the dimensions not fixed, in the file's order. A table sliced to a column is
//     a vector (shape {rows}); a data source with no slice is the whole table (shape
//     {rows, columns}); a value fixed in every dimension is one value (shape {}).
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "data/data_table.hpp"
#include "document/document.hpp"

namespace axisim::sedml {

struct DataValues {
  // One extent per dimension left after slicing, outermost first; empty for a single value.
  std::vector<std::size_t> shape;
  std::vector<std::string> dimensions;          // each remaining dimension's id (its name when it has no id)
  std::vector<std::vector<std::string>> index;  // each remaining dimension's index values, as the file writes them
  std::vector<double> values;                   // row-major; as many as the extents' product (1 for a single value)
};

class DataSources {
 public:
  // `dir` is the folder relative data paths are taken in (the SED-ML file's). Nothing is read
  // until a data source is asked for.
  DataSources(const Document& doc, std::filesystem::path dir);

  // Whether the document has a data source `id` (in any dataDescription).
  bool has(const std::string& id) const;

  // Each running repeated task's id -> its current iteration (from 0), for slices' `index`.
  using Iterations = std::map<std::string, std::size_t>;

  // The values of data source `id`, read and sliced on first use and kept (per iteration for a
  // slice at a repeated task's iteration; `iterations` says where each running one is). Throws Error with a
  // message naming the data source, its dataDescription and the file: UnknownId (no such data
  // source; a slice naming no dimension, or an index value its dimension does not have), Io (the
  // file cannot be read), InvalidSbml (a file that is not what its format says, a position out of
  // range, a value that is not a number, index values that are not numbers), Unsupported (a
  // format axisim does not read; a slice's `index` naming a repeated task not in `iterations`),
  // UnknownId also for an `index` naming no repeated task, InvalidSbml for an iteration past the
  // dimension's positions. A failure is kept and thrown again.
  const DataValues& get(const std::string& id, const Iterations& iterations = {});

  // Warnings given while reading (each also logged): a missing format read by the file's
  // extension, dataDescriptions sharing an id.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Read {
    std::optional<DataTable> table;
    std::optional<Error> error;
  };
  const Document& doc_;
  std::filesystem::path dir_;
  std::map<std::size_t, Read> tables_;  // by the dataDescription's position in the document
  std::map<std::string, DataValues> values_;
  std::map<std::string, Error> failed_;
  std::vector<std::string> warnings_;

  const DataTable& table(std::size_t description);
  void warn(const std::string& text);
};

// The format a dataDescription's file is read in: "csv", "tsv" or "numl". `format` as the
// document gives it (empty: none given); `warning` is set when the format was guessed (no format
// and a file that is not XML: by its extension, else by the separator of its first line).
// Throws Error(Unsupported) naming a format axisim does not read, Error(Io) a file it cannot open
// when it must look inside.
std::string data_format(const std::string& format, const std::filesystem::path& file, std::string& warning);

}  // namespace axisim::sedml
