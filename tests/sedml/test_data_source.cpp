// External data (sedml/src/data/data_source.hpp): TSV, CSV and NuML files written here with known
// numbers, read back exactly through a SED-ML document's dataDescriptions: index sets, slices by
// value and by position, whole tables, and the errors that name what is wrong.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "axisim/sedml.hpp"
#include "data/data_source.hpp"
#include "document/document.hpp"

namespace fs = std::filesystem;
using namespace axisim;
using sedml::DataSources;
using sedml::DataValues;

namespace {

fs::path fresh(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("axisim_data_source_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
}

// A SED-ML Level 1 Version 4 document holding `descriptions` (listOfDataDescriptions' content).
sedml::Document document(const fs::path& dir, const std::string& descriptions) {
  write(dir / "doc.sedml", "<?xml version='1.0' encoding='UTF-8'?>\n"
                           "<sedML xmlns='http://sed-ml.org/sed-ml/level1/version4' level='1' version='4'>\n"
                           "<listOfDataDescriptions>\n" + descriptions + "</listOfDataDescriptions>\n</sedML>\n");
  return sedml::read_document((dir / "doc.sedml").string());
}

// What `get` throws: its kind and message.
std::pair<ErrorKind, std::string> failure(DataSources& d, const std::string& id) {
  try {
    d.get(id);
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  FAIL("data source '" << id << "' was read without error");
  return {};
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

const double nan_ = std::nan("");

// The time-by-columns description of the parameter estimation cases of the corpus.
const std::string kTimeColumns =
    "<dimensionDescription xmlns='http://www.numl.org/numl/level1/version1'>"
    "<compositeDescription id='time' indexType='double'>"
    "<compositeDescription id='columnNames' indexType='string'>"
    "<atomicDescription name='concentration' valueType='double'/>"
    "</compositeDescription></compositeDescription></dimensionDescription>\n";

}  // namespace

TEST_CASE("external data: a TSV file with an index set, slices by value and by position, the whole table", "[sedml]") {
  const fs::path dir = fresh("tsv");
  // A comment, a header whose first column indexes the rows ("Time" for dimension "time"), an
  // empty field and an explicit NaN.
  write(dir / "obs.tsv",
        "# observations\n"
        "Time\tValues[A]\tValues[B]\n"
        "0\t1.5\t-2\n"
        "2.5\t0.125\t\n"
        "5\t3e-3\tNaN\n");
  const auto doc = document(dir,
                            "<dataDescription id='obs' format='urn:sedml:format:tsv' source='obs.tsv'>" + kTimeColumns +
                                "<listOfDataSources>"
                                "<dataSource id='t' indexSet='time'/>"
                                "<dataSource id='a'><listOfSlices><slice reference='columnNames' value='Values[A]'/></listOfSlices></dataSource>"
                                "<dataSource id='b'><listOfSlices><slice reference='columnNames' value='Values[B]'/></listOfSlices></dataSource>"
                                "<dataSource id='all'/>"
                                "<dataSource id='point'><listOfSlices><slice reference='columnNames' value='Values[A]'/>"
                                "<slice reference='time' value='2.50'/></listOfSlices></dataSource>"
                                "<dataSource id='late_a'><listOfSlices><slice reference='time' startIndex='1' endIndex='2'/>"
                                "<slice reference='columnNames' value='Values[A]'/></listOfSlices></dataSource>"
                                "<dataSource id='values'><listOfSlices><slice reference='columnNames' startIndex='1'/></listOfSlices></dataSource>"
                                "<dataSource id='no_column'><listOfSlices><slice reference='columnNames' value='Values[C]'/></listOfSlices></dataSource>"
                                "<dataSource id='no_dimension'><listOfSlices><slice reference='species' value='A'/></listOfSlices></dataSource>"
                                "<dataSource id='out_of_range'><listOfSlices><slice reference='time' startIndex='1' endIndex='3'/></listOfSlices></dataSource>"
                                "<dataSource id='by_iteration'><listOfSlices><slice reference='time' index='repeat1'/></listOfSlices></dataSource>"
                                "</listOfDataSources></dataDescription>\n");
  REQUIRE(doc.problems.empty());
  DataSources data(doc, dir);
  CHECK(data.has("a"));
  CHECK_FALSE(data.has("obs"));

  const DataValues& t = data.get("t");
  CHECK(t.shape == std::vector<std::size_t>{3});
  CHECK(t.values == std::vector<double>{0, 2.5, 5});
  CHECK(t.dimensions == std::vector<std::string>{"time"});

  const DataValues& a = data.get("a");
  CHECK(a.shape == std::vector<std::size_t>{3});
  CHECK(a.values == std::vector<double>{1.5, 0.125, 3e-3});  // read back exactly
  CHECK(a.index == std::vector<std::vector<std::string>>{{"0", "2.5", "5"}});
  CHECK(same(data.get("b").values, {-2, nan_, nan_}));

  const DataValues& all = data.get("all");
  CHECK(all.shape == std::vector<std::size_t>{3, 3});
  CHECK(all.dimensions == std::vector<std::string>{"time", "columnNames"});
  CHECK(same(all.values, {0, 1.5, -2, 2.5, 0.125, nan_, 5, 3e-3, nan_}));  // row by row

  const DataValues& point = data.get("point");  // "2.50" is the index value "2.5" as a number
  CHECK(point.shape.empty());
  CHECK(point.values == std::vector<double>{0.125});

  const DataValues& late = data.get("late_a");
  CHECK(late.shape == std::vector<std::size_t>{2});
  CHECK(late.values == std::vector<double>{0.125, 3e-3});

  const DataValues& values = data.get("values");  // columns 1 to the last: a 3 x 2 matrix
  CHECK(values.shape == std::vector<std::size_t>{3, 2});
  CHECK(same(values.values, {1.5, -2, 0.125, nan_, 3e-3, nan_}));

  auto [k1, m1] = failure(data, "no_column");
  CHECK(k1 == ErrorKind::UnknownId);
  CHECK(m1.find("dataSource 'no_column'") != std::string::npos);
  CHECK(m1.find("'Values[C]' is not an index value of dimension 'columnNames'") != std::string::npos);
  auto [k2, m2] = failure(data, "no_dimension");
  CHECK(k2 == ErrorKind::UnknownId);
  CHECK(m2.find("reference 'species' names no dimension") != std::string::npos);
  auto [k3, m3] = failure(data, "out_of_range");
  CHECK(k3 == ErrorKind::InvalidSbml);
  CHECK(m3.find("endIndex 3 is out of range: dimension 'time' has 3 positions") != std::string::npos);
  // A slice at a repeated task's iteration: outside one (no such task here), refused, named; with
  // the iteration given, the dimension fixed at that position (row 1: t = 2.5).
  auto [k4, m4] = failure(data, "by_iteration");
  CHECK(k4 == ErrorKind::UnknownId);
  CHECK(m4.find("index 'repeat1' names no repeated task") != std::string::npos);
  const DataValues& row1 = data.get("by_iteration", {{"repeat1", 1}});
  CHECK(row1.shape == std::vector<std::size_t>{3});
  CHECK(same(row1.values, {2.5, 0.125, nan_}));
  CHECK(data.get("by_iteration", {{"repeat1", 2}}).values[1] == 3e-3);
  auto [k5, m5] = failure(data, "absent");
  CHECK(k5 == ErrorKind::UnknownId);
  CHECK(data.warnings().empty());
}

TEST_CASE("external data: CSV without a description, a missing format, a missing file, words in a column", "[sedml]") {
  const fs::path dir = fresh("csv");
  // tellurium's layout: comment lines, then a header; no format given, so the extension decides.
  write(dir / "params.csv", "####\n# mu values\n####\nmu, label\n0.01, low\n2.5, high\n");
  write(dir / "quoted.csv", "\"time\",\"S, total\"\n1,\"2\"\n");
  const auto doc = document(dir,
                            "<dataDescription id='mucsv' source='params.csv'><listOfDataSources>"
                            "<dataSource id='row' indexSet='rows'/>"
                            "<dataSource id='mu'><listOfSlices><slice reference='columns' value='mu'/></listOfSlices></dataSource>"
                            "<dataSource id='label'><listOfSlices><slice reference='columns' value='label'/></listOfSlices></dataSource>"
                            "</listOfDataSources></dataDescription>\n"
                            "<dataDescription id='q' format='urn:sedml:format:csv' source='quoted.csv'><listOfDataSources>"
                            "<dataSource id='total'><listOfSlices><slice reference='columns' value='S, total'/></listOfSlices></dataSource>"
                            "</listOfDataSources></dataDescription>\n"
                            "<dataDescription id='gone' format='urn:sedml:format:csv' source='missing.csv'><listOfDataSources>"
                            "<dataSource id='g'/></listOfDataSources></dataDescription>\n"
                            "<dataDescription id='odd' format='urn:sedml:format:xlsx' source='params.csv'><listOfDataSources>"
                            "<dataSource id='o'/></listOfDataSources></dataDescription>\n");
  REQUIRE(doc.problems.empty());
  DataSources data(doc, dir);
  CHECK(data.get("mu").values == std::vector<double>{0.01, 2.5});
  CHECK(data.get("row").values == std::vector<double>{0, 1});  // no index column: the row numbers
  REQUIRE(data.warnings().size() == 1);
  CHECK(data.warnings()[0].find("dataDescription 'mucsv': no format is given") != std::string::npos);
  CHECK(data.warnings()[0].find("read as CSV by its extension") != std::string::npos);
  auto [k1, m1] = failure(data, "label");
  CHECK(k1 == ErrorKind::InvalidSbml);
  CHECK(m1.find("params.csv:5: 'low' (column 'label') is not a number") != std::string::npos);
  CHECK(data.get("total").values == std::vector<double>{2});
  auto [k2, m2] = failure(data, "g");
  CHECK(k2 == ErrorKind::Io);
  CHECK(m2.find("dataDescription 'gone'") != std::string::npos);
  CHECK(m2.find("missing.csv") != std::string::npos);
  auto [k3, m3] = failure(data, "o");
  CHECK(k3 == ErrorKind::Unsupported);
  CHECK(m3.find("format 'urn:sedml:format:xlsx'") != std::string::npos);
}

TEST_CASE("external data: a NuML file (composite values and tuples)", "[sedml]") {
  const fs::path dir = fresh("numl");
  const std::string ns = "xmlns='http://www.numl.org/numl/level1/version1'";
  write(dir / "obs.numl",
        "<?xml version='1.0'?>\n<numl " + ns + " level='1' version='1'><resultComponents>"
        "<resultComponent id='rc'><dimensionDescription>"
        "<compositeDescription id='time' indexType='double'><compositeDescription id='species' indexType='string'>"
        "<atomicDescription name='conc' valueType='double'/></compositeDescription></compositeDescription>"
        "</dimensionDescription><dimension>"
        "<compositeValue indexValue='0'><compositeValue indexValue='S1'><atomicValue>0.1</atomicValue></compositeValue>"
        "<compositeValue indexValue='S2'><atomicValue>1e300</atomicValue></compositeValue></compositeValue>"
        "<compositeValue indexValue='0.5'><compositeValue indexValue='S2'><atomicValue>-7.25</atomicValue></compositeValue></compositeValue>"
        "</dimension></resultComponent></resultComponents></numl>\n");
  write(dir / "tuple.numl",
        "<numl " + ns + "><resultComponents><resultComponent id='r'><dimensionDescription>"
        "<compositeDescription id='time' indexType='double'><tupleDescription>"
        "<atomicDescription name='mean' valueType='double'/><atomicDescription name='sd' valueType='double'/>"
        "</tupleDescription></compositeDescription></dimensionDescription><dimension>"
        "<compositeValue indexValue='1'><tuple><atomicValue>4</atomicValue><atomicValue>0.5</atomicValue></tuple></compositeValue>"
        "<compositeValue indexValue='2'><tuple><atomicValue>3</atomicValue><atomicValue>0.25</atomicValue></tuple></compositeValue>"
        "</dimension></resultComponent></resultComponents></numl>\n");
  const auto doc = document(dir,
                            "<dataDescription id='n' source='obs.numl'><listOfDataSources>"  // no format: NuML
                            "<dataSource id='time' indexSet='time'/>"
                            "<dataSource id='s1'><listOfSlices><slice reference='species' value='S1'/></listOfSlices></dataSource>"
                            "<dataSource id='s2'><listOfSlices><slice reference='species' value='S2'/></listOfSlices></dataSource>"
                            "<dataSource id='names' indexSet='species'/>"
                            "</listOfDataSources></dataDescription>\n"
                            "<dataDescription id='tp' format='urn:sedml:format:numl' source='tuple.numl'><listOfDataSources>"
                            "<dataSource id='sd'><listOfSlices><slice reference='time' startIndex='0'/></listOfSlices></dataSource>"
                            "</listOfDataSources></dataDescription>\n");
  REQUIRE(doc.problems.empty());
  DataSources data(doc, dir);
  CHECK(data.get("time").values == std::vector<double>{0, 0.5});
  CHECK(same(data.get("s1").values, {0.1, nan_}));  // no S1 at time 0.5
  CHECK(data.get("s2").values == std::vector<double>{1e300, -7.25});
  auto [k, m] = failure(data, "names");
  CHECK(k == ErrorKind::InvalidSbml);
  CHECK(m.find("index value 'S1' is not a number") != std::string::npos);
  const DataValues& sd = data.get("sd");  // the tuple is a last dimension: 2 x 2
  CHECK(sd.shape == std::vector<std::size_t>{2, 2});
  CHECK(sd.values == std::vector<double>{4, 0.5, 3, 0.25});
  CHECK(sd.index[1] == std::vector<std::string>{"mean", "sd"});
  CHECK(data.warnings().empty());
}

TEST_CASE("external data: a TSV data source with an index set in data generators and a report", "[sedml]") {
  const fs::path out = fresh("tsv_run");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  const sedml::RunReport r = sedml::run_file((fs::path(AXISIM_SEDML_TEST_DATA) / "data_tsv.sedml").string(), opt);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  REQUIRE(r.problems.empty());
  std::ifstream in(out / "data_tsv.sedml" / "fit.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 3);
  // The file's numbers written back in the shortest form that reads back the same.
  CHECK(lines[0] == "time,0,1,2");
  CHECK(lines[1] == "S_obs,10,6.065306597126334,3.6787944117144233");
  double worst = 0;
  std::istringstream residual(lines[2].substr(lines[2].find(',') + 1));
  for (std::string f; std::getline(residual, f, ',');) worst = std::max(worst, std::fabs(std::stod(f)));
  CHECK(worst < 1e-6);  // the model's S minus the data
  // The whole table, a 3 x 2 data source, row by row, with a note saying so.
  std::ifstream table(out / "data_tsv.sedml" / "table.csv");
  std::string row;
  REQUIRE(std::getline(table, row));
  CHECK(row == "table,0,10,1,6.065306597126334,2,3.6787944117144233");
  bool noted = false;
  for (const auto& n : r.notes) noted = noted || n.find("data set 'all' is 3 x 2 values of a data source") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("external data: a missing format is diagnosed, a variable's unknown modelReference and a functional range following no range are named", "[sedml]") {
  // The corpus's tellurium parameter_from_data_csv in small: data with no format (a CSV file),
  // a task variable naming a model the document lacks, a functional range following a range the
  // repeated task lacks.
  const fs::path dir = fresh("diagnose");
  write(dir / "mu.csv", "# values\nmu\n0.5\n1.5\n");
  write(dir / "doc.sedml",
        "<?xml version='1.0'?>\n<sedML xmlns='http://sed-ml.org/sed-ml/level1/version3' level='1' version='3' "
        "xmlns:sbml='http://www.sbml.org/sbml/level3/version1/core'>"
        "<listOfDataDescriptions><dataDescription id='mucsv' source='mu.csv'><listOfDataSources>"
        "<dataSource id='dataMu'><listOfSlices><slice reference='columns' value='mu'/></listOfSlices></dataSource>"
        "</listOfDataSources></dataDescription></listOfDataDescriptions>"
        "<listOfModels><model id='model1' language='urn:sedml:language:sbml' source='" +
            (fs::path(AXISIM_SEDML_TEST_DATA) / "decay.xml").string() +
            "'/></listOfModels>"
        "<listOfSimulations><uniformTimeCourse id='sim' initialTime='0' outputStartTime='0' outputEndTime='1' numberOfPoints='2'>"
        "<algorithm kisaoID='KISAO:0000019'/></uniformTimeCourse></listOfSimulations>"
        "<listOfTasks><task id='task1' modelReference='model1' simulationReference='sim'/>"
        "<repeatedTask id='rt' range='current' resetModel='true'><listOfRanges>"
        "<functionalRange id='current' range='data_range'><math xmlns='http://www.w3.org/1998/Math/MathML'><cn>1</cn></math></functionalRange>"
        "</listOfRanges><listOfSubTasks><subTask order='1' task='task1'/></listOfSubTasks></repeatedTask></listOfTasks>"
        "<listOfDataGenerators>"
        "<dataGenerator id='mu'><listOfVariables><variable id='m' target='#dataMu'/></listOfVariables>"
        "<math xmlns='http://www.w3.org/1998/Math/MathML'><ci>m</ci></math></dataGenerator>"
        "<dataGenerator id='s'><listOfVariables><variable id='v' taskReference='task1' modelReference='model' "
        "target=\"/sbml:sbml/sbml:model/sbml:listOfSpecies/sbml:species[@id='S']\"/></listOfVariables>"
        "<math xmlns='http://www.w3.org/1998/Math/MathML'><ci>v</ci></math></dataGenerator>"
        "</listOfDataGenerators><listOfOutputs><report id='data'><listOfDataSets>"
        "<dataSet id='d' label='mu' dataReference='mu'/></listOfDataSets></report></listOfOutputs></sedML>\n");
  sedml::RunOptions opt;
  opt.output_dir = (dir / "out").string();
  const sedml::RunReport r = sedml::run_file((dir / "doc.sedml").string(), opt);
  bool warned = false;
  for (const auto& n : r.notes)
    warned = warned || n.find("dataDescription 'mucsv': no format is given (SED-ML's default is NuML), but 'mu.csv' is not XML: "
                              "read as CSV by its extension") != std::string::npos;
  CHECK(warned);
  std::ifstream data(dir / "out" / "doc.sedml" / "data.csv");
  std::string row;
  REQUIRE(std::getline(data, row));
  CHECK(row == "mu,0.5,1.5");  // the data are read all the same
  bool model = false, range = false;
  for (const auto& p : r.problems) {
    INFO(p.element << ": " << p.message);
    model = model || (p.element == "dataGenerator 's' variable 'v'" &&
                      p.message == "modelReference 'model' names no model of the document (its models: 'model1'); its task 'task1' runs model 'model1'");
    range = range || (p.element.find("repeatedTask 'rt'") != std::string::npos &&
                      p.message.find("follows range 'data_range', which the repeated task does not have") != std::string::npos);
  }
  CHECK(model);
  CHECK(range);
  CHECK(r.exit_code() == 4);  // bad input, not a refusal
}

TEST_CASE("external data: a data source sliced to one value in a repeated task's setValue", "[sedml]") {
  const fs::path out = fresh("setvalue");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  const sedml::RunReport r = sedml::run_file((fs::path(AXISIM_SEDML_TEST_DATA) / "data_setvalue.sedml").string(), opt);
  // The column of two values where one is needed: refused, named (and only that).
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].element == "repeatedTask 'bad' setValue '/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='k']' variable 'rate'");
  CHECK(r.problems[0].message.find("data source 'all_k' has 2 values where one is needed") != std::string::npos);
  CHECK(r.exit_code() == 3);
  std::ifstream in(out / "data_setvalue.sedml" / "scan_S.csv");
  std::string line;
  REQUIRE(std::getline(in, line));
  std::vector<double> v;
  std::istringstream fields(line.substr(line.find(',') + 1));
  for (std::string f; std::getline(fields, f, ',');) v.push_back(std::stod(f));
  REQUIRE(v.size() == 4);  // two iterations of t = 0, 2
  for (int i = 0; i < 2; ++i) {
    CHECK(v[2 * i] == Approx(10).epsilon(1e-12));
    CHECK(v[2 * i + 1] == Approx(10 * std::exp(-0.25 * (i + 1) * 2)).epsilon(1e-5));
  }
}

TEST_CASE("external data: a slice at a repeated task's iteration (index) in its setValue", "[sedml]") {
  const fs::path out = fresh("index");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  opt.draw_plots = false;
  const sedml::RunReport r = sedml::run_file((fs::path(AXISIM_SEDML_TEST_DATA) / "data_index.sedml").string(), opt);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  // Iteration i of `scan` reads row i of decay_rates.csv: k = 0.05, then 0.25.
  std::ifstream in(out / "data_index.sedml" / "scan_S.csv");
  std::string line;
  REQUIRE(std::getline(in, line));
  std::vector<double> v;
  std::istringstream fields(line.substr(line.find(',') + 1));
  for (std::string f; std::getline(fields, f, ',');) v.push_back(std::stod(f));
  REQUIRE(v.size() == 4);  // two iterations of t = 0, 2
  const double k[] = {0.05, 0.25};
  for (int i = 0; i < 2; ++i) {
    CHECK(v[2 * i] == Approx(10).epsilon(1e-12));
    CHECK(v[2 * i + 1] == Approx(10 * std::exp(-2 * k[i])).epsilon(1e-5));
  }
  // A data generator has no current iteration: refused, named. Three iterations over two rows:
  // the third is past the dimension, named (bad input, exit 4).
  bool direct = false, past = false;
  for (const auto& p : r.problems) {
    if (p.element.find("dataGenerator 'k_direct'") != std::string::npos &&
        p.message.find("index 'scan'") != std::string::npos && p.message.find("not running") != std::string::npos)
      direct = true;
    if (p.element.find("repeatedTask 'too_long'") != std::string::npos &&
        p.message.find("iteration 2 (counted from 0) is past dimension 'case', which has 2 positions") != std::string::npos)
      past = true;
  }
  CHECK(direct);
  CHECK(past);
  CHECK(r.exit_code() == 4);
  CHECK(!fs::exists(out / "data_index.sedml" / "direct.csv"));
  CHECK(!fs::exists(out / "data_index.sedml" / "long.csv"));
}
