// Logical models (SBML qual, docs/logical.md): small networks whose trajectories are worked out
// by hand, the updating schemes' rules, refusals, SED-ML and the CLI; the Irons yeast cell cycle
// against BioSimulators' reference trajectory (BoolNet, synchronous) from the reference's own
// first state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#ifdef AXISIM_HAVE_HDF5
#include <hdf5.h>
#endif

#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "axisim/sedml.hpp"
#include "test_util.hpp"

namespace {

using axisim::LogicalModel;
using axisim::LogicalOptions;
using axisim::LogicalUpdate;

struct Sp {
  std::string id;
  int initial = 0;
  int max = 1;
  bool constant = false;
};
struct In {
  std::string id, species;
  int threshold = 1;
};
struct Term {
  int result = 1;
  std::string math;  // MathML inside <math>
};
struct Tr {
  std::string id, output;
  std::vector<In> inputs;
  std::vector<Term> terms;
  int default_level = 0;
  std::string effect = "assignmentLevel";
};

std::string ci(const std::string& x) { return "<ci>" + x + "</ci>"; }
std::string apply(const std::string& op, const std::string& a, const std::string& b = "") {
  return "<apply><" + op + "/>" + a + b + "</apply>";
}

std::string qual_sbml(const std::vector<Sp>& species, const std::vector<Tr>& transitions, const std::string& core = "") {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\" "
      "xmlns:qual=\"http://www.sbml.org/sbml/level3/version1/qual/version1\" qual:required=\"true\">\n"
      "<model id=\"net\">\n<listOfCompartments><compartment id=\"c\" constant=\"true\"/></listOfCompartments>\n" +
      core + "<qual:listOfQualitativeSpecies>\n";
  for (const Sp& q : species)
    s += "<qual:qualitativeSpecies qual:id=\"" + q.id + "\" qual:compartment=\"c\" qual:constant=\"" +
         (q.constant ? "true" : "false") + "\" qual:initialLevel=\"" + std::to_string(q.initial) + "\" qual:maxLevel=\"" +
         std::to_string(q.max) + "\"/>\n";
  s += "</qual:listOfQualitativeSpecies>\n<qual:listOfTransitions>\n";
  for (const Tr& t : transitions) {
    s += "<qual:transition qual:id=\"" + t.id + "\">\n";
    if (!t.inputs.empty()) {
      s += "<qual:listOfInputs>";
      for (const In& i : t.inputs)
        s += "<qual:input qual:id=\"" + i.id + "\" qual:qualitativeSpecies=\"" + i.species +
             "\" qual:transitionEffect=\"none\" qual:thresholdLevel=\"" + std::to_string(i.threshold) + "\"/>";
      s += "</qual:listOfInputs>\n";
    }
    s += "<qual:listOfOutputs><qual:output qual:qualitativeSpecies=\"" + t.output + "\" qual:transitionEffect=\"" +
         t.effect + "\"" + (t.effect == "production" ? " qual:outputLevel=\"1\"" : "") + "/></qual:listOfOutputs>\n";
    s += "<qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel=\"" + std::to_string(t.default_level) + "\"/>";
    for (const Term& f : t.terms)
      s += "<qual:functionTerm qual:resultLevel=\"" + std::to_string(f.result) +
           "\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\">" + f.math + "</math></qual:functionTerm>";
    s += "</qual:listOfFunctionTerms>\n</qual:transition>\n";
  }
  return s + "</qual:listOfTransitions>\n</model>\n</sbml>\n";
}

// X is 1 when `from` is below its threshold 1: X = not from.
Tr negation(const std::string& x, const std::string& from) {
  const std::string in = "t" + x + "_" + from;
  return Tr{"t" + x, x, {{in, from, 1}}, {{1, apply("lt", ci(from), ci(in))}}, 0};
}

// The Boolean repressilator: A = not C, B = not A, C = not B.
std::string repressilator(int a, int b, int c) {
  return qual_sbml({{"A", a}, {"B", b}, {"C", c}}, {negation("A", "C"), negation("B", "A"), negation("C", "B")});
}

// The toggle switch: A = not B, B = not A.
std::string toggle(int a, int b) { return qual_sbml({{"A", a}, {"B", b}}, {negation("A", "B"), negation("B", "A")}); }

// Rows as strings of levels ("101"), time checked to be 0, 1, 2, ...
std::vector<std::string> states(const axisim::Result& r, double first = 0, double interval = 1) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    REQUIRE(r.at(i, 0) == first + interval * static_cast<double>(i));
    std::string s;
    for (std::size_t c = 1; c < r.cols(); ++c) s += std::to_string(static_cast<int>(r.at(i, c)));
    out.push_back(s);
  }
  return out;
}

LogicalOptions steps(int n, LogicalUpdate u = LogicalUpdate::Synchronous, std::uint64_t seed = 1) {
  LogicalOptions o;
  o.update = u;
  o.start = 0;
  o.end = n;
  o.steps = n;
  o.seed = seed;
  return o;
}

int differing(const std::string& a, const std::string& b) {
  int n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

}  // namespace

TEST_CASE("synchronous repressilator runs its cycle of six states", "[logical]") {
  const LogicalModel m = LogicalModel::from_string(repressilator(1, 0, 0));
  CHECK(m.ids() == std::vector<std::string>{"A", "B", "C"});
  // A' = !C, B' = !A, C' = !B from 100: 101, 001, 011, 010, 110, back to 100.
  const std::vector<std::string> cycle{"100", "101", "001", "011", "010", "110"};
  const auto got = states(m.simulate(steps(13)));
  REQUIRE(got.size() == 14);
  for (std::size_t k = 0; k < got.size(); ++k) CHECK(got[k] == cycle[k % 6]);
}

TEST_CASE("sequential repressilator updates in document order, reading the new levels", "[logical]") {
  const LogicalModel m = LogicalModel::from_string(repressilator(1, 0, 0));
  // A = !C = 1, B = !A(new) = 0, C = !B(new) = 1: 101; then A = 0, B = 1, C = 0: 010; then 101 ...
  CHECK(states(m.simulate(steps(5, LogicalUpdate::Sequential))) ==
        std::vector<std::string>{"100", "101", "010", "101", "010", "101"});
}

TEST_CASE("synchronous toggle: a fixed point stays, the symmetric start oscillates", "[logical]") {
  CHECK(states(LogicalModel::from_string(toggle(1, 0)).simulate(steps(3))) == std::vector<std::string>{"10", "10", "10", "10"});
  CHECK(states(LogicalModel::from_string(toggle(0, 0)).simulate(steps(4))) ==
        std::vector<std::string>{"00", "11", "00", "11", "00"});
}

TEST_CASE("asynchronous toggle falls into one of its two stable states", "[logical]") {
  const LogicalModel m = LogicalModel::from_string(toggle(0, 0));
  std::set<std::string> reached;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto got = states(m.simulate(steps(4, LogicalUpdate::Asynchronous, seed)));
    REQUIRE(got.size() == 5);
    CHECK(got[0] == "00");
    CHECK((got[1] == "10" || got[1] == "01"));
    for (std::size_t k = 2; k < got.size(); ++k) CHECK(got[k] == got[1]);  // stable: it stays
    reached.insert(got[1]);
  }
  CHECK(reached == std::set<std::string>{"10", "01"});  // both, over 20 seeds
}

TEST_CASE("asynchronous repressilator: one species changes per step, reproducible with a seed", "[logical]") {
  // The repressilator has no stable state, so every asynchronous update changes exactly one level.
  const LogicalModel m = LogicalModel::from_string(repressilator(0, 0, 0));
  const auto a = states(m.simulate(steps(200, LogicalUpdate::Asynchronous, 7)));
  const auto b = states(m.simulate(steps(200, LogicalUpdate::Asynchronous, 7)));
  CHECK(a == b);
  for (std::size_t k = 1; k < a.size(); ++k) CHECK(differing(a[k - 1], a[k]) == 1);
  // From 000 every species is called to change (all three targets are 1): the first step draws.
  bool other = false;
  for (std::uint64_t seed = 8; seed < 20 && !other; ++seed)
    other = states(m.simulate(steps(200, LogicalUpdate::Asynchronous, seed))) != a;
  CHECK(other);
  // Each changed species took its target: no state of the asynchronous graph but its successors.
  for (std::size_t k = 1; k < a.size(); ++k) {
    const std::string& s = a[k - 1];
    const std::string target{s[2] == '0' ? '1' : '0', s[0] == '0' ? '1' : '0', s[1] == '0' ? '1' : '0'};
    for (std::size_t i = 0; i < 3; ++i)
      if (a[k][i] != s[i]) CHECK(a[k][i] == target[i]);
  }
}

TEST_CASE("multi-valued levels: thresholds pick the result, the grid samples whole updates", "[logical]") {
  // X: 0 -> 1 -> 2 (2 once X >= 1, else 1). Y: 2 when X >= 2, 1 when X >= 1, else 0 (first
  // true term wins, document order).
  Tr tx{"tX", "X", {{"tX_X", "X", 1}}, {{2, apply("geq", ci("X"), ci("tX_X"))}}, 1};
  Tr ty{"tY", "Y", {{"tY_1", "X", 1}, {"tY_2", "X", 2}},
        {{2, apply("geq", ci("X"), ci("tY_2"))}, {1, apply("geq", ci("X"), ci("tY_1"))}}, 0};
  const LogicalModel m = LogicalModel::from_string(qual_sbml({{"X", 0, 2}, {"Y", 0, 2}}, {tx, ty}));
  CHECK(states(m.simulate(steps(4))) == std::vector<std::string>{"00", "10", "21", "22", "22"});
  LogicalOptions o = steps(0);
  o.start = 1;
  o.end = 3;
  o.steps = 2;  // times 1, 2, 3
  CHECK(states(m.simulate(o, {"Y"}), 1) == std::vector<std::string>{"0", "1", "2"});
  o.end = 4;
  o.steps = 2;  // every second update: times 0, 2, 4
  o.start = 0;
  CHECK(states(m.simulate(o), 0, 2) == std::vector<std::string>{"00", "21", "22"});
  o.end = 3;  // 1.5 updates per interval
  CHECK_THROWS_AS(m.simulate(o), axisim::Error);
  LogicalModel changed = m;
  changed.set_initial_level("X", 2);
  CHECK(states(changed.simulate(steps(2))) == std::vector<std::string>{"20", "22", "22"});
  CHECK_THROWS_WITH(changed.set_initial_level("X", 3), Catch::Contains("outside 0..2"));
}

