// `axisim export --sedml/--omex` (axisim/sedml_export.hpp): runs of axisim written as SED-ML
// documents (through writer.hpp) and COMBINE archives (archive.hpp), and SED-ML documents read
// and written again.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

#include "archive/archive.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/sedml_export.hpp"
#include "axisim/plugin_host.hpp"
#include "document/document.hpp"
#include "model/plugin_annotation.hpp"
#include "model/sbml_xml.hpp"
#include "document/writer.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {
namespace {

const char* kSbmlLanguage = "urn:sedml:language:sbml";
const char* kModel = "/sbml:sbml/sbml:model";

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, p.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::error_code ec;
  if (!file.parent_path().empty()) fs::create_directories(file.parent_path(), ec);
  write_file_atomic(file.string(), text);
}

bool ends_with_ci(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}
bool is_archive_name(const std::string& p) {
  return ends_with_ci(p, ".omex") || ends_with_ci(p, ".sedx") || ends_with_ci(p, ".zip");
}

// A variable on task `task`, by `symbol` (a SED-ML or axisim symbol) or by `target` (an XPath
// in the namespaces `ns`), the other empty.
Variable task_variable(const std::string& id, const std::string& target, const std::string& symbol,
                       const std::string& task, const Namespaces& ns = {}) {
  Variable v;
  v.id = id;
  v.target = target;
  v.symbol = symbol;
  v.task_ref = task;
  v.ns = ns;
  return v;
}

