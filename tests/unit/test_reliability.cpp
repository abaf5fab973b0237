// test_reliability.cpp — hostile and unusual input (issue 11): documents nested too deep for a
// recursive parser, formulas that inlining makes too deep or too large, values a model never
// defines, models whose every reaction is fast, and packages declared but not used. Each class
// is tested through the library and through the `axisim` executable: no input may crash it, and
// each refusal names the file, the line or the id, and what to do. docs/reliability.md.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/suite_settings.hpp"
#include "axisim/validation.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

#ifndef AXISIM_CLI_PATH
#error "AXISIM_CLI_PATH must be defined to the axisim executable"
#endif

using axisim::ErrorKind;
using Catch::Matchers::WithinRel;

namespace {

const std::string kCli = AXISIM_CLI_PATH;
// Deep enough to overflow any stack a recursive reader could use (issue 11 found crashes from
// about 6,000 levels on).
constexpr int kHostileDepth = 100000;

tu::ProcessResult cli(const std::vector<std::string>& args, const tu::TempDir& dir) {
  std::vector<std::string> argv{kCli};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = tu::run(argv, dir.path());
  UNSCOPED_INFO("axisim " << (args.empty() ? "" : args[0]) << " exit " << r.exit_code
                          << (r.exited ? "" : " (did not exit normally)") << "\n--- stdout ---\n"
                          << r.out.substr(0, 1500) << "\n--- stderr ---\n" << r.err.substr(0, 1500));
  return r;
}

// Expects `fn` to throw axisim::Error of `kind`; returns its message.
template <class Fn>
std::string error_of(Fn&& fn, ErrorKind kind) {
  try {
    fn();
  } catch (const axisim::Error& e) {
    CHECK(static_cast<int>(e.kind()) == static_cast<int>(kind));
    return e.what();
  }
  FAIL("no axisim::Error was thrown");
  return "";
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// p = 1 + (1 + (1 + ... (1 + 1))): `levels` nested <apply> elements, on line 9 of the document.
// The document's own elements add 6 levels of XML: sbml, model, listOfRules, assignmentRule,
// math and the innermost <cn>.
std::string nested_math_doc(int levels) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="deep">
    <listOfParameters>
      <parameter id="p" value="1" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <assignmentRule variable="p">
        <math xmlns="http://www.w3.org/1998/Math/MathML">)") +
         repeat("<apply><plus/><cn>1</cn>", levels) + "<cn>1</cn>" + repeat("</apply>", levels) + R"(</math>
      </assignmentRule>
    </listOfRules>
  </model>
</sbml>
)";
}

// A valid model whose annotation (the axisim plugin record) nests `levels` elements deep.
std::string nested_annotation_doc(int levels) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="annotated">
    <annotation>
      <axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1">
        <axisim:plugin name="bone" version="1.0.0">)") +
         repeat("<axisim:parameter name=\"a\" value=\"1\">", levels) + repeat("</axisim:parameter>", levels) + R"(
        </axisim:plugin>
      </axisim:plugins>
    </annotation>
    <listOfParameters>
      <parameter id="p" value="1" constant="true"/>
    </listOfParameters>
  </model>
</sbml>
)";
}

// Level 1 writes kinetic laws as infix strings: a sum of `terms` terms is a tree `terms` deep.
std::string level1_sum_doc(int terms) {
  std::string formula = "k";
  for (int i = 1; i < terms; ++i) formula += "+k";
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level1" level="1" version="1">
  <model name="long_sum">
    <listOfCompartments><compartment name="c" volume="1"/></listOfCompartments>
    <listOfSpecies><specie name="S" compartment="c" initialAmount="1000"/></listOfSpecies>
    <listOfParameters><parameter name="k" value="0.001"/></listOfParameters>
    <listOfReactions>
      <reaction name="R">
        <listOfReactants><specieReference specie="S"/></listOfReactants>
        <kineticLaw formula=")" + formula + R"("/>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

std::string with_functions(const std::vector<std::string>& functions, const std::string& rule_math) {
  std::string fds;
  for (const std::string& f : functions) fds += "      " + f + "\n";
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="functions">
    <listOfFunctionDefinitions>
)") + fds + R"(    </listOfFunctionDefinitions>
    <listOfParameters><parameter id="p" value="1" constant="false"/></listOfParameters>
    <listOfRules><assignmentRule variable="p"><math xmlns="http://www.w3.org/1998/Math/MathML">)" +
         rule_math + R"(</math></assignmentRule></listOfRules>
  </model>
</sbml>
)";
}

