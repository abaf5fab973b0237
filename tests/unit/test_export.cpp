// test_export.cpp — axisim::export_sbml and `axisim export`: values set, the state at a time as
// the new initial state, level conversion, flattening, refusal of invalid output, the plugins
// annotation.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/export.hpp"
#include "axisim/model.hpp"
#include "axisim/validation.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

using namespace fx;
using axisim::ErrorKind;
using axisim::Quantity;

namespace {

axisim::SimulationOptions grid(double end, int steps, double rtol = 1e-12, double atol = 1e-16) {
  axisim::SimulationOptions o;
  o.end = end;
  o.steps = steps;
  o.rtol = rtol;
  o.atol = atol;
  return o;
}

// |a - b| <= rel * max(|a|, |b|) + abs, element by element, all columns but time.
void require_close(const axisim::Result& a, const axisim::Result& b, double rel, double abs,
                   std::size_t a_first_row = 0) {
  REQUIRE(a.columns() == b.columns());
  REQUIRE(a.rows() >= a_first_row + b.rows());
  for (std::size_t r = 0; r < b.rows(); ++r)
    for (std::size_t c = 1; c < a.cols(); ++c) {
      const double x = a.at(a_first_row + r, c), y = b.at(r, c);
      INFO(a.columns()[c] << " at row " << r << ": " << x << " vs " << y);
      REQUIRE(std::abs(x - y) <= rel * std::max(std::abs(x), std::abs(y)) + abs);
    }
}

std::size_t error_count(const std::string& path) {
  std::size_t n = 0;
  for (const auto& d : axisim::validate_file(path))
    if (d.severity >= axisim::Diagnostic::Severity::Error) ++n;
  return n;
}

// S1 -> S2 (k*S1, local parameter kr in R2: S2 -> S3); species in concentration and amount;
// k2 set by an initial assignment; a rate rule on parameter p; an assignment rule; an event on
// a species threshold (no `time` in the math).
std::string rich_model() {
  Reaction r1;
  r1.id = "R1";
  r1.reactants = {{"S1", 1}};
  r1.products = {{"S2", 1}};
  r1.kinetic_math = apply("times", {ci("C"), ci("k"), ci("S1")});
  Reaction r2;
  r2.id = "R2";
  r2.reactants = {{"S2", 1}};
  r2.products = {{"S3", 2}};
  r2.kinetic_math = apply("times", {ci("C"), ci("kr"), ci("S2")});
  r2.local_parameters = {{"kr", 0.3}};
  Species s1{"S1", "C", 4.0, false};  // initialConcentration
  Species s2{"S2", "C", 0.0, true};   // initialAmount
  Species s3{"S3", "C", 0.0, true, true};
  return ModelBuilder("rich")
      .compartment("C", 2.0)
      .species(s1)
      .species(s2)
      .species(s3)
      .parameter("k", 0.5, false)
      .parameter_no_value("k2", true)
      .parameter("p", 1.0, false)
      .parameter_no_value("total", false)
      .initial_assignment("k2", apply("times", {cn(2), ci("k")}))
      .rate_rule("p", apply("times", {cn(-0.1), ci("p")}))
      .assignment_rule("total", apply("plus", {ci("S1"), ci("S2"), ci("S3")}))
      .reaction(r1)
      .reaction(r2)
      .raw_event("<event id=\"E1\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                 "persistent=\"true\">" +
                 math(apply("lt", {ci("S1"), cn(1)})) +
                 "</trigger><listOfEventAssignments><eventAssignment variable=\"k\">" + math(ci("k2")) +
                 "</eventAssignment></listOfEventAssignments></event>")
      .str();
}

std::vector<axisim::OutputSpec> rich_outputs() {
  return {{"S1"}, {"S2"}, {"S3", Quantity::Amount}, {"k"}, {"p"}, {"total"}, {"C"}};
}

}  // namespace