// A SED-ML id (SId) from any text: letters, digits and '_', not starting with a digit.
std::string sid(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  return out;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "axisim-export-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw Error(ErrorKind::Io, "cannot create a temporary folder");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// One model file, loaded for the kinds of its ids and read as XML for its structure.
struct ModelFile {
  Model model;
  SbmlXml xml;
  Namespaces ns;  // "sbml" -> the model's namespace
};

class Builder {
 public:
  Document doc;

  // Adds the run's model, simulation, task, data generators, report and plot. `source` names the
  // model file in the document; `plugin_sources` each plugin library named by path (absolute) as
  // the document names it.
  void add(const ExportRun& run, std::size_t index, const std::string& source,
           const std::map<std::string, std::string>& plugin_sources) {
    const std::string name = run.id.empty() ? "run" + std::to_string(index + 1) : run.id;
    const std::string element = "run '" + name + "'";
    ModelFile& mf = file(run.model_path);
    const std::string p = single_ ? "" : sid(name) + "_";

    ModelDef md{unique(p + "model"), kSbmlLanguage, source, {}, {}};
    Model check = mf.model;  // the values are set here too, for the model's own checks
    // Tissue plugins: attached to the check model (their outputs are its columns); values set on
    // "PLUGIN.NAME" go into the annotation as the plugin's parameter or initial state.
    std::vector<PluginRecord> plugins = run.plugins;
    std::vector<Plugin> loaded;
    for (const PluginRecord& r : plugins) {
      try {
        loaded.push_back(Plugin::load(r.path.empty() ? r.name : r.path, run.plugin_dirs));
        check.attach(loaded.back(), std::vector<std::pair<std::string, double>>(r.parameters.begin(), r.parameters.end()),
                     r.states);
      } catch (const Error& e) {
        throw Error(e.kind(), element + ": plugin '" + r.name + "': " + e.what());
      }
    }
    for (const auto& [id, value] : run.set) {
      const std::string what = element + " --set " + id;
      const auto dot = id.find('.');
      std::size_t k = 0;
      while (dot != std::string::npos && k < plugins.size() && plugins[k].name != id.substr(0, dot)) ++k;
      if (dot != std::string::npos && k < plugins.size()) {
        const std::string q = id.substr(dot + 1);
        const auto& states = loaded[k].states();
        if (std::any_of(states.begin(), states.end(), [&](const Plugin::Quantity& s) { return s.name == q; }))
          plugins[k].states[q] = value;
        else if (plugins[k].parameters.count(q))
          plugins[k].parameters[q] = value;
        else
          throw Error(ErrorKind::UnknownId, what + ": plugin '" + plugins[k].name + "' has no parameter or state '" + q + "'");
        continue;
      }
      if (!check.has_id(id))
        throw Error(ErrorKind::UnknownId, what + ": '" + id + "' is not an id of " + run.model_path);
      try {
        check.set_value(id, value);
      } catch (const Error& e) {
        throw Error(e.kind(), what + ": " + e.what());
      }
      const SymbolKind kind = check.kind(id);
      const std::string target = element_target(mf, id, kind, what);
      // Model::set_value replaces an initial assignment to the symbol; in SBML the assignment
      // would win over the attribute, so it goes.
      const std::string symbol = kind == SymbolKind::LocalParameter ? "" : id;
      if (!symbol.empty()) {
        const std::string ia = std::string(kModel) + "/sbml:listOfInitialAssignments/sbml:initialAssignment[@symbol='" + id + "']";
        if (!mf.xml.select(ia, mf.ns).empty()) md.changes.push_back(change("removeXML", ia, ""));
      }
      md.changes.push_back(change("changeAttribute", target + "/@" + value_attribute(mf, id, kind, target),
                                  number(value)));
    }
    for (PluginRecord& r : plugins) {
      if (r.path.empty()) continue;
      const auto it = plugin_sources.find(fs::absolute(r.path).lexically_normal().string());
      r.path = it == plugin_sources.end() ? r.path : it->second;
    }
    md.plugins = plugins;
    doc.models.push_back(md);

    if (run.steady && (run.stochastic || run.reduction != ExportRun::Reduction::None))
      throw Error(ErrorKind::Usage, element + ": a steady state is neither stochastic nor reduced");
    // The run's simulation over [0, end] with its output grid from `start`.
    auto simulation = [&](const std::string& base, double start, double end, long points) {
      Simulation sim;
      sim.id = unique(p + base);
      sim.type = "uniformTimeCourse";
      sim.initial_time = 0.0;
      sim.output_start = start;
      sim.output_end = end;
      sim.points = points;
      if (run.steady) {
        // axisim's solver as `axisim run` reads KINSOL's parameters (kisao.cpp,
        // apply_steady_state_parameters): the tolerances of its last Newton step, its iterations and
        // how far the integration fallback may go.
        const SteadyStateOptions& so = run.steady_options;
        if (so.method != SteadyStateMethod::Auto)
          throw Error(ErrorKind::Unsupported, element + ": steady-state method '" + steady_state_method_name(so.method) +
                                                  "' is not expressed in SED-ML (axisim run tries Newton, pseudo-transient "
                                                  "continuation and integration in turn)");
        if (so.time != 0.0)
          throw Error(ErrorKind::Unsupported, element + ": formulas frozen at time " + number(so.time) +
                                                  " are not expressed in SED-ML (a steadyState has no time)");
        sim.type = "steadyState";
        sim.kisao = "KISAO:0000282";
        sim.parameters = {{"KISAO:0000209", number(so.rtol)},
                          {"KISAO:0000211", number(so.atol)},
                          {"KISAO:0000486", std::to_string(so.max_iterations)}};
        if (so.max_integration_time != SteadyStateOptions{}.max_integration_time)
          sim.parameters.push_back({"KISAO:0000679", number(so.max_integration_time)});
      } else if (run.stochastic) {
        if (run.replicates < 1) throw Error(ErrorKind::Usage, element + ": replicates must be at least 1");
        sim.kisao = "KISAO:0000029";
        sim.parameters = {{"KISAO:0000488", std::to_string(run.options.seed)}};
        if (run.replicates > 1) sim.parameters.push_back({"KISAO:0000498", std::to_string(run.replicates)});
      } else {
        sim.kisao = "KISAO:0000019";
        sim.parameters = {{"KISAO:0000209", number(run.options.rtol)},
                          {"KISAO:0000211", number(run.options.atol)},
                          {"KISAO:0000415", std::to_string(run.options.max_steps)}};
        if (run.options.seed != SimulationOptions{}.seed)
          sim.parameters.push_back({"KISAO:0000488", std::to_string(run.options.seed)});
      }
      doc.simulations.push_back(sim);
      Task task;
      task.id = unique(p + (base == "simulation" ? std::string("task") : base + "_task"));
      task.type = "task";
      task.model_ref = md.id;
      task.sim_ref = sim.id;
      doc.tasks.push_back(task);
      return task.id;
    };
    const bool final_only = run.reduction == ExportRun::Reduction::Final;
    const bool summary = run.reduction == ExportRun::Reduction::Summary;
    const double start = run.options.start, end = run.options.end;
    // "final": the value at the end as a time course whose output starts and ends there (two rows,
    // both at `end`, reduced by min to one). The integration does not stop at output times, so
    // the value is the one the whole grid's run reaches there (docs/sedml.md).
    const std::string task = final_only ? simulation("final", end, end, 1) : simulation("simulation", start, end, run.options.steps);
    std::string first_task, last_task;  // summary: the values at start and end, when asked for
    if (summary) {
      for (const std::string& st : run.statistics) {
        if (st != "initial" && st != "final" && st != "min" && st != "max" && st != "mean" && st != "auc" && st != "tmin" &&
            st != "tmax")
          throw Error(ErrorKind::Unsupported, element + ": summary statistic '" + st + "' is not known to the export");
      }
      auto wants = [&](std::initializer_list<const char*> names) {
        for (const char* n : names)
          if (std::find(run.statistics.begin(), run.statistics.end(), n) != run.statistics.end()) return true;
        return false;
      };
      if (wants({"initial", "mean", "auc"})) first_task = simulation("initial", start, start, 1);
      if (wants({"final", "mean", "auc"})) last_task = simulation("final", end, end, 1);
    }

    std::vector<OutputSpec> outputs = run.outputs;
    auto listed = [&](const std::string& id) {
      return std::any_of(outputs.begin(), outputs.end(), [&](const OutputSpec& o) { return o.id == id; });
    };
    if (outputs.empty()) {
      for (const std::string& id : mf.model.ids())
        if (mf.model.kind(id) == SymbolKind::Species) outputs.push_back({id});
    }
    if (run.outputs.empty() || run.add_plugin_outputs)
      for (const Model::AttachedPlugin& a : check.plugins())
        for (const std::string& out : a.outputs)
          if (!listed(a.name + "." + out)) outputs.push_back({a.name + "." + out});
    Output report{unique(p + "report"), name, "report", {}, {}, {}, {}, {}};
    Output plot{unique(p + "plot"), name, "plot2D", {}, {}, {}, {}, {}};
    std::string time_dg;
    if (!run.steady && !summary) {
      time_dg = unique(p + "time");
      generator(time_dg, "time", {task_variable("t", "", "urn:sedml:symbol:time", task)},
                final_only ? reduce("min", "t") : identifier("t"));
      report.data_sets.push_back({unique(p + "ds_time"), "time", "time", time_dg});
    }
    for (const OutputSpec& o : outputs) {
      if (o.id == "time") continue;
      const std::string what = element + " output '" + o.id + "'";
      if (o.quantity != Quantity::Default)
        throw Error(ErrorKind::Unsupported, what + ": an amount or concentration other than the model's own quantity is "
                                                   "not expressed in the exported SED-ML (Level 1 Version 3)");
      // A variable on `t` (a task) named v: a plugin's value by symbol, a model element by XPath.
      auto variable = [&](const std::string& id, const std::string& t) {
        const auto dot = o.id.find('.');
        const bool plugin = dot != std::string::npos && !check.has_id(o.id);
        if (plugin) {
          const auto attached = check.plugins();
          const auto a = std::find_if(attached.begin(), attached.end(), [&](const auto& x) { return x.name == o.id.substr(0, dot); });
          const std::string q = o.id.substr(dot + 1);
          if (a == attached.end() || (std::find(a->states.begin(), a->states.end(), q) == a->states.end() &&
                                      std::find(a->outputs.begin(), a->outputs.end(), q) == a->outputs.end()))
            throw Error(ErrorKind::UnknownId, what + ": not an id of " + run.model_path + " nor a state or output of an attached plugin");
          return task_variable(id, "", std::string(kPluginSymbol) + o.id, t);
        }
        if (!mf.model.has_id(o.id)) throw Error(ErrorKind::UnknownId, what + ": not an id of " + run.model_path);
        const SymbolKind kind = mf.model.kind(o.id);
        if (kind == SymbolKind::LocalParameter)
          throw Error(ErrorKind::Unsupported, what + ": a local parameter cannot be an output in SED-ML here");
        return task_variable(id, element_target(mf, o.id, kind, what), "", t, mf.ns);
      };
      const std::string label = run.stochastic && run.replicates > 1 ? o.id + "-mean" : o.id;
      if (summary) {
        for (const std::string& st : run.statistics) {
          const std::string dg = unique(p + st + "_" + sid(o.id));
          const std::string title = st + "(" + label + ")";
          std::vector<Variable> vars{variable("v", task)};
          MathNode math;
          if (st == "min" || st == "max") math = reduce(st, "v");
          else if (st == "tmin" || st == "tmax") {
            // KiSAO has no "time of the extreme" term (its aggregations, KISAO:0000824's children,
            // reduce values only), so the time is said in SED-ML math: the output times at which
            // v equals its extreme, others replaced by the last output time, and the least of
            // them: the first time the extreme is reached, as the batch's tmin/tmax.
            vars.push_back(task_variable("t", "", "urn:sedml:symbol:time", task));
            MathNode at = MathNode{MathNode::Kind::Piecewise, 0.0, "",
                                   {identifier("t"), apply("eq", {identifier("v"), reduce(st == "tmin" ? "min" : "max", "v")}),
                                    reduce("max", "t")},
                                   false};
            math = apply("min", {at});
          } else if (st == "initial" || st == "final") {
            vars = {variable("v", st == "initial" ? first_task : last_task)};
            math = reduce("min", "v");
          } else {
            // Trapezoidal, on the uniform grid of n = steps + 1 points with step h:
            // auc = h (sum - (first + last) / 2), mean = auc / (end - start) = that sum / steps.
            vars.push_back(variable("a", first_task));
            vars.push_back(variable("b", last_task));
            const double steps = run.options.steps;
            MathNode inner = apply("minus", {reduce("sum", "v"),
                                             apply("divide", {apply("plus", {reduce("min", "a"), reduce("min", "b")}), constant(2)})});
            math = st == "auc" ? apply("times", {constant((end - start) / steps), inner}) : apply("divide", {inner, constant(steps)});
          }
          generator(dg, title, vars, math);
          report.data_sets.push_back({unique(p + "ds_" + st + "_" + sid(o.id)), title, title, dg});
        }
        continue;
      }
      const std::string dg = unique(p + sid(o.id));
      generator(dg, o.id, {variable("v", task)}, final_only ? reduce("min", "v") : identifier("v"));
      report.data_sets.push_back({unique(p + "ds_" + sid(o.id)), label, label, dg});
      if (!time_dg.empty() && !final_only) {
        plot.curves.push_back({unique(p + "curve_" + sid(o.id)), {time_dg, dg}});
        plot.data_refs.push_back(time_dg);
        plot.data_refs.push_back(dg);
      }
    }
    doc.outputs.push_back(report);
    if (!plot.curves.empty()) doc.outputs.push_back(plot);
  }

  void single(bool s) { single_ = s; }

 private:
  std::map<std::string, std::unique_ptr<ModelFile>> files_;
  std::set<std::string> ids_;
  bool single_ = true;

  static std::string number(double v) {  // the shortest text that reads back as the same double
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
  }

  std::string unique(const std::string& base) {
    std::string id = base;
    for (int n = 2; ids_.count(id); ++n) id = base + "_" + std::to_string(n);
    ids_.insert(id);
    return id;
  }

  ModelFile& file(const std::string& path) {
    auto& slot = files_[path];
    if (!slot) {
      LoadOptions load;
      load.validate = false;  // the run that reads the export checks it; here only ids and kinds are needed
      Model m = Model::from_file(path, load);
      SbmlXml x = SbmlXml::from_file(path);
      Namespaces ns{{"sbml", x.root_namespace()}};
      slot = std::make_unique<ModelFile>(ModelFile{std::move(m), std::move(x), std::move(ns)});
    }
    return *slot;
  }

  Change change(const std::string& type, const std::string& target, const std::string& value) const {
    Change c;
    c.type = type;
    c.target = target;
    c.new_value = value;
    return c;
  }

  void generator(const std::string& id, const std::string& name, const std::vector<Variable>& vars, const MathNode& math) {
    DataGenerator g{id, name, vars, {}, math};
    doc.generators.push_back(std::move(g));
  }
  static MathNode identifier(const std::string& id) { return MathNode{MathNode::Kind::Identifier, 0.0, id, {}, false}; }
  static MathNode constant(double v) { return MathNode{MathNode::Kind::Number, v, "", {}, false}; }
  static MathNode apply(const std::string& op, std::vector<MathNode> args) {
    return MathNode{MathNode::Kind::Apply, 0.0, op, std::move(args), false};
  }
  // SED-ML's reduction of one series (min, max, sum; Level 1 Version 2 on) to one value.
  static MathNode reduce(const std::string& op, const std::string& id) { return apply(op, {identifier(id)}); }

  // The XPath of the element that holds `id`, checked to select exactly one element.
  std::string element_target(const ModelFile& mf, const std::string& id, SymbolKind kind, const std::string& what) const {
    std::vector<std::string> candidates;
    const std::string m = kModel;
    switch (kind) {
      case SymbolKind::Species: candidates = {m + "/sbml:listOfSpecies/sbml:species[@id='" + id + "']"}; break;
      case SymbolKind::Compartment: candidates = {m + "/sbml:listOfCompartments/sbml:compartment[@id='" + id + "']"}; break;
      case SymbolKind::Parameter: candidates = {m + "/sbml:listOfParameters/sbml:parameter[@id='" + id + "']"}; break;
      case SymbolKind::Reaction: candidates = {m + "/sbml:listOfReactions/sbml:reaction[@id='" + id + "']"}; break;
      case SymbolKind::SpeciesReference:
        for (const char* list : {"listOfReactants", "listOfProducts"})
          candidates.push_back(m + "/sbml:listOfReactions/sbml:reaction/sbml:" + list + "/sbml:speciesReference[@id='" + id + "']");
        break;
      case SymbolKind::LocalParameter: {
        const auto dot = id.find('.');
        const std::string r = m + "/sbml:listOfReactions/sbml:reaction[@id='" + id.substr(0, dot) + "']/sbml:kineticLaw/";
        const std::string p = id.substr(dot + 1);
        candidates = {r + "sbml:listOfLocalParameters/sbml:localParameter[@id='" + p + "']",
                      r + "sbml:listOfParameters/sbml:parameter[@id='" + p + "']"};
        break;
      }
    }
    for (const std::string& c : candidates)
      if (mf.xml.select(c, mf.ns).size() == 1) return c;
    throw Error(ErrorKind::Unsupported, what + ": '" + id + "' is not an element SED-ML can name by XPath in the model "
                                               "(a hierarchical model's ids are exported after --flatten)");
  }

  // The attribute Model::set_value sets: a species' initialConcentration, or its initialAmount
  // when the model reads it as an amount (hasOnlySubstanceUnits, or Level 1).
  std::string value_attribute(const ModelFile& mf, const std::string& id, SymbolKind kind, const std::string& target) const {
    const bool level1 = mf.ns.at("sbml").find("level1") != std::string::npos;
    switch (kind) {
      case SymbolKind::Species: {
        const auto h = mf.xml.select(target + "/@hasOnlySubstanceUnits", mf.ns);
        const bool amount = level1 || (!h.empty() && (h[0].value == "true" || h[0].value == "1"));
        return amount ? "initialAmount" : "initialConcentration";
      }
      case SymbolKind::Compartment: return level1 ? "volume" : "size";
      case SymbolKind::SpeciesReference: return "stoichiometry";
      default: (void)id; return "value";
    }
  }
};

Document build(const std::vector<ExportRun>& runs, const std::vector<std::string>& sources,
               const std::map<std::string, std::string>& plugin_sources) {
  if (runs.empty()) throw Error(ErrorKind::Usage, "nothing to export: no runs");
  Builder b;
  b.doc.level = 1;
  b.doc.version = 3;
  // steadyState is a Version 4 element (Version 3 has only time courses and oneStep).
  for (const ExportRun& r : runs)
    if (r.steady) b.doc.version = 4;
  b.single(runs.size() == 1);
  std::set<std::string> names;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].id.empty() && !names.insert(runs[i].id).second)
      throw Error(ErrorKind::Usage, "run '" + runs[i].id + "' is named twice");
    b.add(runs[i], i, sources[i], plugin_sources);
  }
  return std::move(b.doc);
}