std::string function_def(const std::string& id, const std::string& body) {
  return "<functionDefinition id=\"" + id + "\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><lambda><bvar><ci>x</ci></bvar>" +
         body + "</lambda></math></functionDefinition>";
}

double run_value(const axisim::Model& m, const std::string& id, double end = 1.0) {
  axisim::SimulationOptions opt;
  opt.end = end;
  opt.steps = 1;
  const axisim::Result r = m.simulate(opt, {{id}});
  return r.at(r.rows() - 1, 1);
}

}  // namespace

// ---- item 1: nesting ----

TEST_CASE("XML depth scanner: counts elements, skips comments, CDATA, declarations and attributes", "[reliability][limits]") {
  using axisim::xml_too_deep_at;
  CHECK(xml_too_deep_at("<a><b><c/></b></a>", 3) == 0);
  CHECK(xml_too_deep_at("<a><b><c></c></b></a>", 3) == 0);
  CHECK(xml_too_deep_at("<a>\n<b>\n<c>\n<d/></c></b></a>", 3) == 4);  // the line of <d/>
  CHECK(xml_too_deep_at("<a><b></b><b></b><b><c/></b></a>", 3) == 0);  // siblings do not add up
  // Markup inside comments, CDATA, processing instructions, the DOCTYPE and quoted attribute
  // values is not markup.
  CHECK(xml_too_deep_at("<?xml version=\"1.0\"?><!-- <x><y><z><w> --><a><b/></a>", 2) == 0);
  CHECK(xml_too_deep_at("<a><![CDATA[<x><y><z>]]></a>", 1) == 0);
  CHECK(xml_too_deep_at("<!DOCTYPE a [<!ENTITY e \"<x><y><z>\"> <!-- ]> -->]><a/>", 1) == 0);
  CHECK(xml_too_deep_at("<a t=\"<x><y>\" u='/>'><b/></a>", 2) == 0);
  CHECK(xml_too_deep_at("<a t=\"/\"><b/></a>", 1) == 1);  // a quoted "/" does not close <a>
  CHECK(xml_too_deep_at("<a t=\"/\"><b/></a>", 2) == 0);
  CHECK(xml_too_deep_at(std::string(nested_math_doc(kHostileDepth)), axisim::kMaxXmlDepth) == 9);
  // Truncated or malformed markup is the parser's to report, not a crash here.
  CHECK(xml_too_deep_at("<a><b", 5) == 0);
  CHECK(xml_too_deep_at("<a t=\"unterminated><b><c>", 1) == 0);
  CHECK(xml_too_deep_at("<!-- never closed <a><b><c>", 1) == 0);
}

TEST_CASE("SBML nested 100,000 levels deep is refused before parsing, with the line, and normal depth loads", "[reliability][limits]") {
  tu::TempDir dir;
  const std::string deep = dir.file("deep.xml");
  tu::write_file(deep, nested_math_doc(kHostileDepth));

  const std::string msg = error_of([&] { axisim::Model::from_file(deep); }, ErrorKind::InvalidSbml);
  CHECK(tu::contains(msg, "deep.xml: line 9"));
  CHECK(tu::contains(msg, "more than " + std::to_string(axisim::kMaxXmlDepth) + " levels"));

  auto r = cli({"simulate", deep}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "line 9"));
  r = cli({"validate", deep}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.out, "deep.xml:9:"));
  r = cli({"export", deep, "-o", dir.file("out.xml")}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);

  // The deepest document the limit allows loads and simulates, with every back-end.
  const int levels = static_cast<int>(axisim::kMaxXmlDepth) - 6;
  const std::string ok = nested_math_doc(levels);
  for (auto backend : {axisim::Backend::Interpreter, axisim::Backend::Auto}) {
    axisim::LoadOptions load;
    load.backend = backend;
    const axisim::Model m = axisim::Model::from_string(ok, load);
    CHECK(run_value(m, "p") == Approx(levels + 1.0));
  }
  CHECK_THROWS(axisim::Model::from_string(nested_math_doc(levels + 1)));
}