TEST_CASE("a constant species and one no transition writes keep their levels", "[logical]") {
  Tr ta{"tA", "A", {{"tA_K", "K", 1}, {"tA_F", "F", 1}},
        {{1, "<apply><and/>" + apply("geq", ci("K"), ci("tA_K")) + apply("geq", ci("F"), ci("tA_F")) + "</apply>"}}, 0};
  const LogicalModel m = LogicalModel::from_string(qual_sbml({{"K", 1, 1, true}, {"F", 1}, {"A", 0}}, {ta}));
  CHECK(states(m.simulate(steps(2))) == std::vector<std::string>{"110", "111", "111"});
}

TEST_CASE("what axisim does not simulate is refused, named", "[logical]") {
  // validate = false: axisim's own checks, behind libSBML's (which find some of the same first).
  auto refused = [](const std::string& sbml, axisim::ErrorKind kind, const std::string& text, bool validate = true) {
    try {
      (void)LogicalModel::from_string(sbml, "net.xml", validate);
      FAIL("not refused: " << text);
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == kind);
      CHECK_THAT(e.what(), Catch::Contains(text));
    }
  };
  Tr production = negation("A", "B");
  production.effect = "production";
  refused(qual_sbml({{"A"}, {"B"}}, {production, negation("B", "A")}), axisim::ErrorKind::Unsupported, "production");
  Tr again = negation("A", "A");
  again.id = "tA2";
  refused(qual_sbml({{"A"}, {"B"}}, {negation("A", "B"), again}), axisim::ErrorKind::Unsupported,
          "transition 'tA2' output 'A': qualitativeSpecies 'A' is also the output of transition 'tA'");
  Tr high = negation("A", "B");
  high.terms[0].result = 2;
  refused(qual_sbml({{"A"}, {"B"}}, {high}), axisim::ErrorKind::InvalidSbml, "maxLevel");  // libSBML's check
  refused(qual_sbml({{"A"}, {"B"}}, {high}), axisim::ErrorKind::InvalidSbml, "above output 'A''s maxLevel 1", false);
  Tr unknown = negation("A", "B");
  unknown.terms[0].math = apply("lt", ci("Z"), ci("tA_B"));
  refused(qual_sbml({{"A"}, {"B"}}, {unknown}), axisim::ErrorKind::InvalidSbml, "'Z'");
  Tr sine = negation("A", "B");
  sine.terms[0].math = apply("lt", "<apply><sin/>" + ci("B") + "</apply>", ci("tA_B"));
  refused(qual_sbml({{"A"}, {"B"}}, {sine}), axisim::ErrorKind::Unsupported, "MathML operator 'sin'");
  const std::string core =
      "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" hasOnlySubstanceUnits=\"true\" "
      "boundaryCondition=\"false\" constant=\"false\"/></listOfSpecies>"
      "<listOfReactions><reaction id=\"R1\" reversible=\"false\" fast=\"false\"><listOfReactants><speciesReference "
      "species=\"S\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants></reaction></listOfReactions>\n";
  refused(qual_sbml({{"A"}, {"B"}}, {negation("A", "B")}, core), axisim::ErrorKind::Unsupported,
          "mixed with a continuous core model: reaction 'R1'");
  CHECK(LogicalModel::is_logical(toggle(0, 1)));
  CHECK_FALSE(LogicalModel::is_logical("<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" "
                                       "version=\"1\"><model id=\"m\"/></sbml>"));
}

namespace {

std::string sedml(const std::string& kisao, const std::string& params = "", const std::string& sim_extra = "") {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version3\" level=\"1\" version=\"3\" "
      "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version1/core\" "
      "xmlns:qual=\"http://www.sbml.org/sbml/level3/version1/qual/version1\">\n"
      "<listOfModels><model id=\"m\" language=\"urn:sedml:language:sbml\" source=\"net.xml\"><listOfChanges>"
      "<changeAttribute target=\"/sbml:sbml/sbml:model/qual:listOfQualitativeSpecies/qual:qualitativeSpecies[@qual:id='A']/"
      "@qual:initialLevel\" newValue=\"1\"/></listOfChanges></model></listOfModels>\n"
      "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"6\" "
      "numberOfPoints=\"" + (sim_extra.empty() ? std::string("6") : sim_extra) + "\"><algorithm kisaoID=\"" + kisao + "\">" + params +
      "</algorithm></uniformTimeCourse></listOfSimulations>\n"
      "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"sim\"/></listOfTasks>\n<listOfDataGenerators>"
      "<dataGenerator id=\"g_time\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>v</ci></math><listOfVariables>"
      "<variable id=\"v\" symbol=\"urn:sedml:symbol:time\" taskReference=\"t\"/></listOfVariables></dataGenerator>\n";
  for (const char* x : {"A", "B", "C"})
    s += std::string("<dataGenerator id=\"g_") + x + "\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>v</ci></math>"
         "<listOfVariables><variable id=\"v\" taskReference=\"t\" target=\"/sbml:sbml/sbml:model/qual:listOfQualitativeSpecies/"
         "qual:qualitativeSpecies[@qual:id='" + x + "']\"/></listOfVariables></dataGenerator>\n";
  s += "</listOfDataGenerators><listOfOutputs><report id=\"r\"><listOfDataSets>"
       "<dataSet id=\"d_time\" label=\"time\" dataReference=\"g_time\"/><dataSet id=\"d_A\" label=\"A\" dataReference=\"g_A\"/>"
       "<dataSet id=\"d_B\" label=\"B\" dataReference=\"g_B\"/><dataSet id=\"d_C\" label=\"C\" dataReference=\"g_C\"/>"
       "</listOfDataSets></report></listOfOutputs></sedML>\n";
  return s;
}

}  // namespace

TEST_CASE("SED-ML: a uniformTimeCourse of a qual model runs the logical simulator", "[logical][sedml]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), repressilator(0, 0, 0));  // A's initialLevel changed to 1 by the document
  tu::write_file(dir.file("sync.sedml"), sedml("KISAO:0000449"));
  axisim::sedml::RunOptions o;
  o.output_dir = dir.file("out");
  const auto r = axisim::sedml::run_file(dir.file("sync.sedml"), o);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  REQUIRE(r.problems.empty());
  // One row per data set: label, then the values at times 0..6 (the cycle from 100).
  const auto lines = tu::lines(tu::read_file(dir.file("out/sync.sedml/r.csv")));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "time,0,1,2,3,4,5,6");
  CHECK(lines[1] == "A,1,1,0,0,0,1,1");
  CHECK(lines[2] == "B,0,0,0,1,1,1,0");
  CHECK(lines[3] == "C,0,1,1,1,0,0,0");

  // Asynchronous with a seed: the same report twice; a different seed may differ.
  const std::string seed = "<listOfAlgorithmParameters><algorithmParameter kisaoID=\"KISAO:0000488\" value=\"5\"/>"
                           "</listOfAlgorithmParameters>";
  tu::write_file(dir.file("async.sedml"), sedml("KISAO:0000450", seed));
  o.output_dir = dir.file("a1");
  REQUIRE(axisim::sedml::run_file(dir.file("async.sedml"), o).problems.empty());
  o.output_dir = dir.file("a2");
  REQUIRE(axisim::sedml::run_file(dir.file("async.sedml"), o).problems.empty());
  CHECK(tu::read_file(dir.file("a1/async.sedml/r.csv")) == tu::read_file(dir.file("a2/async.sedml/r.csv")));

  // An ODE integrator on a qual model, and a grid between whole updates: refused, named.
  tu::write_file(dir.file("ode.sedml"), sedml("KISAO:0000019"));
  o.output_dir = dir.file("ode");
  const auto ode = axisim::sedml::run_file(dir.file("ode.sedml"), o);
  REQUIRE_FALSE(ode.problems.empty());
  CHECK(ode.exit_code() == 3);
  CHECK_THAT(ode.problems[0].message, Catch::Contains("logical (qual) model"));
  tu::write_file(dir.file("half.sedml"), sedml("KISAO:0000449", "", "4"));
  o.output_dir = dir.file("half");
  const auto half = axisim::sedml::run_file(dir.file("half.sedml"), o);
  REQUIRE_FALSE(half.problems.empty());
  CHECK_THAT(half.problems[0].message, Catch::Contains("not a whole number"));
}

TEST_CASE("axisim simulate on a qual model: synchronous by default, --method chooses, ODE methods refused", "[logical][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), repressilator(1, 0, 0));
  auto r = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--steps", "3"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"time,A,B,C", "0,1,0,0", "1,1,0,1", "2,0,0,1", "3,0,1,1"});
  r = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--method", "sequential", "--end", "2", "--select", "C,A"},
              dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"time,C,A", "0,0,1", "1,1,1", "2,0,0"});
  const auto a = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--method", "asynchronous", "--seed", "9",
                          "--steps", "50", "--set", "A=0"},
                         dir.path());
  const auto b = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--method", "asynchronous", "--seed", "9",
                          "--steps", "50", "--set", "A=0"},
                         dir.path());
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(tu::lines(a.out).at(1) == "0,0,0,0");
  r = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--method", "ode"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("logical (SBML qual) model"));
  r = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--steps", "4", "--end", "6"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("not a whole number"));
}


#ifdef AXISIM_HAVE_HDF5
// One report of a BioSimulators reports.h5: its data set ids (attribute sedmlDataSetIds) and its
// values, row-major (data sets x points).
struct H5Table {
  std::vector<std::string> ids;
  std::size_t columns = 0;
  std::vector<double> values;
};