// The file names of the models in an archive: each file once, by its name, numbered on collision.
std::map<std::string, std::string> archive_names(const std::vector<ExportRun>& runs) {
  std::map<std::string, std::string> out;  // absolute path -> name
  std::set<std::string> taken{"manifest.xml", "experiment.sedml", "metadata.rdf"};
  for (const ExportRun& r : runs) {
    const std::string abs = fs::absolute(r.model_path).lexically_normal().string();
    if (out.count(abs)) continue;
    const fs::path p(abs);
    std::string name = p.filename().string();
    for (int n = 2; taken.count(name); ++n) name = p.stem().string() + "_" + std::to_string(n) + p.extension().string();
    taken.insert(name);
    out[abs] = name;
  }
  return out;
}

std::string format_of(const std::string& name, bool sedml) {
  const std::string base = "http://identifiers.org/combine.specifications/";
  if (sedml || ends_with_ci(name, ".sedml")) return base + "sed-ml";
  if (ends_with_ci(name, ".xml") || ends_with_ci(name, ".sbml")) return base + "sbml";
  if (ends_with_ci(name, ".rdf")) return base + "omex-metadata";
  if (ends_with_ci(name, ".csv")) return "http://purl.org/NET/mediatypes/text/csv";
  if (ends_with_ci(name, ".numl")) return base + "numl";
  return "http://purl.org/NET/mediatypes/application/octet-stream";
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string manifest_for(const std::vector<ArchiveEntry>& entries, const std::vector<std::string>& sedml) {
  std::ostringstream m;
  m << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
       "  <content location=\".\" format=\"http://identifiers.org/combine.specifications/omex\"/>\n";
  bool master = false;
  for (const ArchiveEntry& e : entries) {
    if (e.name == "manifest.xml") continue;
    const bool is_sedml = std::find(sedml.begin(), sedml.end(), e.name) != sedml.end();
    m << "  <content location=\"./" << xml_escape(e.name) << "\" format=\"" << format_of(e.name, is_sedml) << '"';
    if (is_sedml && !master) {
      m << " master=\"true\"";
      master = true;
    }
    m << "/>\n";
  }
  m << "</omexManifest>\n";
  return m.str();
}

// Plugin libraries named by path (ExportRun::plugins' `path`), by absolute path: a user who named
// the file expects the run to find that file, which the plugin path may not hold. Plugins found
// by name are written by name, as the SBML export records them.
std::set<std::string> plugin_libraries(const std::vector<ExportRun>& runs) {
  std::set<std::string> out;
  for (const ExportRun& r : runs)
    for (const PluginRecord& p : r.plugins)
      if (!p.path.empty()) out.insert(fs::absolute(p.path).lexically_normal().string());
  return out;
}

void export_sedml(const std::vector<ExportRun>& runs, const std::string& sedml_path) {
  const fs::path dir = fs::absolute(sedml_path).parent_path();
  auto relative = [&](const std::string& path) {
    const fs::path abs = fs::absolute(path).lexically_normal();
    const fs::path rel = abs.lexically_relative(dir);
    return rel.empty() ? abs.generic_string() : rel.generic_string();
  };
  std::vector<std::string> sources;
  for (const ExportRun& r : runs) sources.push_back(relative(r.model_path));
  std::map<std::string, std::string> plugin_sources;
  for (const std::string& lib : plugin_libraries(runs)) plugin_sources[lib] = relative(lib);
  const Document doc = build(runs, sources, plugin_sources);
  write_text(sedml_path, write_document(doc));
}

void export_omex(const std::vector<ExportRun>& runs, const std::string& omex_path) {
  const auto names = archive_names(runs);
  std::vector<std::string> sources;
  for (const ExportRun& r : runs) sources.push_back(names.at(fs::absolute(r.model_path).lexically_normal().string()));
  // A plugin library named by path goes into the archive, under plugins/ (numbered on collision).
  std::map<std::string, std::string> plugin_sources;
  std::set<std::string> taken;
  for (const std::string& lib : plugin_libraries(runs)) {
    const fs::path p(lib);
    std::string entry = "plugins/" + p.filename().string();
    for (int n = 2; taken.count(entry); ++n) entry = "plugins/" + p.stem().string() + "_" + std::to_string(n) + p.extension().string();
    taken.insert(entry);
    plugin_sources[lib] = entry;
  }
  const Document doc = build(runs, sources, plugin_sources);
  std::vector<ArchiveEntry> entries{{"manifest.xml", ""}, {"experiment.sedml", write_document(doc)}};
  for (const auto& [path, name] : names) entries.push_back({name, read_bytes(path)});
  for (const auto& [path, name] : plugin_sources) entries.push_back({name, read_bytes(path)});
  entries[0].bytes = manifest_for(entries, {"experiment.sedml"});
  write_archive(omex_path, entries);
}

namespace {

// A document read as `axisim run` reads it, refused when anything could not be read (a
// re-export would silently drop it).
Document read_for_export(const fs::path& path, const std::string& location) {
  Document doc = read_document(path.string());
  if (!doc.problems.empty()) {
    const Problem& p = doc.problems.front();
    throw Error(p.kind, location + ": " + p.element + ": " + p.message + " (not exported: the document would not be the same)");
  }
  return doc;
}

bool is_local_source(const std::string& s) {
  return !s.empty() && s[0] != '#' && s.find(':') == std::string::npos;
}

}  // namespace

void reexport(const std::string& input, const std::string& output) {
  const bool out_archive = is_archive_name(output);
  if (is_archive_name(input)) {
    if (!out_archive) throw Error(ErrorKind::Usage, input + ": an archive is exported again as an archive (--omex)");
    TempDir tmp;
    unpack_archive(input, tmp.path.string());
    const std::vector<std::string> documents = sedml_documents_in(tmp.path.string());
    if (documents.empty()) throw Error(ErrorKind::InvalidSbml, input + ": the archive holds no SED-ML document");
    std::vector<ArchiveEntry> entries;
    bool has_manifest = false;
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(tmp.path))
      if (e.is_regular_file()) files.push_back(fs::relative(e.path(), tmp.path).generic_string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      if (f == "manifest.xml") has_manifest = true;
      const bool doc = std::find(documents.begin(), documents.end(), f) != documents.end();
      entries.push_back({f, doc ? write_document(read_for_export(tmp.path / f, f)) : read_bytes(tmp.path / f)});
    }
    if (!has_manifest) entries.insert(entries.begin(), ArchiveEntry{"manifest.xml", manifest_for(entries, documents)});
    write_archive(output, entries);
    return;
  }
  Document doc = read_for_export(input, fs::path(input).filename().string());
  const fs::path in_dir = fs::absolute(input).parent_path();
  if (!out_archive) {
    // Relative model paths are rewritten relative to where the document goes.
    const fs::path out_dir = fs::absolute(output).parent_path();
    std::set<std::string> model_ids;
    for (const ModelDef& m : doc.models) model_ids.insert(m.id);
    for (ModelDef& m : doc.models)
      if (is_local_source(m.source) && !model_ids.count(m.source)) {
        const fs::path model = (in_dir / m.source).lexically_normal();
        const fs::path rel = model.lexically_relative(out_dir);
        m.source = rel.empty() ? model.generic_string() : rel.generic_string();
      }
    // So are the plugin libraries a model's axisim annotation names by relative path.
    for (ModelDef& m : doc.models)
      for (PluginRecord& r : m.plugins)
        if (!r.path.empty() && fs::path(r.path).is_relative()) {
          const fs::path lib = (in_dir / r.path).lexically_normal();
          const fs::path rel = lib.lexically_relative(out_dir);
          r.path = rel.empty() ? lib.generic_string() : rel.generic_string();
        }
    if (out_dir.lexically_normal() != in_dir.lexically_normal())
      for (const DataDescription& d : doc.data_descriptions)
        if (is_local_source(d.source))
          throw Error(ErrorKind::Unsupported, input + ": dataDescription '" + d.id + "' names its file '" + d.source +
                                                  "' by a relative path, which axisim does not rewrite: write the "
                                                  "document beside the original, or as an archive (--omex)");
    write_text(output, write_document(doc));
    return;
  }
  const std::string name = fs::path(input).filename().string();
  std::vector<ArchiveEntry> entries{{"manifest.xml", ""}, {name, ""}};
  std::map<std::string, std::string> copied;  // source -> entry name
  std::set<std::string> taken{"manifest.xml", name};
  std::set<std::string> model_ids;
  for (const ModelDef& m : doc.models) model_ids.insert(m.id);
  for (ModelDef& m : doc.models) {
    if (!is_local_source(m.source) || model_ids.count(m.source)) continue;
    auto it = copied.find(m.source);
    if (it == copied.end()) {
      const fs::path src = (in_dir / m.source).lexically_normal();
      fs::path rel = fs::path(m.source).lexically_normal();
      std::string entry = rel.is_relative() && !rel.empty() && *rel.begin() != ".." ? rel.generic_string() : src.filename().string();
      for (int n = 2; taken.count(entry); ++n) entry = src.stem().string() + "_" + std::to_string(n) + src.extension().string();
      taken.insert(entry);
      entries.push_back({entry, read_bytes(src)});
      it = copied.emplace(m.source, entry).first;
    }
    m.source = it->second;
  }
  // Plugin libraries a model's axisim annotation names by path go in under plugins/.
  for (ModelDef& m : doc.models)
    for (PluginRecord& r : m.plugins) {
      if (r.path.empty()) continue;
      auto it = copied.find("plugin:" + r.path);
      if (it == copied.end()) {
        const fs::path src = fs::path(r.path).is_relative() ? (in_dir / r.path).lexically_normal() : fs::path(r.path);
        std::string entry = "plugins/" + src.filename().string();
        for (int n = 2; taken.count(entry); ++n) entry = "plugins/" + src.stem().string() + "_" + std::to_string(n) + src.extension().string();
        taken.insert(entry);
        entries.push_back({entry, read_bytes(src)});
        it = copied.emplace("plugin:" + r.path, entry).first;
      }
      r.path = it->second;
    }
  // Data files named by relative path go in under the same path (the element is written as read).
  for (const DataDescription& d : doc.data_descriptions) {
    if (!is_local_source(d.source)) continue;
    const fs::path rel = fs::path(d.source).lexically_normal();
    if (!rel.is_relative() || rel.empty() || *rel.begin() == "..")
      throw Error(ErrorKind::Unsupported, input + ": dataDescription '" + d.id + "' names '" + d.source +
                                              "', outside the document's folder: it cannot go into the archive under that name");
    if (taken.insert(rel.generic_string()).second) entries.push_back({rel.generic_string(), read_bytes(in_dir / rel)});
  }
  entries[1].bytes = write_document(doc);
  entries[0].bytes = manifest_for(entries, {name});
  write_archive(output, entries);
}

}  // namespace axisim::sedml