TEST_CASE("an annotation nested 100,000 levels deep (the plugin record) is refused, not a crash", "[reliability][limits]") {
  tu::TempDir dir;
  const std::string path = dir.file("annotated.xml");
  tu::write_file(path, nested_annotation_doc(kHostileDepth));
  auto r = cli({"simulate", path, "--select", "p"}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "annotated.xml: line 6"));
  // A record of normal depth is read.
  const axisim::Model m = axisim::Model::from_string(nested_annotation_doc(1));
  REQUIRE(m.recorded_plugins().size() == 1);
  CHECK(m.recorded_plugins()[0].name == "bone");
}

TEST_CASE("a Level 1 formula nested deeper than the limit is refused, a long one within it runs", "[reliability][limits]") {
  tu::TempDir dir;
  const std::string path = dir.file("sum.xml");
  tu::write_file(path, level1_sum_doc(kHostileDepth));
  auto r = cli({"simulate", path}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "sum.xml: line 10: the math of <kineticLaw> of reaction 'R'"));
  CHECK(tu::contains(r.err, "nested more than"));
  // validate and export walk formulas through libSBML's unit checks and converters, which
  // crashed on it: refused the same way.
  r = cli({"validate", path}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.out, "sum.xml:10:0: fatal: [axisim 0] the math of <kineticLaw> of reaction 'R'"));
  r = cli({"export", path, "-o", dir.file("out.xml"), "--level", "3", "--version", "2"}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 4);

  // 500 terms: rate 0.5, S = 1000 - 0.5 t.
  const axisim::Model m = axisim::Model::from_string(level1_sum_doc(500));
  CHECK_THAT(run_value(m, "S", 10.0), WithinRel(1000.0 - 5.0, 1e-9));
}

TEST_CASE("function definitions that inline into a formula too deep or too large are refused", "[reliability][limits]") {
  SECTION("too deep: a body 100 levels deep called 50 times nested") {
    std::string body = "<ci>x</ci>";
    for (int i = 0; i < 100; ++i) body = "<apply><plus/>" + body + "<cn>1</cn></apply>";
    std::string call = "<cn>1</cn>";
    for (int i = 0; i < 50; ++i) call = "<apply><ci>f</ci>" + call + "</apply>";
    const std::string msg = error_of([&] { axisim::Model::from_string(with_functions({function_def("f", body)}, call)); },
                                     ErrorKind::InvalidSbml);
    CHECK(tu::contains(msg, "<assignmentRule> for 'p' is nested more than 1000 levels deep once function definitions are inlined"));
    // Five nested calls are 500 levels: fine. p = 1 + 5 * 100.
    call = "<cn>1</cn>";
    for (int i = 0; i < 5; ++i) call = "<apply><ci>f</ci>" + call + "</apply>";
    const axisim::Model m = axisim::Model::from_string(with_functions({function_def("f", body)}, call));
    CHECK(run_value(m, "p") == Approx(501.0));
  }
  SECTION("too large: each function calls the one before twice (2^60 nodes)") {
    std::vector<std::string> fds{function_def("f0", "<apply><plus/><ci>x</ci><ci>x</ci></apply>")};
    for (int k = 1; k < 60; ++k) {
      const std::string prev = "f" + std::to_string(k - 1);
      fds.push_back(function_def("f" + std::to_string(k), "<apply><plus/><apply><ci>" + prev + "</ci><ci>x</ci></apply><apply><ci>" +
                                                               prev + "</ci><ci>x</ci></apply></apply>"));
    }
    tu::TempDir dir;
    const std::string path = dir.file("exponential.xml");
    tu::write_file(path, with_functions(fds, "<apply><ci>f59</ci><cn>1</cn></apply>"));
    // libSBML's unit checks expand function definitions too: validate and a level conversion
    // hung on this before the limit.
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"simulate", path, "--select", "p"}, {"validate", path},
          {"export", path, "-o", dir.file("out.xml"), "--level", "3", "--version", "1"}}) {
      auto r = cli(args, dir);  // within the watchdog: no hang
      CHECK_FALSE(r.timed_out);
      CHECK(r.exit_code == 4);
      CHECK(tu::contains(r.out + r.err, "nodes once function definitions are inlined"));
    }
    // Ten levels (2^11 nodes) are fine: p = 2^10 * 1.
    fds.resize(10);
    const axisim::Model m = axisim::Model::from_string(with_functions(fds, "<apply><ci>f9</ci><cn>1</cn></apply>"));
    CHECK(run_value(m, "p") == Approx(1024.0));
  }
}