H5Table read_h5_report(const std::string& file, const std::string& dataset) {
  H5Table t;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t ds = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  REQUIRE(ds >= 0);
  const hid_t space = H5Dget_space(ds);
  hsize_t dims[2] = {0, 0};
  REQUIRE(H5Sget_simple_extent_ndims(space) == 2);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  t.columns = dims[1];
  t.values.resize(dims[0] * dims[1]);
  REQUIRE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.values.data()) >= 0);
  const hid_t attr = H5Aopen(ds, "sedmlDataSetIds", H5P_DEFAULT);
  REQUIRE(attr >= 0);
  const hid_t aspace = H5Aget_space(attr);
  const hid_t ftype = H5Aget_type(attr);
  const hid_t mtype = H5Tcopy(H5T_C_S1);
  H5Tset_cset(mtype, H5Tget_cset(ftype));  // UTF-8, as BioSimulators writes them
  H5Tset_size(mtype, H5T_VARIABLE);        // variable-length strings
  std::vector<char*> buf(static_cast<std::size_t>(H5Sget_simple_extent_npoints(aspace)), nullptr);
  REQUIRE(H5Aread(attr, mtype, buf.data()) >= 0);
  for (char* c : buf) t.ids.emplace_back(c ? c : "");
  H5Dvlen_reclaim(mtype, aspace, H5P_DEFAULT, buf.data());
  H5Tclose(mtype);
  H5Tclose(ftype);
  H5Sclose(aspace);
  H5Aclose(attr);
  H5Sclose(space);
  H5Dclose(ds);
  H5Fclose(f);
  REQUIRE(t.ids.size() == dims[0]);
  return t;
}
#endif

TEST_CASE("Irons yeast cell cycle follows BoolNet's synchronous reference from its first state", "[logical][corpus]") {
  // BioSimulators' reference (expected/reports.h5, report_wt) starts from a random state, not the
  // model's initialLevels; every later state follows from it by synchronous updating. Started
  // from the reference's first state, axisim must give all 101 states of all 18 species. The
  // reference is read from the corpus's reports.h5 (the corpus is read-only data, not copied).
  const std::string corpus = std::getenv("AXISIM_SEDML_CORPUS_DIR") ? std::getenv("AXISIM_SEDML_CORPUS_DIR")
                                                                      : AXISIM_SEDML_CORPUS_DEFAULT;
  const std::string dir = corpus + "/other-tasks/biosimulators-test-suite__sbml-qual-Irons-J-Theor-Biol-2009-yeast-cell-cycle";
  const std::string model = dir + "/model.xml";
  if (!std::filesystem::exists(model)) {
    WARN("skipped: the SED-ML corpus is not at " << corpus << " (set AXISIM_SEDML_CORPUS_DIR)");
    return;
  }
#ifndef AXISIM_HAVE_HDF5
  WARN("skipped: built without HDF5 (libhdf5-dev), so the reference reports.h5 cannot be read");
#else
  const H5Table table = read_h5_report(dir + "/expected/reports.h5", "simulation.sedml/report_wt");
  REQUIRE(table.columns == 101);
  // Data set ids are "wt_data_set_<species id>"; the first is the time.
  std::vector<std::pair<std::string, std::string>> reference;
  for (std::size_t row = 0; row < table.ids.size(); ++row) {
    const std::string prefix = "wt_data_set_";
    REQUIRE(table.ids[row].rfind(prefix, 0) == 0);
    const std::string id = table.ids[row].substr(prefix.size());
    if (id == "time") continue;
    std::string levels;
    for (std::size_t k = 0; k < table.columns; ++k) levels += std::to_string(static_cast<int>(table.values[row * table.columns + k]));
    reference.emplace_back(id, levels);
  }
  LogicalModel m = LogicalModel::from_file(model);
  REQUIRE(m.ids().size() == reference.size());
  std::vector<std::string> ids;
  for (const auto& [id, levels] : reference) {
    m.set_initial_level(id, levels[0] - '0');
    ids.push_back(id);
  }
  const axisim::Result r = m.simulate(steps(100), ids);
  REQUIRE(r.rows() == 101);
  for (std::size_t c = 0; c < reference.size(); ++c) {
    std::string got;
    for (std::size_t k = 0; k < r.rows(); ++k) got += std::to_string(static_cast<int>(r.at(k, c + 1)));
    INFO(reference[c].first);
    CHECK(got == reference[c].second);
  }
#endif
}

// ---- attractors, stable states, complete updating (worked out by hand) -------------------------

