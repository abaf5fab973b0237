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

#include "archive.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/sedml_export.hpp"
#include "document.hpp"
#include "sbml_xml.hpp"
#include "writer.hpp"

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
  // model file in the document.
  void add(const ExportRun& run, std::size_t index, const std::string& source) {
    const std::string name = run.id.empty() ? "run" + std::to_string(index + 1) : run.id;
    const std::string element = "run '" + name + "'";
    ModelFile& mf = file(run.model_path);
    const std::string p = single_ ? "" : sid(name) + "_";

    ModelDef md{unique(p + "model"), kSbmlLanguage, source, {}};
    Model check = mf.model;  // the values are set here too, for the model's own checks
    for (const auto& [id, value] : run.set) {
      const std::string what = element + " --set " + id;
      if (!check.has_id(id))
        throw Error(ErrorKind::UnknownId, what + ": '" + id + "' is not an id of " + run.model_path +
                                              (id.find('.') != std::string::npos ? " (plugin states are not expressed in SED-ML)" : ""));
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
    doc.models.push_back(md);

    Simulation sim;
    sim.id = unique(p + "simulation");
    sim.type = "uniformTimeCourse";
    sim.initial_time = 0.0;
    sim.output_start = run.options.start;
    sim.output_end = run.options.end;
    sim.points = run.options.steps;
    if (run.stochastic) {
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
    task.id = unique(p + "task");
    task.type = "task";
    task.model_ref = md.id;
    task.sim_ref = sim.id;
    doc.tasks.push_back(task);

    std::vector<OutputSpec> outputs = run.outputs;
    if (outputs.empty())
      for (const std::string& id : mf.model.ids())
        if (mf.model.kind(id) == SymbolKind::Species) outputs.push_back({id});
    Output report{unique(p + "report"), name, "report", {}, {}, {}, {}};
    Output plot{unique(p + "plot"), name, "plot2D", {}, {}, {}, {}};
    const std::string time_dg = unique(p + "time");
    generator(time_dg, "time", Variable{"t", "", "urn:sedml:symbol:time", "", task.id, "", {}, "", {}});
    report.data_sets.push_back({unique(p + "ds_time"), "time", "time", time_dg});
    for (const OutputSpec& o : outputs) {
      if (o.id == "time") continue;
      const std::string what = element + " output '" + o.id + "'";
      if (!mf.model.has_id(o.id))
        throw Error(ErrorKind::UnknownId, what + ": not an id of " + run.model_path +
                                              (o.id.find('.') != std::string::npos ? " (plugin outputs are not expressed in SED-ML)" : ""));
      if (o.quantity != Quantity::Default)
        throw Error(ErrorKind::Unsupported, what + ": an amount or concentration other than the model's own quantity is "
                                                   "not expressed in the exported SED-ML (Level 1 Version 3)");
      const SymbolKind kind = mf.model.kind(o.id);
      if (kind == SymbolKind::LocalParameter)
        throw Error(ErrorKind::Unsupported, what + ": a local parameter cannot be an output in SED-ML here");
      Variable v{"v", element_target(mf, o.id, kind, what), "", "", task.id, "", mf.ns, "", {}};
      const std::string dg = unique(p + sid(o.id));
      generator(dg, o.id, v);
      const std::string label = run.stochastic && run.replicates > 1 ? o.id + "-mean" : o.id;
      report.data_sets.push_back({unique(p + "ds_" + sid(o.id)), label, label, dg});
      plot.curves.push_back({unique(p + "curve_" + sid(o.id)), {time_dg, dg}});
      plot.data_refs.push_back(time_dg);
      plot.data_refs.push_back(dg);
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

  void generator(const std::string& id, const std::string& name, const Variable& v) {
    DataGenerator g{id, name, {v}, {}, MathNode{MathNode::Kind::Identifier, 0.0, v.id, {}, false}};
    doc.generators.push_back(std::move(g));
  }

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

Document build(const std::vector<ExportRun>& runs, const std::vector<std::string>& sources) {
  if (runs.empty()) throw Error(ErrorKind::Usage, "nothing to export: no runs");
  Builder b;
  b.doc.level = 1;
  b.doc.version = 3;
  b.single(runs.size() == 1);
  std::set<std::string> names;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].id.empty() && !names.insert(runs[i].id).second)
      throw Error(ErrorKind::Usage, "run '" + runs[i].id + "' is named twice");
    b.add(runs[i], i, sources[i]);
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

void export_sedml(const std::vector<ExportRun>& runs, const std::string& sedml_path) {
  const fs::path dir = fs::absolute(sedml_path).parent_path();
  std::vector<std::string> sources;
  for (const ExportRun& r : runs) {
    const fs::path model = fs::absolute(r.model_path).lexically_normal();
    const fs::path rel = model.lexically_relative(dir);
    sources.push_back(rel.empty() ? model.generic_string() : rel.generic_string());
  }
  const Document doc = build(runs, sources);
  write_text(sedml_path, write_document(doc));
}

void export_omex(const std::vector<ExportRun>& runs, const std::string& omex_path) {
  const auto names = archive_names(runs);
  std::vector<std::string> sources;
  for (const ExportRun& r : runs) sources.push_back(names.at(fs::absolute(r.model_path).lexically_normal().string()));
  const Document doc = build(runs, sources);
  std::vector<ArchiveEntry> entries{{"manifest.xml", ""}, {"experiment.sedml", write_document(doc)}};
  for (const auto& [path, name] : names) entries.push_back({name, read_bytes(path)});
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