TEST_CASE("TOML depth scanner: headers, dotted keys, inline tables and arrays count, values do not", "[reliability][limits]") {
  auto depth_ok = [](const std::string& text, std::size_t limit) {
    try {
      axisim::check_toml_depth(text, "t.toml", limit);
      return true;
    } catch (const axisim::Error& e) {
      CHECK(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Io));
      return false;
    }
  };
  CHECK(depth_ok("a = 1\n", 1));
  CHECK_FALSE(depth_ok("a.b = 1\n", 1));
  CHECK(depth_ok("a.b = 1\n", 2));
  CHECK_FALSE(depth_ok("[a.b]\nc = 1\n", 2));  // c is at depth 3
  CHECK(depth_ok("[a.b]\nc = 1\n", 3));
  CHECK_FALSE(depth_ok("[[a]]\nb = 1\n", 2));  // an array of tables: a (1), its table (2), b (3)
  CHECK(depth_ok("a = [1, [2, 3]]\n", 3));
  CHECK_FALSE(depth_ok("a = [1, [2, [3]]]\n", 3));
  CHECK(depth_ok("a = { b = 1, c = { d = 2 } }\n", 3));
  CHECK_FALSE(depth_ok("a = { b = 1, c = { d.e = 2 } }\n", 3));
  CHECK(depth_ok("a = {}\nb = { }\n[c]\nd = 1\n", 2));  // empty inline tables close
  // Dots in numbers, dates and strings, brackets in strings and comments are not nesting.
  std::string floats = "x = [";
  for (int i = 0; i < 10000; ++i) floats += "1.5, ";
  CHECK(depth_ok(floats + "2.5]\n", 2));
  CHECK(depth_ok("when = 1979-05-27T07:32:00.999\nname = \"a.b.c[[[{{{\" # [[[.{{\n", 1));
  CHECK(depth_ok("s = '''\n[[[a.b.c]]]\n'''\nt = \"\"\"\n{{{\"\"\"\n", 1));
  CHECK(depth_ok("\"a.b.c\" = 1\n", 1));  // a quoted key with dots is one key
  // The line of the crossing is reported.
  try {
    axisim::check_toml_depth("a = 1\n\nb.c.d = 1\n", "t.toml", 2);
    FAIL("not refused");
  } catch (const axisim::Error& e) {
    CHECK(tu::contains(e.what(), "t.toml:3:"));
  }
}