namespace {

using axisim::AttractorOptions;
using axisim::LogicalAttractor;

// Attractors as lists of state strings ("01"), in the order found.
std::vector<std::vector<std::string>> attractor_strings(const std::vector<LogicalAttractor>& found) {
  std::vector<std::vector<std::string>> out;
  for (const LogicalAttractor& a : found) {
    out.emplace_back();
    for (const auto& s : a.states) {
      std::string x;
      for (int v : s) x += std::to_string(v);
      out.back().push_back(x);
    }
  }
  return out;
}

std::vector<std::vector<std::string>> attractors_of(const LogicalModel& m, LogicalUpdate u, bool all = false) {
  AttractorOptions o;
  o.update = u;
  o.all_states = all;
  return attractor_strings(m.attractors(o));
}

using Attractors = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("attractors of the toggle switch under each scheme", "[logical][attractors]") {
  const LogicalModel m = LogicalModel::from_string(toggle(0, 0));
  // A = not B, B = not A. Stable states 01 and 10; 00 and 11 swap synchronously.
  CHECK(attractor_strings({}) == Attractors{});
  CHECK(attractors_of(m, LogicalUpdate::Synchronous) == Attractors{{"00", "11"}});
  CHECK(attractors_of(m, LogicalUpdate::Synchronous, true) == Attractors{{"00", "11"}, {"01"}, {"10"}});
  // Asynchronously 00 goes to 10 or 01, both stable; completely also to 11, which goes on to 01,
  // 10 or 00: the same two attractors.
  CHECK(attractors_of(m, LogicalUpdate::Asynchronous) == Attractors{{"01"}, {"10"}});
  CHECK(attractors_of(m, LogicalUpdate::Complete) == Attractors{{"01"}, {"10"}});
  CHECK(attractors_of(m, LogicalUpdate::Asynchronous, true) == Attractors{{"01"}, {"10"}});
  CHECK(attractors_of(LogicalModel::from_string(toggle(1, 0)), LogicalUpdate::Synchronous) == Attractors{{"10"}});
  CHECK(m.stable_states() == std::vector<std::vector<int>>{{0, 1}, {1, 0}});
}

TEST_CASE("attractors of the repressilator: cycles, no stable state", "[logical][attractors]") {
  const LogicalModel m = LogicalModel::from_string(repressilator(1, 0, 0));
  // Synchronous: the six-state cycle of the time course test, listed from its smallest state.
  CHECK(attractors_of(m, LogicalUpdate::Synchronous) == Attractors{{"001", "011", "010", "110", "100", "101"}});
  // From every state also 000 <-> 111.
  CHECK(attractors_of(m, LogicalUpdate::Synchronous, true) ==
        Attractors{{"000", "111"}, {"001", "011", "010", "110", "100", "101"}});
  // Sequential from 100: 101, 010, 101, ...
  CHECK(attractors_of(m, LogicalUpdate::Sequential) == Attractors{{"010", "101"}});
  // Asynchronous: in each of the six states one species is called to change, round the cycle;
  // 000 and 111 are left and never reached again.
  const Attractors six{{"001", "010", "011", "100", "101", "110"}};
  CHECK(attractors_of(LogicalModel::from_string(repressilator(0, 0, 0)), LogicalUpdate::Asynchronous) == six);
  CHECK(attractors_of(m, LogicalUpdate::Asynchronous, true) == six);
  // Complete: from 000 every subset of {A,B,C} may change, 111 included; from the six the same
  // single changes as asynchronously: one attractor of six states again.
  CHECK(attractors_of(LogicalModel::from_string(repressilator(0, 0, 0)), LogicalUpdate::Complete) == six);
  CHECK(m.stable_states().empty());
}

TEST_CASE("stable states of a multi-valued network, and a search refused past its bound", "[logical][attractors]") {
  // X: 2 once X >= 1, else 1 (so 0 and 1 move on, 2 stays); Y: 2 when X >= 2, 1 when X >= 1, else 0.
  Tr tx{"tX", "X", {{"tX_X", "X", 1}}, {{2, apply("geq", ci("X"), ci("tX_X"))}}, 1};
  Tr ty{"tY", "Y", {{"tY_1", "X", 1}, {"tY_2", "X", 2}},
        {{2, apply("geq", ci("X"), ci("tY_2"))}, {1, apply("geq", ci("X"), ci("tY_1"))}}, 0};
  const LogicalModel m = LogicalModel::from_string(qual_sbml({{"X", 0, 2}, {"Y", 0, 2}}, {tx, ty}));
  CHECK(m.stable_states() == std::vector<std::vector<int>>{{2, 2}});
  CHECK(attractors_of(m, LogicalUpdate::Asynchronous, true) == Attractors{{"22"}});
  CHECK(attractors_of(m, LogicalUpdate::Synchronous) == Attractors{{"22"}});
  // An input species (no transition) keeps any level: K in 0..1 each with its own stable state.
  Tr ta{"tA", "A", {{"tA_K", "K", 1}}, {{1, apply("geq", ci("K"), ci("tA_K"))}}, 0};
  const LogicalModel in = LogicalModel::from_string(qual_sbml({{"K", 0}, {"A", 1}}, {ta}));
  CHECK(in.stable_states() == std::vector<std::vector<int>>{{0, 0}, {1, 1}});
  AttractorOptions few;
  few.all_states = true;
  few.max_states = 3;
  CHECK_THROWS_WITH(m.attractors(few), Catch::Contains("more than 3 states"));
}

TEST_CASE("complete updating: each step a non-empty subset of the changes, reproducible with a seed", "[logical][attractors]") {
  // From 000 of the repressilator all three species are called to change; a complete step may
  // change any non-empty subset of them, so over seeds each of the 7 successors appears.
  const LogicalModel m = LogicalModel::from_string(repressilator(0, 0, 0));
  std::set<std::string> first;
  for (std::uint64_t seed = 1; seed <= 80; ++seed) {
    const auto got = states(m.simulate(steps(30, LogicalUpdate::Complete, seed)));
    first.insert(got[1]);
    for (std::size_t k = 1; k < got.size(); ++k) {
      const std::string& s = got[k - 1];
      const std::string target{s[2] == '0' ? '1' : '0', s[0] == '0' ? '1' : '0', s[1] == '0' ? '1' : '0'};
      CHECK(got[k] != s);  // no stable state: something changes
      for (std::size_t i = 0; i < 3; ++i)
        if (got[k][i] != s[i]) CHECK(got[k][i] == target[i]);
    }
  }
  CHECK(first == std::set<std::string>{"100", "010", "001", "110", "101", "011", "111"});
  CHECK(states(m.simulate(steps(30, LogicalUpdate::Complete, 4))) == states(m.simulate(steps(30, LogicalUpdate::Complete, 4))));
}

namespace {

// A SED-ML document on net.xml (the repressilator or the toggle): `body` holds the simulations,
// tasks, data generators and outputs.
std::string sedml_doc(const std::string& model_changes, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version3\" level=\"1\" version=\"3\" "
         "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version1/core\" "
         "xmlns:qual=\"http://www.sbml.org/sbml/level3/version1/qual/version1\">\n"
         "<listOfModels><model id=\"m\" language=\"urn:sedml:language:sbml\" source=\"net.xml\"><listOfChanges>" +
         model_changes + "</listOfChanges></model></listOfModels>\n" + body + "</sedML>\n";
}

// Data generators g_X reading species X of task `task` by bare id, and a report of them.
std::string bare_id_outputs(const std::string& task, const std::vector<std::string>& ids, bool time = true) {
  std::string s = "<listOfDataGenerators>";
  if (time)
    s += "<dataGenerator id=\"g_time\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>v</ci></math><listOfVariables>"
         "<variable id=\"v\" symbol=\"urn:sedml:symbol:time\" taskReference=\"" + task + "\"/></listOfVariables></dataGenerator>";
  for (const std::string& x : ids)
    s += "<dataGenerator id=\"g_" + x + "\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>v</ci></math>"
         "<listOfVariables><variable id=\"v\" taskReference=\"" + task + "\" target=\"" + x + "\"/></listOfVariables></dataGenerator>";
  s += "</listOfDataGenerators><listOfOutputs><report id=\"r\"><listOfDataSets>";
  if (time) s += "<dataSet id=\"d_time\" label=\"time\" dataReference=\"g_time\"/>";
  for (const std::string& x : ids) s += "<dataSet id=\"d_" + x + "\" label=\"" + x + "\" dataReference=\"g_" + x + "\"/>";
  return s + "</listOfDataSets></report></listOfOutputs>\n";
}

struct SedRun {
  axisim::sedml::RunReport report;
  std::vector<std::string> lines;  // r.csv
};

SedRun run_sedml(tu::TempDir& dir, const std::string& name, const std::string& doc) {
  tu::write_file(dir.file(name), doc);
  axisim::sedml::RunOptions o;
  o.output_dir = dir.file("out-" + name);
  SedRun r;
  r.report = axisim::sedml::run_file(dir.file(name), o);
  for (const auto& p : r.report.problems) INFO(p.element << ": " << p.message);
  const std::string csv = dir.file("out-" + name + "/" + name + "/r.csv");
  if (std::filesystem::exists(csv)) r.lines = tu::lines(tu::read_file(csv));
  return r;
}

const std::string kLevelA =
    "/sbml:sbml/sbml:model/qual:listOfQualitativeSpecies/qual:qualitativeSpecies[@qual:id='A']/@qual:initialLevel";

}  // namespace

TEST_CASE("SED-ML: steady states of a logical model are its attractors or its stable states", "[logical][sedml][attractors]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), toggle(0, 0));
  auto steady = [](const std::string& kisao) {
    return "<listOfSimulations><steadyState id=\"ss\"><algorithm kisaoID=\"" + kisao +
           "\"/></steadyState></listOfSimulations><listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"ss\"/>"
           "</listOfTasks>" + bare_id_outputs("t", {"A", "B"}, false);
  };
  // Stable states (BioSimulators' GINsim: KISAO:0000659; mpbn: KISAO:0000660): 01 and 10.
  for (const char* k : {"KISAO:0000659", "KISAO:0000660"}) {
    const SedRun r = run_sedml(dir, std::string("stable") + k[12] + ".sedml", sedml_doc("", steady(k)));
    REQUIRE(r.report.problems.empty());
    CHECK(r.lines == std::vector<std::string>{"A,0,1", "B,1,0"});
  }
  // The attractors reached from 00: synchronously the cycle 00, 11; asynchronously 01 and 10.
  SedRun r = run_sedml(dir, "sync.sedml", sedml_doc("", steady("KISAO:0000449")));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,0,1", "B,0,1"});
  r = run_sedml(dir, "async.sedml", sedml_doc("", steady("KISAO:0000450")));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,0,1", "B,1,0"});
  // From 10 (A's level changed by bare id): that stable state alone, completely updated too.
  r = run_sedml(dir, "from10.sedml", sedml_doc("<changeAttribute target=\"A\" newValue=\"1\"/>", steady("KISAO:0000573")));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,1", "B,0"});
  // From 11 (A set by bare id, B computed from A's new level, also by bare id): the cycle 11, 00.
  const std::string computed =
      "<changeAttribute target=\"A\" newValue=\"1\"/><computeChange target=\"B\"><listOfVariables>"
      "<variable id=\"a\" modelReference=\"m\" target=\"A\"/></listOfVariables>"
      "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>a</ci></math></computeChange>";
  r = run_sedml(dir, "from11.sedml", sedml_doc(computed, steady("KISAO:0000449")));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,0,1", "B,0,1"});
  // Minimal trap spaces (KISAO:0000661; 0000662 and 0000663 substituted by it, said in a note):
  // the toggle switch's are its two stable states.
  for (const char* k : {"KISAO:0000661", "KISAO:0000662", "KISAO:0000663"}) {
    const SedRun t = run_sedml(dir, std::string("trap") + k[12] + ".sedml", sedml_doc("", steady(k)));
    REQUIRE(t.report.problems.empty());
    CHECK(t.lines == std::vector<std::string>{"A,0,1", "B,1,0"});
    bool noted = false;
    for (const std::string& n : t.report.notes) noted = noted || n.find("substituted by axisim's exhaustive trap space search") != std::string::npos;
    CHECK(noted == (k[12] != '1'));
  }
  // A stable state search on a time course, and a time variable on a steady state: refused, named.
  const std::string tc = "<listOfSimulations><uniformTimeCourse id=\"tc\" initialTime=\"0\" outputStartTime=\"0\" "
                         "outputEndTime=\"2\" numberOfPoints=\"2\"><algorithm kisaoID=\"KISAO:0000659\"/></uniformTimeCourse>"
                         "</listOfSimulations><listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"tc\"/>"
                         "</listOfTasks>" + bare_id_outputs("t", {"A"});
  r = run_sedml(dir, "tc.sedml", sedml_doc("", tc));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("runs a steadyState"));
  const std::string timed = "<listOfSimulations><steadyState id=\"ss\"><algorithm kisaoID=\"KISAO:0000449\"/></steadyState>"
                            "</listOfSimulations><listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"ss\"/>"
                            "</listOfTasks>" + bare_id_outputs("t", {"A"});
  r = run_sedml(dir, "timed.sedml", sedml_doc("", timed));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("no time to report"));
}

TEST_CASE("SED-ML: a logical model in repeated tasks (setValue, resetModel) and oneStep", "[logical][sedml]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), repressilator(0, 0, 0));
  // A's level set to 0, then 1 (by XPath to its initialLevel), each iteration from the model
  // (resetModel): 000 -> 111 -> 000, then 100 -> 101 -> 001 (two synchronous updates each).
  auto scan = [](bool reset, const std::string& target) {
    return "<listOfSimulations><uniformTimeCourse id=\"tc\" initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"2\" "
           "numberOfPoints=\"2\"><algorithm kisaoID=\"KISAO:0000449\"/></uniformTimeCourse></listOfSimulations>"
           "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"tc\"/>"
           "<repeatedTask id=\"rt\" range=\"levels\" resetModel=\"" + std::string(reset ? "true" : "false") + "\">"
           "<listOfRanges><vectorRange id=\"levels\"><value>0</value><value>1</value></vectorRange></listOfRanges>"
           "<listOfChanges><setValue modelReference=\"m\" target=\"" + target + "\" range=\"levels\">"
           "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>levels</ci></math></setValue></listOfChanges>"
           "<listOfSubTasks><subTask order=\"1\" task=\"t\"/></listOfSubTasks></repeatedTask></listOfTasks>" +
           bare_id_outputs("rt", {"A", "B", "C"});
  };
  SedRun r = run_sedml(dir, "reset.sedml", sedml_doc("", scan(true, kLevelA)));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"time,0,1,2,0,1,2", "A,0,1,0,1,1,0", "B,0,1,0,0,0,0", "C,0,1,0,0,1,1"});
  // Without reset the second iteration starts where the first ended (000), A then set to 1: the
  // same states here; with A set by bare id the same again.
  r = run_sedml(dir, "carry.sedml", sedml_doc("", scan(false, "A")));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"time,0,1,2,0,1,2", "A,0,1,0,1,1,0", "B,0,1,0,0,0,0", "C,0,1,0,0,1,1"});

  // oneStep in a repeated task without reset: one update per iteration, each from where the one
  // before ended, the time going on: 100 -> 101 -> 001 -> 011 (the synchronous cycle).
  const std::string steps3 =
      "<listOfSimulations><oneStep id=\"one\" step=\"1\"><algorithm kisaoID=\"KISAO:0000449\"/></oneStep></listOfSimulations>"
      "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"one\"/>"
      "<repeatedTask id=\"rt\" range=\"k\" resetModel=\"false\"><listOfRanges><uniformRange id=\"k\" start=\"0\" end=\"2\" "
      "numberOfPoints=\"2\" type=\"linear\"/></listOfRanges><listOfSubTasks><subTask order=\"1\" task=\"t\"/></listOfSubTasks>"
      "</repeatedTask></listOfTasks>" + bare_id_outputs("rt", {"A", "B", "C"});
  r = run_sedml(dir, "one.sedml", sedml_doc("<changeAttribute target=\"" + kLevelA + "\" newValue=\"1\"/>", steps3));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"time,0,1,1,2,2,3", "A,1,1,1,0,0,0", "B,0,0,0,0,0,1", "C,0,1,1,1,1,1"});

  // A level outside 0..maxLevel, or not a whole number, is refused naming the change.
  auto bad = [&](const std::string& value) {
    std::string doc = scan(true, "B");
    doc.replace(doc.find("<value>1</value>"), 16, "<value>" + value + "</value>");
    return run_sedml(dir, "bad" + std::to_string(value.size()) + ".sedml", sedml_doc("", doc));
  };
  r = bad("2");
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].element, Catch::Contains("setValue 'B'"));
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("outside 0..1"));
  r = bad("0.5");
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("not a whole number"));
}