TEST_CASE("export without options writes the same model, valid, with notes and annotations kept", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  std::string doc = rich_model();
  // A note and an annotation in another tool's namespace must survive.
  doc.replace(doc.find("<model id=\"rich\">"), 17,
              "<model id=\"rich\" metaid=\"m1\" sboTerm=\"SBO:0000004\"><notes><body "
              "xmlns=\"http://www.w3.org/1999/xhtml\"><p>keep me</p></body></notes><annotation><other:x "
              "xmlns:other=\"https://example.org/other\" a=\"1\"/></annotation>");
  tu::write_file(in, doc);
  axisim::export_sbml(in, out, {});
  const std::string text = tu::read_file(out);
  CHECK(tu::contains(text, "keep me"));
  CHECK(tu::contains(text, "https://example.org/other"));
  CHECK(tu::contains(text, "SBO:0000004"));
  CHECK_FALSE(tu::contains(text, "axisim:plugins"));
  CHECK(error_count(out) == 0);
  const auto a = axisim::Model::from_file(in).simulate(grid(10, 20), rich_outputs());
  const auto b = axisim::Model::from_file(out).simulate(grid(10, 20), rich_outputs());
  require_close(a, b, 0, 0);
  // Nothing but the result is left in the directory.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);
}

TEST_CASE("export --set changes values as simulate --set does", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  tu::write_file(in, rich_model());
  axisim::ExportOptions opt;
  // k2 has an initial assignment (removed by --set); S2 is stated as an amount but set, like
  // simulate --set, as a concentration; R2.kr is a local parameter; C a compartment size.
  opt.set = {{"k", 0.8}, {"k2", 0.05}, {"S2", 1.5}, {"R2.kr", 0.7}, {"C", 3.0}, {"p", 2.0}};
  axisim::export_sbml(in, out, opt);
  CHECK(error_count(out) == 0);

  axisim::Model reference = axisim::Model::from_file(in);
  for (const auto& [id, v] : opt.set) reference.set_value(id, v);
  const auto a = reference.simulate(grid(10, 20), rich_outputs());
  const auto b = axisim::Model::from_file(out).simulate(grid(10, 20), rich_outputs());
  require_close(a, b, 1e-12, 1e-15);
  const std::string text = tu::read_file(out);
  CHECK_FALSE(tu::contains(text, "<initialAssignment symbol=\"k2\""));

  SECTION("ids that cannot be set are refused, and nothing is written") {
    const std::string out2 = dir.file("out2.xml");
    axisim::ExportOptions bad;
    bad.set = {{"nosuch", 1}};
    REQUIRE_THROWS_MATCHES(axisim::export_sbml(in, out2, bad), axisim::Error,
                           Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                             return e.kind() == ErrorKind::UnknownId && tu::contains(e.what(), "nosuch");
                           }));
    bad.set = {{"total", 1}};  // assignment rule
    REQUIRE_THROWS_MATCHES(axisim::export_sbml(in, out2, bad), axisim::Error,
                           Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                             return e.kind() == ErrorKind::Usage && tu::contains(e.what(), "assignment rule");
                           }));
    CHECK_FALSE(std::filesystem::exists(out2));
  }
}

// The continuation: 0 -> T1 -> T2 in one run against 0 -> T1, export, then T1 -> T2 from the
// exported file. The two runs solve the same initial value problem but the second restarts
// CVODE at T1 (order 1, a fresh step size) where the first carries on with its history, so their
// steps differ and so do their errors, each within the tolerances (rtol 1e-12 here); the state at
// T1 is also written with libSBML's 15 significant digits. 1e-9 relative is a bound those
// differences stay well inside; 1e-12 would be asking the integrator for more than its rtol.
TEST_CASE("export --at-time continues the run", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  tu::write_file(in, rich_model());
  const double t1 = 4, t2 = 10;
  const int steps_per_unit = 4;
  axisim::ExportOptions opt;
  opt.at_time = t1;
  opt.set = {{"S1", 5.0}};
  opt.simulation = grid(0, 0);
  axisim::export_sbml(in, out, opt);
  CHECK(error_count(out) == 0);

  axisim::Model original = axisim::Model::from_file(in);
  original.set_value("S1", 5.0);
  const auto whole = original.simulate(grid(t2, static_cast<int>(t2 * steps_per_unit)), rich_outputs());
  const auto rest =
      axisim::Model::from_file(out).simulate(grid(t2 - t1, static_cast<int>((t2 - t1) * steps_per_unit)), rich_outputs());
  // The event (S1 < 1) fires between T1 and T2 in both runs.
  REQUIRE(whole.column("k").front() == 0.5);
  REQUIRE(whole.column("k").back() != 0.5);
  require_close(whole, rest, 1e-9, 1e-14, static_cast<std::size_t>(t1 * steps_per_unit));

  const std::string text = tu::read_file(out);
  CHECK(tu::contains(text, "initialConcentration"));  // S1 keeps the model's choice
  CHECK_FALSE(tu::contains(text, "<initialAssignment"));
  CHECK(tu::contains(text, "<assignmentRule variable=\"total\""));
  CHECK(tu::contains(text, "<rateRule variable=\"p\""));
}