TEST_CASE("scenario and job files nested 100,000 levels deep are refused with exit 4, not a crash", "[reliability][limits]") {
  tu::TempDir dir;
  const std::string model = dir.file("model.xml");
  tu::write_file(model, fx::decay_model());
  std::string parts;
  for (int i = 0; i < kHostileDepth; ++i) parts += (i ? ".a" : "a");
  const std::vector<std::pair<std::string, std::string>> hostile{
      {"header", "model = \"model.xml\"\n[set." + parts + "]\nx = 1\n"},
      {"dotted", "model = \"model.xml\"\n[set]\n" + parts + " = 1\n"},
      {"inline", "model = \"model.xml\"\n[plugins]\nbone = " + repeat("{ a = ", kHostileDepth) + "1" +
                     repeat(" }", kHostileDepth) + "\n"},
      {"array", "model = \"model.xml\"\nselect = " + repeat("[", kHostileDepth) + "\"S1\"" + repeat("]", kHostileDepth) + "\n"},
  };
  for (const auto& [name, text] : hostile) {
    INFO(name);
    const std::string path = dir.file(name + ".toml");
    tu::write_file(path, text);
    const std::string msg = error_of([&] { axisim::Scenario::load(path); }, ErrorKind::Io);
    CHECK(tu::contains(msg, name + ".toml:"));
    auto r = cli({"simulate", "--scenario", path}, dir);
    CHECK(r.exited);
    CHECK(r.exit_code == 4);
    CHECK(tu::contains(r.err, "nested more than"));
    // The same text as a job file.
    r = cli({"batch", path, "-o", dir.file("runs-" + name)}, dir);
    CHECK(r.exited);
    CHECK(r.exit_code == 4);
    CHECK(tu::contains(r.err, "nested more than"));
  }
  // A scenario of normal depth still loads and runs.
  const std::string fine = dir.file("fine.toml");
  tu::write_file(fine, "model = \"model.xml\"\nselect = [\"S1\"]\n[simulation]\nend = 1\nsteps = 2\n[set]\nk = 0.25\n");
  auto r = cli({"simulate", "--scenario", fine}, dir);
  CHECK(r.exit_code == 0);
  CHECK(tu::contains(r.out, "time,S1"));
}

TEST_CASE("settings files larger than the limit are refused before reading, ordinary ones read", "[reliability][limits]") {
  tu::TempDir dir;
  const std::string big = dir.file("big-settings.txt");
  tu::write_file(big, "start: 0\nduration: 1\nsteps: 1\nvariables: " +
                          std::string(static_cast<std::size_t>(axisim::kMaxSettingsBytes), 'S') + "\n");
  const std::string msg = error_of([&] { axisim::SuiteSettings::parse_file(big); }, ErrorKind::Io);
  CHECK(tu::contains(msg, "big-settings.txt"));
  CHECK(tu::contains(msg, "larger than"));
  const std::string ok = dir.file("settings.txt");
  tu::write_file(ok, "start: 0\nduration: 5\nsteps: 10\nvariables: S1, S2\nabsolute: 1e-7\nrelative: 1e-4\n");
  const auto s = axisim::SuiteSettings::parse_file(ok);
  CHECK(s.duration == 5.0);
  CHECK(s.variables.size() == 2);
}

// ---- item 2: values the model never defines ----

namespace {

// S -> P at rate k * S in compartment `cell`; each of the three may leave its value out.
std::string undefined_doc(bool size, bool k_value, bool p_initial, const std::string& extra = "") {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="undef">
    <listOfCompartments>
      <compartment id="cell" )") + (size ? "size=\"2\" " : "") + R"(spatialDimensions="3" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="cell" initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="P" compartment="cell" )" + (p_initial ? "initialAmount=\"0\" " : "") + R"(hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" )" + (k_value ? "value=\"0.5\" " : "") + R"(constant="true"/>
      <parameter id="never_used" constant="true"/>
    </listOfParameters>
)" + extra + R"(    <listOfReactions>
      <reaction id="R" reversible="false">
        <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="P" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

}  // namespace