TEST_CASE("axisim attractors: the CLI's attractor and stable state search", "[logical][cli][attractors]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), toggle(0, 0));
  auto r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("net.xml")}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"attractor,states,A,B", "1,2,0,0", "1,2,1,1"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("net.xml"), "--method", "asynchronous"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"attractor,states,A,B", "1,1,0,1", "2,1,1,0"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("net.xml"), "--all-states", "--select", "B"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"attractor,states,B", "1,2,0", "1,2,1", "2,1,1", "3,1,0"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("net.xml"), "--method", "stable"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"attractor,states,A,B", "1,1,0,1", "2,1,1,0"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("net.xml"), "--set", "A=1"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"attractor,states,A,B", "1,1,1,0"});
  r = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--method", "complete", "--seed", "3", "--steps", "5"}, dir.path());
  REQUIRE(r.exit_code == 0);
  const auto rows = tu::lines(r.out);
  REQUIRE(rows.size() == 7);
  // 00 and 11 lead to each other or into a stable state (01, 10), which stays.
  for (std::size_t k = 2; k < rows.size(); ++k) {
    const std::string before = rows[k - 1].substr(2), now = rows[k].substr(2);
    if (before == "0,1" || before == "1,0") CHECK(now == before);
    else CHECK(now != before);
  }
}

// ---- trap spaces, against a brute-force enumeration of every subspace ----------------------------

namespace {

using Rule = std::function<int(const std::vector<int>&)>;

// A trap space as a string: each species' level, or * where it is free.
std::string space_string(const std::vector<int>& s) {
  std::string out;
  for (int v : s) out += v == LogicalModel::kFree ? '*' : static_cast<char>('0' + v);
  return out;
}

std::set<std::string> trap_space_strings(const LogicalModel& m, axisim::TrapSpaceKind kind) {
  axisim::TrapSpaceOptions o;
  o.kind = kind;
  std::set<std::string> out;
  for (const auto& s : m.trap_spaces(o)) out.insert(space_string(s));
  return out;
}

// Every subspace of {0,1,*}^n, each checked by the definition (every fixed species' rule gives its
// level in every state of the subspace: all 2^free states tried), then the minimal and maximal
// ones by pairwise inclusion. `rules[i]` null: the species keeps its level (no transition).
struct BruteForce {
  std::set<std::string> all, minimal, maximal;
};

bool inside(const std::string& a, const std::string& b) {  // a inside b
  for (std::size_t i = 0; i < a.size(); ++i)
    if (b[i] != '*' && a[i] != b[i]) return false;
  return true;
}

BruteForce brute_force(const std::vector<Rule>& rules) {
  const std::size_t n = rules.size();
  BruteForce out;
  std::size_t total = 1;
  for (std::size_t i = 0; i < n; ++i) total *= 3;
  for (std::size_t code = 0; code < total; ++code) {
    std::string sub(n, '*');
    std::vector<std::size_t> free;
    for (std::size_t i = 0, c = code; i < n; ++i, c /= 3) {
      sub[i] = "01*"[c % 3];
      if (sub[i] == '*') free.push_back(i);
    }
    bool trap = true;
    for (std::size_t m = 0; trap && m < (std::size_t{1} << free.size()); ++m) {
      std::vector<int> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = sub[i] == '*' ? 0 : sub[i] - '0';
      for (std::size_t k = 0; k < free.size(); ++k) x[free[k]] = static_cast<int>(m >> k & 1U);
      for (std::size_t i = 0; trap && i < n; ++i)
        if (sub[i] != '*') trap = (rules[i] ? rules[i](x) : x[i]) == sub[i] - '0';
    }
    if (trap) out.all.insert(sub);
  }
  const std::string whole(n, '*');
  for (const std::string& a : out.all) {
    bool min = true, max = a != whole;
    for (const std::string& b : out.all) {
      if (b == a) continue;
      if (inside(b, a)) min = false;
      if (b != whole && inside(a, b)) max = false;
    }
    if (min) out.minimal.insert(a);
    if (max) out.maximal.insert(a);
  }
  return out;
}

void check_against_brute_force(const LogicalModel& m, const std::vector<Rule>& rules) {
  const BruteForce b = brute_force(rules);
  CHECK(trap_space_strings(m, axisim::TrapSpaceKind::All) == b.all);
  CHECK(trap_space_strings(m, axisim::TrapSpaceKind::Minimal) == b.minimal);
  CHECK(trap_space_strings(m, axisim::TrapSpaceKind::Maximal) == b.maximal);
}

std::string geq1(const std::string& x, const std::string& in) { return apply("geq", ci(x), ci(in)); }
std::string lt1(const std::string& x, const std::string& in) { return apply("lt", ci(x), ci(in)); }

// A six-species Boolean network: A = not B, B = A (a negative loop: a cycle), C = C or A,
// D = C and not D, E input, F = E and not A. As qual SBML, and as its update functions for the
// brute force (nullptr: E, an input, keeps its level).
std::string six_species_sbml() {
  return qual_sbml(
      {{"A"}, {"B"}, {"C"}, {"D"}, {"E"}, {"F"}},
      {negation("A", "B"),
       Tr{"tB", "B", {{"iBA", "A", 1}}, {{1, geq1("A", "iBA")}}, 0},
       Tr{"tC", "C", {{"iCC", "C", 1}, {"iCA", "A", 1}}, {{1, apply("or", geq1("C", "iCC"), geq1("A", "iCA"))}}, 0},
       Tr{"tD", "D", {{"iDC", "C", 1}, {"iDD", "D", 1}}, {{1, apply("and", geq1("C", "iDC"), lt1("D", "iDD"))}}, 0},
       Tr{"tF", "F", {{"iFE", "E", 1}, {"iFA", "A", 1}}, {{1, apply("and", geq1("E", "iFE"), lt1("A", "iFA"))}}, 0}});
}
std::vector<Rule> six_species_rules() {
  return {
      [](const auto& x) { return 1 - x[1]; },
      [](const auto& x) { return x[0]; },
      [](const auto& x) { return x[2] | x[0]; },
      [](const auto& x) { return x[2] & (1 - x[3]); },
      nullptr,
      [](const auto& x) { return x[4] & (1 - x[0]); },
  };
}

}  // namespace

TEST_CASE("trap spaces of the toggle switch, the repressilator and an oscillator without stable state", "[logical][trapspaces]") {
  using K = axisim::TrapSpaceKind;
  using S = std::set<std::string>;
  // Toggle switch: the two stable states are its minimal (and maximal) trap spaces.
  const LogicalModel toggle_m = LogicalModel::from_string(toggle(0, 0));
  CHECK(trap_space_strings(toggle_m, K::Minimal) == S{"01", "10"});
  CHECK(trap_space_strings(toggle_m, K::Maximal) == S{"01", "10"});
  CHECK(trap_space_strings(toggle_m, K::All) == S{"01", "10", "**"});
  // Repressilator: the whole space is its only trap space, larger than its six-state asynchronous
  // attractor (000 and 111 lie outside the attractor but in the trap space); none below it.
  const LogicalModel rep = LogicalModel::from_string(repressilator(0, 0, 0));
  CHECK(trap_space_strings(rep, K::Minimal) == S{"***"});
  CHECK(trap_space_strings(rep, K::Maximal) == S{});
  // A = A (no transition), B = not B: B can never be fixed, A can: two minimal trap spaces, 0* and
  // 1*, that hold no stable state (the model has none).
  const LogicalModel osc = LogicalModel::from_string(qual_sbml({{"A"}, {"B"}}, {negation("B", "B")}));
  CHECK(osc.stable_states().empty());
  CHECK(trap_space_strings(osc, K::Minimal) == S{"0*", "1*"});
  CHECK(trap_space_strings(osc, K::Maximal) == S{"0*", "1*"});
  CHECK(trap_space_strings(osc, K::All) == S{"0*", "1*", "**"});
  check_against_brute_force(toggle_m, {[](const auto& x) { return 1 - x[1]; }, [](const auto& x) { return 1 - x[0]; }});
  check_against_brute_force(rep, {[](const auto& x) { return 1 - x[2]; }, [](const auto& x) { return 1 - x[0]; },
                                  [](const auto& x) { return 1 - x[1]; }});
  check_against_brute_force(osc, {nullptr, [](const auto& x) { return 1 - x[1]; }});
}

TEST_CASE("trap spaces of a six-species network match a brute-force enumeration of all 729 subspaces", "[logical][trapspaces]") {
  // A = not B, B = A (a negative loop: a cycle), C = C or A, D = C and not D, E input, F = E and not A.
  const LogicalModel m = LogicalModel::from_string(six_species_sbml());
  const std::vector<Rule> rules = six_species_rules();
  check_against_brute_force(m, rules);
  // By hand: A, B oscillate (free); C = C or A is driven to 1 once A is 1, so C free is not a trap
  // (C fixed at 0 needs A fixed at 0, which A = not B forbids): C = 1, then D = not D free; E is
  // fixed at 0 or 1, and F = E and not A is free with A, unless E = 0 fixes it at 0.
  CHECK(trap_space_strings(m, axisim::TrapSpaceKind::Minimal) == std::set<std::string>{"**1*00", "**1*1*"});
}