TEST_CASE("export --at-time shifts time in the math, and refuses delay()", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.kinetic_math = apply("times", {ci("k"), ci("S1")});
  // A dose at t > 5 and a forcing that reads time: exported at t = 2, both must act as before.
  const auto timed = [&](const std::string& extra_rule_math) {
    return ModelBuilder("timed")
        .compartment("C", 1.0)
        .species("S1", 1.0)
        .parameter("k", 0.5, false)
        .parameter_no_value("forcing", false)
        .parameter("acc", 0.0, false)
        .assignment_rule("forcing", extra_rule_math)
        .rate_rule("acc", ci("forcing"))
        .reaction(r)
        .raw_event("<event id=\"dose\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                   "persistent=\"true\">" +
                   math(apply("gt", {csym_time(), cn(5)})) +
                   "</trigger><listOfEventAssignments><eventAssignment variable=\"S1\">" +
                   math(apply("plus", {ci("S1"), cn(3)})) + "</eventAssignment></listOfEventAssignments></event>")
        .str();
  };
  // forcing = 1 + sin(time) / 2 stays positive, so acc grows and its relative error means something.
  tu::write_file(in, timed(apply("plus", {cn(1), apply("divide", {apply("sin", {csym_time()}), cn(2)})})));
  axisim::ExportOptions opt;
  opt.at_time = 2;
  opt.simulation = grid(0, 0);
  axisim::export_sbml(in, out, opt);
  CHECK(error_count(out) == 0);
  const std::vector<axisim::OutputSpec> outs{{"S1"}, {"k"}, {"forcing"}, {"acc"}};
  const auto whole = axisim::Model::from_file(in).simulate(grid(10, 40), outs);
  const auto rest = axisim::Model::from_file(out).simulate(grid(8, 32), outs);
  require_close(whole, rest, 1e-9, 1e-14, 8);
  REQUIRE(whole.column("S1").back() > whole.column("S1")[20]);  // the dose came after t = 5

  // delay() needs the history before T, which an initial state cannot hold.
  tu::write_file(in, timed(apply_delay(ci("S1"), cn(1))));
  std::filesystem::remove(out);
  REQUIRE_THROWS_MATCHES(axisim::export_sbml(in, out, opt), axisim::Error,
                         Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                           return e.kind() == ErrorKind::Unsupported && tu::contains(e.what(), "'forcing'") &&
                                  tu::contains(e.what(), "delay");
                         }));
  CHECK_FALSE(std::filesystem::exists(out));
  // Without --at-time the same model exports.
  axisim::export_sbml(in, out, {});
  CHECK(std::filesystem::exists(out));
}