TEST_CASE("values the model never defines are all named in one message, exit 4, with how to set them", "[reliability][undefined]") {
  const axisim::Model m = axisim::Model::from_string(undefined_doc(false, false, false));
  const std::string msg = error_of([&] { run_value(m, "S"); }, ErrorKind::InvalidSbml);
  CHECK(tu::contains(msg, "compartment 'cell': no size"));
  CHECK(tu::contains(msg, "parameter 'k': no value"));
  CHECK(tu::contains(msg, "species 'P': no initial amount or concentration"));
  CHECK(tu::contains(msg, "--set ID=VALUE"));
  CHECK_FALSE(tu::contains(msg, "never_used"));  // read by nothing: harmless

  // Set through the library, every value is defined and the run is what the values say.
  axisim::Model set = m;
  set.set_value("cell", 2.0);
  set.set_value("k", 0.5);
  set.set_value("P", 0.0);
  // d[S]/dt = -k [S] / size (the rate is an amount per time).
  CHECK_THAT(run_value(set, "S"), WithinRel(std::exp(-0.25), 1e-6));
  // One missing is still named, alone.
  axisim::Model partly = m;
  partly.set_value("cell", 2.0);
  partly.set_value("P", 0.0);
  const std::string one = error_of([&] { run_value(partly, "S"); }, ErrorKind::InvalidSbml);
  CHECK(tu::contains(one, "parameter 'k'"));
  CHECK_FALSE(tu::contains(one, "compartment 'cell'"));

  tu::TempDir dir;
  const std::string path = dir.file("undef.xml");
  tu::write_file(path, undefined_doc(false, false, false));
  auto r = cli({"simulate", path}, dir);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "undef.xml: model 'undef' never defines these 3 values"));
  r = cli({"simulate", path, "--set", "cell=2", "--set", "k=0.5", "--set", "P=0", "--end", "1", "--steps", "1"}, dir);
  CHECK(r.exit_code == 0);

  // validate reports each, on its line, as an error.
  r = cli({"validate", path}, dir);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.out, "undef.xml:5:0: error: [axisim 0] compartment 'cell'"));
  CHECK(tu::contains(r.out, "parameter 'k': no value"));
  CHECK(tu::contains(r.out, "--set k=VALUE"));
  CHECK(tu::contains(r.out, "species 'P'"));
  tu::write_file(path, undefined_doc(true, true, true));
  r = cli({"validate", path}, dir);
  CHECK(r.exit_code == 0);
  CHECK_FALSE(tu::contains(r.out, "[axisim"));
}

TEST_CASE("values an initial assignment, a rule, an algebraic rule or an event at time 0 supplies are defined", "[reliability][undefined]") {
  const std::string ia = "    <listOfInitialAssignments>\n      <initialAssignment symbol=\"k\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><cn>0.5</cn></math></initialAssignment>\n    </listOfInitialAssignments>\n";
  CHECK_THAT(run_value(axisim::Model::from_string(undefined_doc(true, false, true, ia)), "S"), WithinRel(std::exp(-0.25), 1e-6));

  // k set by an event whose trigger is true at time 0 and starts false: it fires before the
  // integration reads k.
  const std::string event = R"(    <listOfEvents>
      <event useValuesFromTriggerTime="true">
        <trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol><cn>0</cn></apply></math></trigger>
        <listOfEventAssignments><eventAssignment variable="k"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>0.5</cn></math></eventAssignment></listOfEventAssignments>
      </event>
    </listOfEvents>
)";
  std::string doc = undefined_doc(true, false, true, "");
  doc.replace(doc.find("  </model>"), 0, event);
  doc.replace(doc.find("<parameter id=\"k\" constant=\"true\"/>"), std::string("<parameter id=\"k\" constant=\"true\"/>").size(),
              "<parameter id=\"k\" constant=\"false\"/>");
  CHECK_THAT(run_value(axisim::Model::from_string(doc), "S"), WithinRel(std::exp(-0.25), 1e-6));

  // An algebraic rule determines a non-constant parameter: x + S - 3 = 0.
  std::string alg = undefined_doc(true, true, true, R"(    <listOfRules>
      <algebraicRule><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><minus/><apply><plus/><ci>x</ci><ci>S</ci></apply><cn>3</cn></apply></math></algebraicRule>
    </listOfRules>
)");
  alg.replace(alg.find("<parameter id=\"never_used\""), 0, "<parameter id=\"x\" constant=\"false\"/>\n      ");
  const axisim::Model am = axisim::Model::from_string(alg);
  CHECK_THAT(run_value(am, "x"), WithinRel(3.0 - std::exp(-0.25), 1e-6));

  // A value read only by the initial assignment of something the user sets is not needed.
  std::string via = undefined_doc(true, false, true, R"(    <listOfInitialAssignments>
      <initialAssignment symbol="k"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>q</ci><cn>2</cn></apply></math></initialAssignment>
    </listOfInitialAssignments>
)");
  via.replace(via.find("<parameter id=\"never_used\""), 0, "<parameter id=\"q\" constant=\"true\"/>\n      ");
  axisim::Model vm = axisim::Model::from_string(via);
  CHECK(tu::contains(error_of([&] { run_value(vm, "S"); }, ErrorKind::InvalidSbml), "parameter 'q'"));
  vm.set_value("k", 0.5);
  CHECK_THAT(run_value(vm, "S"), WithinRel(std::exp(-0.25), 1e-6));
}