TEST_CASE("trap spaces: a constant species stays fixed", "[logical][trapspaces]") {
  // K constant at 1: A = K is fixed at 1 in every trap space; K is never free.
  const std::string constant = qual_sbml({{"K", 1, 1, true}, {"A"}}, {Tr{"tA", "A", {{"iAK", "K", 1}}, {{1, geq1("K", "iAK")}}, 0}});
  const LogicalModel c = LogicalModel::from_string(constant);
  CHECK(trap_space_strings(c, axisim::TrapSpaceKind::All) == std::set<std::string>{"11", "1*"});
  CHECK(trap_space_strings(c, axisim::TrapSpaceKind::Minimal) == std::set<std::string>{"11"});
}

TEST_CASE("axisim attractors --trap-spaces: minimal, maximal and all as CSV with * for a free species", "[logical][cli][trapspaces]") {
  tu::TempDir dir;
  tu::write_file(dir.file("osc.xml"), qual_sbml({{"A"}, {"B"}}, {negation("B", "B")}));
  auto r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("osc.xml"), "--trap-spaces", "minimal"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"trap_space,A,B", "1,0,*", "2,1,*"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("osc.xml"), "--trap-spaces", "all", "--select", "B"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"trap_space,B", "1,*", "2,*", "3,*"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("osc.xml"), "--trap-spaces", "maximal", "--method", "stable"}, dir.path());
  CHECK(r.exit_code != 0);
}

TEST_CASE("SED-ML: trap spaces report NaN for a free species", "[logical][sedml][trapspaces]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), qual_sbml({{"A"}, {"B"}}, {negation("B", "B")}));
  const std::string sims =
      "<listOfSimulations><steadyState id=\"ss\"><algorithm kisaoID=\"KISAO:0000661\"/></steadyState></listOfSimulations>"
      "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"ss\"/></listOfTasks>" +
      bare_id_outputs("t", {"A", "B"}, false);
  const SedRun r = run_sedml(dir, "trap.sedml", sedml_doc("", sims));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,0,1", "B,nan,nan"});
}

// ---- GINsim's one-level moves of multi-valued species (worked out by hand) -----------------------

namespace {

// X (levels 0..2) from 0, its target always 2; Y (0..2) follows X: 2 when X >= 2, 1 when X >= 1,
// else 0.
std::string ramp() {
  return qual_sbml({{"X", 0, 2}, {"Y", 0, 2}},
                   {Tr{"tX", "X", {}, {}, 2},
                    Tr{"tY", "Y", {{"iY2", "X", 2}, {"iY1", "X", 1}}, {{2, geq1("X", "iY2")}, {1, geq1("X", "iY1")}}, 0}});
}

// Z (levels 0..2): its target is 2 when Z is 0, else 0.
std::string flip() {
  return qual_sbml({{"Z", 0, 2}}, {Tr{"tZ", "Z", {{"iZ", "Z", 1}}, {{2, lt1("Z", "iZ")}}, 0}});
}

}  // namespace

TEST_CASE("one level per update: a three-level species climbs 0, 1, 2 and a follower lags, as GINsim moves them", "[logical][onelevel]") {
  const LogicalModel m = LogicalModel::from_string(ramp());
  LogicalOptions o = steps(4);
  // SBML qual's assignmentLevel (the default): X jumps to 2, Y to X's level one update later.
  CHECK(states(m.simulate(o)) == std::vector<std::string>{"00", "20", "22", "22", "22"});
  // One level per update: X 0, 1, 2; Y's target is read from X before the update (0, 1, 2), and
  // it moves one level towards it: 0, 0, 1, 2.
  o.one_level = true;
  CHECK(states(m.simulate(o)) == std::vector<std::string>{"00", "10", "21", "22", "22"});
  o.update = LogicalUpdate::Sequential;  // Y reads X already updated in the same step
  CHECK(states(m.simulate(o)) == std::vector<std::string>{"00", "11", "22", "22", "22"});
  // Down as well: Z from 2 with target 0 moves 2, 1; from 1 its target is 0 still, then 0 -> 2 up
  // one: 1. The synchronous cycle is 0 -> 1 -> 0 with one-level moves, 0 -> 2 -> 0 without.
  LogicalModel z = LogicalModel::from_string(flip());
  z.set_initial_level("Z", 2);
  LogicalOptions zo = steps(4);
  zo.one_level = true;
  CHECK(states(z.simulate(zo)) == std::vector<std::string>{"2", "1", "0", "1", "0"});
  z.set_initial_level("Z", 0);
  AttractorOptions ao;
  CHECK(attractors_of(z, LogicalUpdate::Synchronous) == Attractors{{"0", "2"}});
  ao.one_level = true;
  CHECK(attractor_strings(z.attractors(ao)) == Attractors{{"0", "1"}});
  // Asynchronously every update moves one species by one level (20 updates, 5 seeds).
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    LogicalOptions a = steps(20, LogicalUpdate::Asynchronous, seed);
    a.one_level = true;
    const auto rows = states(m.simulate(a));
    for (std::size_t k = 1; k < rows.size(); ++k) {
      int moved = 0;
      for (std::size_t i = 0; i < 2; ++i) moved += std::abs(rows[k][i] - rows[k - 1][i]);
      CHECK(moved <= 1);
    }
    CHECK(rows.back() == "22");
  }
  // Stable states are the same either way.
  CHECK(m.stable_states() == std::vector<std::vector<int>>{{2, 2}});
}

TEST_CASE("one level per update from SED-ML (axisim annotation) and the CLI", "[logical][onelevel][sedml][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("net.xml"), ramp());
  auto course = [](const std::string& kisao, const std::string& annotation) {
    return "<listOfSimulations><uniformTimeCourse id=\"tc\" initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"3\" "
           "numberOfPoints=\"3\"><algorithm kisaoID=\"" + kisao + "\"><annotation>" + annotation +
           "</annotation></algorithm></uniformTimeCourse></listOfSimulations>"
           "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"tc\"/></listOfTasks>" +
           bare_id_outputs("t", {"X", "Y"});
  };
  auto move = [](const std::string& v) {
    return "<axisim:logical xmlns:axisim=\"https://axisim.org/ns/logical/1\" levelMove=\"" + v + "\"/>";
  };
  SedRun r = run_sedml(dir, "one.sedml", sedml_doc("", course("KISAO:0000449", move("oneLevel"))));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"time,0,1,2,3", "X,0,1,2,2", "Y,0,0,1,2"});
  r = run_sedml(dir, "target.sedml", sedml_doc("", course("KISAO:0000449", move("target"))));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"time,0,1,2,3", "X,0,2,2,2", "Y,0,0,2,2"});
  r = run_sedml(dir, "bad.sedml", sedml_doc("", course("KISAO:0000449", move("half"))));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("levelMove 'half'"));
  r = run_sedml(dir, "ode.sedml", sedml_doc("", course("KISAO:0000019", move("oneLevel"))));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("one-level moves"));

  auto c = tu::run({AXISIM_CLI_PATH, "simulate", dir.file("net.xml"), "--steps", "3", "--one-level-per-update"}, dir.path());
  REQUIRE(c.exit_code == 0);
  CHECK(tu::lines(c.out) == std::vector<std::string>{"time,X,Y", "0,0,0", "1,1,0", "2,2,1", "3,2,2"});
  tu::write_file(dir.file("flip.xml"), flip());
  c = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("flip.xml"), "--one-level-per-update"}, dir.path());
  REQUIRE(c.exit_code == 0);
  CHECK(tu::lines(c.out) == std::vector<std::string>{"attractor,states,Z", "1,2,0", "1,2,1"});
}

// ---- trap spaces of multi-valued models: intervals of levels, worked out by hand and against a
// brute-force enumeration of every box of intervals -----------------------------------------------

namespace {

// A trap space as text, as axisim attractors --trap-spaces writes it: each species' level, * for
// all its levels, LO..HI for part of them; species joined by ','.
std::string range_text(const axisim::TrapSpace& s, const axisim::TrapSpace& whole) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) out += ',';
    if (s[i].lo == s[i].hi) out += std::to_string(s[i].lo);
    else if (s[i] == whole[i]) out += '*';
    else out += std::to_string(s[i].lo) + ".." + std::to_string(s[i].hi);
  }
  return out;
}

std::set<std::string> range_strings(const LogicalModel& m, axisim::TrapSpaceKind kind, bool one_level) {
  axisim::TrapSpaceOptions o;
  o.kind = kind;
  o.one_level = one_level;
  std::set<std::string> out;
  for (const auto& s : m.trap_space_ranges(o)) out.insert(range_text(s, m.level_ranges()));
  return out;
}

struct BruteForceRanges {
  std::set<std::string> all, minimal, maximal;
};