TEST_CASE("export converts level and version, or says what cannot be represented", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml");
  tu::write_file(in, two_species_model(2.0));
  for (auto [level, version] : {std::pair{2u, 4u}, std::pair{3u, 1u}, std::pair{2u, 1u}}) {
    const std::string out = dir.file("l" + std::to_string(level) + "v" + std::to_string(version) + ".xml");
    axisim::ExportOptions opt;
    opt.level = level;
    opt.version = version;
    axisim::export_sbml(in, out, opt);
    const std::string text = tu::read_file(out);
    CHECK(tu::contains(text, "level=\"" + std::to_string(level) + "\" version=\"" + std::to_string(version) + "\""));
    CHECK(error_count(out) == 0);
    const std::vector<axisim::OutputSpec> outs{{"S1"}, {"S2"}};
    require_close(axisim::Model::from_file(in).simulate(grid(5, 10), outs),
                  axisim::Model::from_file(out).simulate(grid(5, 10), outs), 1e-12, 0);
  }

  // Level 2 has no conversion factors: constant ones are folded into the stoichiometries (same
  // dynamics); one that changes cannot be, and the conversion is refused with libSBML's reason.
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.products = {{"S2", 2}};
  r.kinetic_math = apply("times", {ci("C"), ci("k"), ci("S1")});
  Species s2{"S2", "C", 0.0, true, false, false, false, "conversionFactor=\"g\""};
  auto cf_model = [&](bool constant) {
    return ModelBuilder("cf")
        .model_attrs("conversionFactor=\"f\"")
        .compartment("C", 1.0)
        .species("S1", 1.0)
        .species(s2)
        .parameter("f", 2.0, constant)
        .parameter("g", 0.25)
        .parameter("k", 0.5)
        .reaction(r)
        .str();
  };
  const std::string cf = dir.file("cf.xml"), cf_out = dir.file("cf-l2.xml");
  axisim::ExportOptions l2;
  l2.level = 2;
  l2.version = 4;
  tu::write_file(cf, cf_model(true));
  axisim::export_sbml(cf, cf_out, l2);
  CHECK_FALSE(tu::contains(tu::read_file(cf_out), "conversionFactor"));
  const std::vector<axisim::OutputSpec> cf_outs{{"S1"}, {"S2"}};
  require_close(axisim::Model::from_file(cf).simulate(grid(5, 10), cf_outs),
                axisim::Model::from_file(cf_out).simulate(grid(5, 10), cf_outs), 1e-12, 0);

  tu::write_file(cf, cf_model(false));
  std::filesystem::remove(cf_out);
  REQUIRE_THROWS_MATCHES(axisim::export_sbml(cf, cf_out, l2), axisim::Error,
                         Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                           return e.kind() == ErrorKind::Unsupported && tu::icontains(e.what(), "conversionFactor") &&
                                  tu::contains(e.what(), "Level 2 Version 4");
                         }));
  CHECK_FALSE(std::filesystem::exists(cf_out));
  axisim::ExportOptions nonsense;
  nonsense.level = 2;
  nonsense.version = 9;
  CHECK_THROWS_AS(axisim::export_sbml(in, dir.file("x.xml"), nonsense), axisim::Error);
}

TEST_CASE("export refuses to write an invalid document", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  // The kinetic law names an id the model lacks: libSBML's checks fail on what would be written.
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.kinetic_math = apply("times", {ci("nosuch"), ci("S1")});
  tu::write_file(in, ModelBuilder("bad").compartment("C", 1.0).species("S1", 1.0).reaction(r).str());
  tu::write_file(out, "previous contents");
  REQUIRE_THROWS_MATCHES(axisim::export_sbml(in, out, {}), axisim::Error,
                         Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                           return e.kind() == ErrorKind::InvalidSbml && tu::contains(e.what(), "refusing to write") &&
                                  tu::contains(e.what(), "nosuch");
                         }));
  CHECK(tu::read_file(out) == "previous contents");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);
}

TEST_CASE("export records attached plugins in an axisim annotation", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml"), again = dir.file("again.xml");
  tu::write_file(in, decay_model());
  axisim::ExportOptions opt;
  opt.plugins = {{"bone", "1.2.0", {{"k_form", 0.25}, {"k_resorb", 1e-3}}}, {"muscle", "0.1", {}}};
  axisim::export_sbml(in, out, opt);
  const std::string text = tu::read_file(out);
  CHECK(tu::contains(text, "<axisim:plugins xmlns:axisim=\"https://axisim.org/ns/plugins/1\">"));
  CHECK(tu::contains(text, "<axisim:plugin name=\"bone\" version=\"1.2.0\">"));
  CHECK(tu::contains(text, "<axisim:parameter name=\"k_form\" value=\"0.25\"/>"));
  CHECK(tu::contains(text, "<axisim:plugin name=\"muscle\" version=\"0.1\"/>"));
  CHECK(error_count(out) == 0);
  // Other readers ignore it: the model simulates as before.
  const auto a = axisim::Model::from_file(in).simulate(grid(5, 5));
  require_close(a, axisim::Model::from_file(out).simulate(grid(5, 5)), 0, 0);

  // Exported again with other plugins, the record is replaced, not added to; without plugins it
  // is kept; converted to Level 2 it stays.
  axisim::ExportOptions other;
  other.plugins = {{"gut-barrier", "2.0", {{"p", 3}}}};
  other.level = 2;
  other.version = 4;
  axisim::export_sbml(out, again, other);
  const std::string text2 = tu::read_file(again);
  CHECK(tu::contains(text2, "gut-barrier"));
  CHECK_FALSE(tu::contains(text2, "bone"));
  axisim::export_sbml(again, out, {});
  CHECK(tu::contains(tu::read_file(out), "gut-barrier"));
}