TEST_CASE("an explicit NaN is a value, not an undefined one", "[reliability][undefined]") {
  std::string doc = undefined_doc(true, true, true);
  doc.replace(doc.find("<parameter id=\"never_used\" constant=\"true\"/>"), std::string("<parameter id=\"never_used\" constant=\"true\"/>").size(),
              "<parameter id=\"nan\" value=\"NaN\" constant=\"true\"/>");
  const axisim::Model m = axisim::Model::from_string(doc);
  axisim::SimulationOptions opt;
  opt.end = 1;
  opt.steps = 1;
  const axisim::Result r = m.simulate(opt, {{"nan"}});
  CHECK(std::isnan(r.at(1, 1)));
}

// ---- item 4: models whose every reaction is fast ----

namespace {

// 0 -> A at rate k and A -> 0 at rate d A, both marked fast: as rapid equilibria they have no
// solution (k can never be zero); as kinetics A = k/d (1 - exp(-d t)).
std::string all_fast_doc() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
  <model id="allfast">
    <listOfCompartments><compartment id="c" size="1" spatialDimensions="3" constant="true"/></listOfCompartments>
    <listOfSpecies><species id="A" compartment="c" initialAmount="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="2" constant="true"/>
      <parameter id="d" value="0.5" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="synthesis" reversible="false" fast="true">
        <listOfProducts><speciesReference species="A" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><ci>k</ci></math></kineticLaw>
      </reaction>
      <reaction id="degradation" reversible="false" fast="true">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>d</ci><ci>A</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

}  // namespace

TEST_CASE("ignoring fast flags (--ignore-fast) integrates fast reactions as kinetics, and a warning names models mostly fast", "[reliability][fast]") {
  tu::TempDir dir;
  const std::string path = dir.file("allfast.xml");
  tu::write_file(path, all_fast_doc());
  auto r = cli({"simulate", path, "--end", "2", "--steps", "2"}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 5);  // no rapid equilibrium exists
  CHECK(tu::contains(r.err, "2 of 2 reactions are marked fast"));
  CHECK(tu::contains(r.err, "--ignore-fast"));

  r = cli({"simulate", path, "--end", "2", "--steps", "2", "--ignore-fast", "--rtol", "1e-10"}, dir);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(tu::contains(r.err, "reactions are marked fast"));
  const auto rows = tu::lines(r.out);
  REQUIRE(rows.size() >= 3);
  CHECK_THAT(tu::parse_number(tu::split(rows[2], ',')[1]), WithinRel(4.0 * (1.0 - std::exp(-0.5)), 1e-7));

  axisim::LoadOptions load;
  load.ignore_fast = true;
  CHECK_THAT(run_value(axisim::Model::from_string(all_fast_doc(), load), "A", 2.0), WithinRel(4.0 * (1.0 - std::exp(-1.0)), 1e-6));
}

// ---- item 6: packages declared but not used ----

namespace {

std::string package_doc(const std::string& sbml_attrs, const std::string& model_content = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" )" + sbml_attrs + R"(>
  <model id="m">
    <listOfCompartments><compartment id="c" size="1" constant="true" spatialDimensions="3"/></listOfCompartments>
    <listOfSpecies><species id="S" compartment="c" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
    <listOfParameters><parameter id="k" value="0.5" constant="true"/></listOfParameters>
    <listOfReactions><reaction id="R" reversible="false" fast="false">
      <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
      <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw>
    </reaction></listOfReactions>)" + model_content + R"(
  </model>
</sbml>
)";
}