// Every box of intervals (each species lo..hi within 0..max[i]), checked by the definition: from
// every state of the box, every species' update (its rule's target, or one level towards it with
// one_level; `rules[i]` null: no transition, it keeps its level) stays in the box. Then minimal
// and maximal by pairwise inclusion.
BruteForceRanges brute_force_ranges(const std::vector<int>& max, const std::vector<Rule>& rules, bool one_level) {
  const std::size_t n = max.size();
  std::vector<std::vector<axisim::LevelRange>> choices(n);
  axisim::TrapSpace whole(n);
  for (std::size_t i = 0; i < n; ++i) {
    whole[i] = {0, max[i]};
    for (int lo = 0; lo <= max[i]; ++lo)
      for (int hi = lo; hi <= max[i]; ++hi) choices[i].push_back({lo, hi});
  }
  std::vector<axisim::TrapSpace> traps;
  std::vector<std::size_t> pick(n, 0);
  for (bool more = true; more;) {
    axisim::TrapSpace box(n);
    for (std::size_t i = 0; i < n; ++i) box[i] = choices[i][pick[i]];
    std::vector<int> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = box[i].lo;
    bool trap = true;
    for (bool states = true; states && trap;) {
      for (std::size_t i = 0; trap && i < n; ++i) {
        if (!rules[i]) continue;
        const int target = rules[i](x);
        const int next = !one_level || target == x[i] ? target : target > x[i] ? x[i] + 1 : x[i] - 1;
        trap = next >= box[i].lo && next <= box[i].hi;
      }
      std::size_t i = 0;
      for (; i < n && x[i] == box[i].hi; ++i) x[i] = box[i].lo;
      if (i == n) states = false;
      else ++x[i];
    }
    if (trap) traps.push_back(box);
    std::size_t i = 0;
    for (; i < n && pick[i] + 1 == choices[i].size(); ++i) pick[i] = 0;
    if (i == n) more = false;
    else ++pick[i];
  }
  auto within = [](const axisim::TrapSpace& a, const axisim::TrapSpace& b) {  // a inside b
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].lo < b[i].lo || a[i].hi > b[i].hi) return false;
    return true;
  };
  BruteForceRanges out;
  for (const auto& a : traps) {
    out.all.insert(range_text(a, whole));
    bool min = true, max_ = a != whole;
    for (const auto& b : traps) {
      if (b == a) continue;
      if (within(b, a)) min = false;
      if (b != whole && within(a, b)) max_ = false;
    }
    if (min) out.minimal.insert(range_text(a, whole));
    if (max_) out.maximal.insert(range_text(a, whole));
  }
  return out;
}

void check_ranges_against_brute_force(const LogicalModel& m, const std::vector<int>& max, const std::vector<Rule>& rules) {
  for (const bool one_level : {false, true}) {
    INFO("one level per update: " << one_level);
    const BruteForceRanges b = brute_force_ranges(max, rules, one_level);
    CHECK(range_strings(m, axisim::TrapSpaceKind::All, one_level) == b.all);
    CHECK(range_strings(m, axisim::TrapSpaceKind::Minimal, one_level) == b.minimal);
    CHECK(range_strings(m, axisim::TrapSpaceKind::Maximal, one_level) == b.maximal);
  }
}

// X (0..2) activates itself: its target is 2 once X >= 1, else 0.
std::string self_activation() {
  return qual_sbml({{"X", 0, 2}}, {Tr{"tX", "X", {{"iX", "X", 1}}, {{2, geq1("X", "iX")}}, 0}});
}

// X (0..2), Y (0..1): X's target is 2 when Y is 1, else 1; Y's is 1 while X < 2, else 0. No
// stable state: the runs go round 11 -> 21 -> 20 -> 10 -> 11.
std::string level_oscillator() {
  return qual_sbml({{"X", 0, 2}, {"Y", 0, 1}},
                   {Tr{"tX", "X", {{"iXY", "Y", 1}}, {{2, geq1("Y", "iXY")}}, 1},
                    Tr{"tY", "Y", {{"iYX", "X", 2}}, {{1, lt1("X", "iYX")}}, 0}});
}

}  // namespace

TEST_CASE("multi-valued trap spaces: a three-level self-activation, worked out by hand", "[logical][trapspaces][multivalued]") {
  using K = axisim::TrapSpaceKind;
  using S = std::set<std::string>;
  const LogicalModel m = LogicalModel::from_string(self_activation());
  CHECK(m.level_ranges() == axisim::TrapSpace{{0, 2}});
  // Targets: X = 0 -> 0, X = 1 -> 2, X = 2 -> 2. Straight moves: an interval is a trap space when
  // every target from it lies in it: {0} (0), {2} (2), 1..2 (2, 2) and 0..2; not {1} (2), not
  // 0..1 (0, 2). One level per update gives the same: from 1 the move is up to 2, out of {1} and
  // 0..1, into 1..2.
  for (const bool one : {false, true}) {
    CHECK(range_strings(m, K::All, one) == S{"0", "2", "1..2", "*"});
    CHECK(range_strings(m, K::Minimal, one) == S{"0", "2"});
    CHECK(range_strings(m, K::Maximal, one) == S{"0", "1..2"});
  }
  check_ranges_against_brute_force(m, {2}, {[](const auto& x) { return x[0] >= 1 ? 2 : 0; }});
  // The stable states are the minimal trap spaces here.
  CHECK(m.stable_states() == std::vector<std::vector<int>>{{0}, {2}});
  // Read as levels or free: {0}, {2}, and 1..2, which is neither, refused naming X.
  axisim::TrapSpaceOptions o;
  CHECK(m.trap_spaces(o) == std::vector<std::vector<int>>{{0}, {2}});
  o.kind = K::Maximal;
  try {
    (void)m.trap_spaces(o);
    FAIL("a trap space on part of X's levels was read as fixed or free");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK_THAT(std::string(e.what()), Catch::Contains("'X'") && Catch::Contains("1..2"));
  }
}

TEST_CASE("multi-valued trap spaces: straight and one-level moves differ where a species jumps over a level", "[logical][trapspaces][multivalued]") {
  using K = axisim::TrapSpaceKind;
  using S = std::set<std::string>;
  // Z (0..2): target 2 at 0, else 0. Straight, Z jumps 0 -> 2 -> 0: no interval but 0..2 holds
  // every target (from 0 the target 2, from 1 and 2 the target 0), so the whole range is the one
  // trap space. One level per update, Z goes 0 -> 1 -> 0: 0..1 is a trap space (from 0 up to 1,
  // from 1 down to 0), and the minimal one; 1..2 is not (from 1 down to 0).
  const LogicalModel z = LogicalModel::from_string(flip());
  CHECK(range_strings(z, K::All, false) == S{"*"});
  CHECK(range_strings(z, K::Minimal, false) == S{"*"});
  CHECK(range_strings(z, K::Maximal, false) == S{});
  CHECK(range_strings(z, K::All, true) == S{"0..1", "*"});
  CHECK(range_strings(z, K::Minimal, true) == S{"0..1"});
  CHECK(range_strings(z, K::Maximal, true) == S{"0..1"});
  check_ranges_against_brute_force(z, {2}, {[](const auto& x) { return x[0] == 0 ? 2 : 0; }});
  // Each minimal trap space is the attractor's range under its moves (0, 2 straight; 0, 1 one level).
  AttractorOptions ao;
  ao.update = LogicalUpdate::Asynchronous;
  ao.all_states = true;
  CHECK(attractor_strings(z.attractors(ao)) == Attractors{{"0", "2"}});
  ao.one_level = true;
  CHECK(attractor_strings(z.attractors(ao)) == Attractors{{"0", "1"}});
}

TEST_CASE("multi-valued trap spaces: an oscillation's minimal trap space is the box of its cycle", "[logical][trapspaces][multivalued]") {
  using K = axisim::TrapSpaceKind;
  using S = std::set<std::string>;
  const LogicalModel m = LogicalModel::from_string(level_oscillator());
  // By hand (straight moves): X's targets are 1 and 2, so X on 0..1 needs Y fixed at 0, whose
  // target from X = 0 or 1 is 1: no; X fixed needs one target, so Y fixed, and Y = 0 fixes X at 1,
  // where Y's target is 1: no, Y = 1 fixes X at 2, where Y's target is 0: no. X on 1..2 holds its
  // targets for any Y, and Y must then be free (targets 1 at X = 1, 0 at X = 2). So the trap
  // spaces are 1..2 x * and the whole space; one level per update the same (X at 1 never goes
  // below 1, at 0 goes up).
  for (const bool one : {false, true}) {
    CHECK(range_strings(m, K::All, one) == S{"1..2,*", "*,*"});
    CHECK(range_strings(m, K::Minimal, one) == S{"1..2,*"});
    CHECK(range_strings(m, K::Maximal, one) == S{"1..2,*"});
  }
  check_ranges_against_brute_force(m, {2, 1},
                                   {[](const auto& x) { return x[1] >= 1 ? 2 : 1; }, [](const auto& x) { return x[0] < 2 ? 1 : 0; }});
  // The asynchronous attractor (from every state) is the cycle 10 -> 11 -> 21 -> 20: the four
  // states of the box X 1..2, Y 0..1. No stable state.
  CHECK(m.stable_states().empty());
  AttractorOptions ao;
  ao.update = LogicalUpdate::Asynchronous;
  ao.all_states = true;
  CHECK(attractor_strings(m.attractors(ao)) == Attractors{{"10", "11", "20", "21"}});
}

TEST_CASE("multi-valued trap spaces of a three-species network match a brute-force enumeration of every box", "[logical][trapspaces][multivalued]") {
  // A (0..2), B (0..3), C (0..1): A's target is B's level capped at 2 (1 from B = 1, 2 from B >= 2);
  // B's is 3 when A >= 2 and C = 1, 1 when A >= 1, else 0; C's is 1 when B < 2 (a negative loop
  // through B). 6 x 10 x 3 = 180 boxes, each tried on all its states under both moves.
  const std::string net = qual_sbml(
      {{"A", 0, 2}, {"B", 0, 3}, {"C", 0, 1}},
      {Tr{"tA", "A", {{"iA2", "B", 2}, {"iA1", "B", 1}}, {{2, geq1("B", "iA2")}, {1, geq1("B", "iA1")}}, 0},
       Tr{"tB", "B", {{"iB2", "A", 2}, {"iBC", "C", 1}, {"iB1", "A", 1}},
          {{3, apply("and", geq1("A", "iB2"), geq1("C", "iBC"))}, {1, geq1("A", "iB1")}}, 0},
       Tr{"tC", "C", {{"iCB", "B", 2}}, {{1, lt1("B", "iCB")}}, 0}});
  const LogicalModel m = LogicalModel::from_string(net);
  check_ranges_against_brute_force(m, {2, 3, 1},
                                   {[](const auto& x) { return std::min(x[1], 2); },
                                    [](const auto& x) { return x[0] >= 2 && x[2] == 1 ? 3 : x[0] >= 1 ? 1 : 0; },
                                    [](const auto& x) { return x[1] < 2 ? 1 : 0; }});
}