TEST_CASE("export --flatten writes a comp model as one flat model", "[export]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  tu::write_file(in, R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" level="3" version="1" comp:required="true">
  <model id="top">
    <comp:listOfSubmodels>
      <comp:submodel comp:id="A" comp:modelRef="decay"/>
      <comp:submodel comp:id="B" comp:modelRef="decay"/>
    </comp:listOfSubmodels>
  </model>
  <comp:listOfModelDefinitions>
    <comp:modelDefinition id="decay">
      <listOfCompartments><compartment id="C" size="1" spatialDimensions="3" constant="true"/></listOfCompartments>
      <listOfSpecies><species id="S" compartment="C" initialAmount="10" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
      <listOfParameters><parameter id="k" value="0.5" constant="true"/></listOfParameters>
      <listOfReactions>
        <reaction id="R" reversible="false" fast="false">
          <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
          <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw>
        </reaction>
      </listOfReactions>
    </comp:modelDefinition>
  </comp:listOfModelDefinitions>
</sbml>
)");
  axisim::ExportOptions opt;
  opt.flatten = true;
  opt.set = {{"B__k", 0.25}};  // flattened ids can be set
  axisim::export_sbml(in, out, opt);
  const std::string text = tu::read_file(out);
  CHECK_FALSE(tu::contains(text, "comp:"));
  CHECK(tu::contains(text, "A__S"));
  CHECK(error_count(out) == 0);
  axisim::Model reference = axisim::Model::from_file(in);
  reference.set_value("B__k", 0.25);
  const std::vector<axisim::OutputSpec> outs{{"A__S"}, {"B__S"}};
  require_close(reference.simulate(grid(4, 8), outs), axisim::Model::from_file(out).simulate(grid(4, 8), outs), 1e-12, 0);

  // Without --flatten the submodels' ids are not the document's to set.
  axisim::ExportOptions unflat;
  unflat.set = {{"B__k", 0.25}};
  REQUIRE_THROWS_MATCHES(axisim::export_sbml(in, dir.file("x.xml"), unflat), axisim::Error,
                         Catch::Predicate<axisim::Error>([](const axisim::Error& e) {
                           return e.kind() == ErrorKind::UnknownId && tu::contains(e.what(), "--flatten");
                         }));
}

TEST_CASE("axisim export command", "[export][cli]") {
  tu::TempDir dir;
  const std::string in = dir.file("in.xml"), out = dir.file("out.xml");
  tu::write_file(in, decay_model());
  auto r = tu::run({AXISIM_CLI_PATH, "export", in, "-o", out, "--set", "k=0.25", "--level", "2", "--version", "4"},
                   dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(tu::contains(tu::read_file(out), "level=\"2\" version=\"4\""));
  CHECK(axisim::Model::from_file(out).initial_value("k") == 0.25);

  r = tu::run({AXISIM_CLI_PATH, "export", in, "-o", out, "--level", "2"}, dir.path());
  CHECK(r.exit_code == 2);
  r = tu::run({AXISIM_CLI_PATH, "export", in, "-o", out, "--set", "nosuch=1"}, dir.path());
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "nosuch"));
  r = tu::run({AXISIM_CLI_PATH, "export", in, "-o", out, "--at-time", "2"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(std::abs(axisim::Model::from_file(out).initial_value("S1") - 10 * std::exp(-0.5 * 2)) < 1e-6);
}