const std::string kRenderNs = R"(xmlns:render="http://www.sbml.org/sbml/level3/version1/render/version1")";
const std::string kLayoutNs = R"(xmlns:layout="http://www.sbml.org/sbml/level3/version1/layout/version1")";
const std::string kQualNs = R"(xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1")";
const std::string kDistribNs = R"(xmlns:distrib="http://www.sbml.org/sbml/level3/version1/distrib/version1")";

}  // namespace

TEST_CASE("packages declared but unused, or never changing the maths, are warnings and the model runs", "[reliability][packages]") {
  tu::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> runnable{
      {"render without required", kRenderNs},
      {"render required=true (render must say false)", kRenderNs + " render:required=\"true\""},
      {"layout without required", kLayoutNs},
      {"layout and render without required", kLayoutNs + " " + kRenderNs},
      {"qual declared, not used, without required", kQualNs},
      {"an unknown package required but not used", kDistribNs + " distrib:required=\"true\""},
  };
  int i = 0;
  for (const auto& [what, attrs] : runnable) {
    INFO(what);
    const std::string path = dir.file("pkg" + std::to_string(i++) + ".xml");
    tu::write_file(path, package_doc(attrs));
    CHECK_THAT(run_value(axisim::Model::from_file(path), "S"), WithinRel(std::exp(-0.5), 1e-6));
    auto r = cli({"simulate", path, "--end", "1", "--steps", "1"}, dir);
    CHECK(r.exit_code == 0);
    CHECK(tu::contains(r.err, "warning"));
    CHECK(tu::contains(r.err, "ignored"));
    r = cli({"validate", path}, dir);
    CHECK(r.exit_code == 0);
    CHECK(tu::contains(r.out, "axisim ignores this"));
  }
  // A layout that is there, without layout:required, draws the model and changes nothing.
  const std::string layout = dir.file("layout.xml");
  tu::write_file(layout, package_doc(kLayoutNs, R"(
    <layout:listOfLayouts><layout:layout layout:id="l1"><layout:dimensions layout:width="100" layout:height="100"/></layout:layout></layout:listOfLayouts>)"));
  CHECK(cli({"simulate", layout, "--end", "1", "--steps", "1"}, dir).exit_code == 0);
}

TEST_CASE("packages that change the maths are refused where axisim cannot run them", "[reliability][packages]") {
  tu::TempDir dir;
  const std::string qual_species = R"(
    <qual:listOfQualitativeSpecies><qual:qualitativeSpecies qual:id="G" qual:compartment="c" qual:constant="false" qual:initialLevel="0"/></qual:listOfQualitativeSpecies>)";
  const std::string qual = dir.file("qual.xml");
  tu::write_file(qual, package_doc(kQualNs + " qual:required=\"true\"", qual_species));
  // A logical model mixed with continuous reactions: qual does not say how the two interact
  // (docs/logical.md), so it is refused, naming the reaction.
  auto r = cli({"simulate", qual}, dir);
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "logical (qual) model mixed with a continuous core model"));
  CHECK(tu::contains(r.err, "reaction 'R'"));
  // Used without its required attribute: the document is invalid, as before.
  tu::write_file(qual, package_doc(kQualNs, qual_species));
  r = cli({"simulate", qual}, dir);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "qual:required"));
  // A package this libSBML does not know, declared required and used.
  const std::string distrib = dir.file("distrib.xml");
  std::string doc = package_doc(kDistribNs + " distrib:required=\"true\"");
  doc.replace(doc.find("<parameter id=\"k\" value=\"0.5\" constant=\"true\"/>"),
              std::string("<parameter id=\"k\" value=\"0.5\" constant=\"true\"/>").size(),
              "<parameter id=\"k\" value=\"0.5\" constant=\"true\"><distrib:uncertainty/></parameter>");
  tu::write_file(distrib, doc);
  r = cli({"simulate", distrib}, dir);
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "'distrib'"));
}