TEST_CASE("trap spaces of Boolean models are the same through the ranges and under either move", "[logical][trapspaces][multivalued]") {
  // The six-species network above: every range is 0, 1 or 0..1 (*), and the brute force over
  // boxes of intervals is the one over {0,1,*}^6.
  const LogicalModel m = LogicalModel::from_string(six_species_sbml());
  const std::vector<Rule> rules = six_species_rules();
  const BruteForce boolean = brute_force(rules);
  for (const bool one : {false, true}) {
    std::set<std::string> all, minimal;
    for (const std::string& s : range_strings(m, axisim::TrapSpaceKind::All, one)) {
      std::string t = s;
      t.erase(std::remove(t.begin(), t.end(), ','), t.end());
      all.insert(t);
    }
    for (const std::string& s : range_strings(m, axisim::TrapSpaceKind::Minimal, one)) {
      std::string t = s;
      t.erase(std::remove(t.begin(), t.end(), ','), t.end());
      minimal.insert(t);
    }
    CHECK(all == boolean.all);
    CHECK(minimal == std::set<std::string>{"**1*00", "**1*1*"});
  }
  check_ranges_against_brute_force(m, {1, 1, 1, 1, 1, 1}, rules);
}

TEST_CASE("multi-valued trap spaces: a constant species at level 2 stays there, named bounds refused", "[logical][trapspaces][multivalued]") {
  // K constant at 2 (0..2); A (0..2) takes K's level: A is fixed at 2 in every trap space.
  const std::string net = qual_sbml({{"K", 2, 2, true}, {"A", 0, 2}},
                                    {Tr{"tA", "A", {{"iA2", "K", 2}, {"iA1", "K", 1}}, {{2, geq1("K", "iA2")}, {1, geq1("K", "iA1")}}, 0}});
  const LogicalModel m = LogicalModel::from_string(net);
  CHECK(m.level_ranges() == axisim::TrapSpace{{2, 2}, {0, 2}});
  CHECK(range_strings(m, axisim::TrapSpaceKind::All, false) == std::set<std::string>{"2,2", "2,1..2", "2,*"});
  CHECK(range_strings(m, axisim::TrapSpaceKind::Minimal, false) == std::set<std::string>{"2,2"});
  // Past the bound of partial subspaces: refused, saying so.
  axisim::TrapSpaceOptions o;
  o.max_nodes = 3;
  try {
    (void)m.trap_space_ranges(o);
    FAIL("the bound of partial subspaces was not kept");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK_THAT(std::string(e.what()), Catch::Contains("more than 3 partial subspaces"));
  }
}

TEST_CASE("trap spaces: minimal and maximal ones are kept as they are found, not bounded by how many there are in all", "[logical][trapspaces][multivalued]") {
  // Six inputs I1..I6 (0..2, no transition) and O (0..2) taking I1's level. By hand: each
  // input may hold any of its 6 intervals; O must hold every level I1's interval a..b holds, so
  // (a + 1)(3 - b) intervals: 3, 4, 3 with I1 fixed at 0, 1, 2; 2, 2 on 0..1, 1..2; 1 on 0..2;
  // 15 in all. So 6^5 x 15 = 116640 trap spaces; minimal: every input fixed and O at I1's level,
  // 3^6 = 729.
  std::vector<Sp> species;
  for (int i = 1; i <= 6; ++i) species.push_back({"I" + std::to_string(i), 0, 2});
  species.push_back({"O", 0, 2});
  const LogicalModel m = LogicalModel::from_string(qual_sbml(
      species, {Tr{"tO", "O", {{"iO2", "I1", 2}, {"iO1", "I1", 1}}, {{2, geq1("I1", "iO2")}, {1, geq1("I1", "iO1")}}, 0}}));
  axisim::TrapSpaceOptions o;
  o.max_spaces = 50000;  // below the 116640 in all, above the 729 minimal ones
  o.kind = axisim::TrapSpaceKind::All;
  try {
    (void)m.trap_space_ranges(o);
    FAIL("116640 trap spaces were kept under a bound of 50000");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK_THAT(std::string(e.what()), Catch::Contains("more than 50000 all trap spaces"));
  }
  o.kind = axisim::TrapSpaceKind::Minimal;
  const auto minimal = m.trap_space_ranges(o);
  CHECK(minimal.size() == 729);
  for (const auto& s : minimal) {
    bool fixed = true;
    for (const auto& r : s) fixed = fixed && r.lo == r.hi;
    CHECK(fixed);
    CHECK(s[6].lo == s[0].lo);  // O at I1's level
  }
  // Maximal: the whole space less one level of one input at an end (I_k on 0..1 or on 1..2, the
  // rest whole; O whole still holds I1's level): 6 x 2 = 12. O cannot be narrowed with I1 whole.
  o.kind = axisim::TrapSpaceKind::Maximal;
  const auto maximal = m.trap_space_ranges(o);
  CHECK(maximal.size() == 12);
  for (const auto& s : maximal) {
    int narrowed = 0;
    for (std::size_t i = 0; i < 6; ++i) narrowed += s[i] != axisim::LevelRange{0, 2};
    CHECK(narrowed == 1);
    CHECK(s[6] == axisim::LevelRange{0, 2});
  }
}

TEST_CASE("axisim attractors --trap-spaces on a multi-valued model: LO..HI for part of a species' levels", "[logical][cli][trapspaces][multivalued]") {
  tu::TempDir dir;
  tu::write_file(dir.file("osc.xml"), level_oscillator());
  auto r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("osc.xml"), "--trap-spaces", "all"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"trap_space,X,Y", "1,1..2,*", "2,*,*"});
  tu::write_file(dir.file("flip.xml"), flip());
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("flip.xml"), "--trap-spaces", "minimal"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"trap_space,Z", "1,*"});
  r = tu::run({AXISIM_CLI_PATH, "attractors", dir.file("flip.xml"), "--trap-spaces", "minimal", "--one-level-per-update"}, dir.path());
  REQUIRE(r.exit_code == 0);
  CHECK(tu::lines(r.out) == std::vector<std::string>{"trap_space,Z", "1,0..1"});
}

namespace {

// A steadyState by `kisao` whose algorithm carries the axisim logical annotation's attributes
// `attributes` (none: no annotation), reporting the species `ids` by bare id.
std::string trap_space_sims(const std::string& kisao, const std::string& attributes, const std::vector<std::string>& ids) {
  const std::string annotation =
      attributes.empty() ? std::string()
                         : "<annotation><axisim:logical xmlns:axisim=\"https://axisim.org/ns/logical/1\" " + attributes +
                               "/></annotation>";
  return "<listOfSimulations><steadyState id=\"ss\"><algorithm kisaoID=\"" + kisao + "\">" + annotation +
         "</algorithm></steadyState></listOfSimulations>"
         "<listOfTasks><task id=\"t\" modelReference=\"m\" simulationReference=\"ss\"/></listOfTasks>" +
         bare_id_outputs("t", ids, false);
}

}  // namespace

TEST_CASE("SED-ML: maximal and all trap spaces by the axisim annotation, multi-valued ones as levels or bounds", "[logical][sedml][trapspaces][multivalued]") {
  tu::TempDir dir;
  // X (0..2) activating itself: trap spaces, in the search's order, 0, 2, 1..2 and 0..2; minimal
  // 0 and 2, maximal 0 and 1..2 (worked out by hand above).
  tu::write_file(dir.file("net.xml"), self_activation());
  SedRun r = run_sedml(dir, "min.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "", {"X"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"X,0,2"});
  r = run_sedml(dir, "max.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaces=\"maximal\"", {"X"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"X,0,nan"});  // 1..2: no single level
  bool noted = false;
  for (const std::string& n : r.report.notes) noted = noted || n.find("maximal trap spaces") != std::string::npos;
  CHECK(noted);
  r = run_sedml(dir, "maxb.sedml",
                sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaces=\"maximal\" trapSpaceValues=\"bounds\"", {"X"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"X,0,0,1,2"});  // lowest, highest of each trap space
  r = run_sedml(dir, "all.sedml",
                sedml_doc("", trap_space_sims("KISAO:0000662", "trapSpaces=\"all\" trapSpaceValues=\"bounds\"", {"X"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"X,0,0,2,2,1,2,0,2"});

  // Z: one level per update, its minimal trap space is 0..1; straight, 0..2.
  tu::write_file(dir.file("net.xml"), flip());
  r = run_sedml(dir, "one.sedml",
                sedml_doc("", trap_space_sims("KISAO:0000661", "levelMove=\"oneLevel\" trapSpaceValues=\"bounds\"", {"Z"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"Z,0,1"});
  r = run_sedml(dir, "jump.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaceValues=\"bounds\"", {"Z"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"Z,0,2"});

  // Boolean: A = A, B = not B; all trap spaces 0*, 1*, ** (free: NaN).
  tu::write_file(dir.file("net.xml"), qual_sbml({{"A"}, {"B"}}, {negation("B", "B")}));
  r = run_sedml(dir, "ball.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaces=\"all\"", {"A", "B"})));
  REQUIRE(r.report.problems.empty());
  CHECK(r.lines == std::vector<std::string>{"A,0,1,nan", "B,nan,nan,nan"});

  // Refused, naming the simulation: an unknown kind or layout, and either on an algorithm that
  // finds no trap spaces.
  r = run_sedml(dir, "bad.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaces=\"largest\"", {"A"})));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("trapSpaces 'largest'"));
  CHECK_THAT(r.report.problems[0].element, Catch::Contains("ss"));
  r = run_sedml(dir, "badv.sedml", sedml_doc("", trap_space_sims("KISAO:0000661", "trapSpaceValues=\"range\"", {"A"})));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("trapSpaceValues 'range'"));
  r = run_sedml(dir, "sync.sedml", sedml_doc("", trap_space_sims("KISAO:0000449", "trapSpaces=\"all\"", {"A"})));
  REQUIRE_FALSE(r.report.problems.empty());
  CHECK_THAT(r.report.problems[0].message, Catch::Contains("trap space"));
  CHECK_THAT(r.report.problems[0].element, Catch::Contains("ss"));
}
