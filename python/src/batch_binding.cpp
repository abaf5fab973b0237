// batch_binding.cpp — axisim.batch() runs a job list with the batch library (axisim/batch.hpp),
// exactly as `axisim batch JOBS -o OUTDIR -j N` does in one process (no MPI): prepare the output
// folder, run the jobs on the workers, merge stochastic ensembles, write the summary. The Python
// side (python/axisim/_batch.py) turns job dicts into job-file text and reads the results back.
#include <pybind11/stl.h>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"
#include "bindings.hpp"

namespace axisim::python {

void bind_batch(py::module_& m) {
  m.def(
      "_run_batch",
      [](const std::string& source, bool is_text, const std::string& base_dir, const std::string& outdir,
         int workers, bool resume, bool overwrite, const std::vector<std::string>& dirs, const std::string& backend,
         double max_seconds, bool progress) {
        batch::JobList jobs = is_text ? batch::parse_job_text(source, "<jobs>", base_dir) : batch::load_job_file(source);
        if (workers < 1) throw Error(ErrorKind::Usage, "workers must be at least 1, got " + std::to_string(workers));
        batch::RunOptions o;
        o.outdir = outdir;
        o.threads = workers;
        o.resume = resume;
        o.overwrite = overwrite;
        o.progress = progress;
        o.plugin_dirs = plugin_dirs(dirs);
        o.backend = backend_from_name(backend);
        o.max_seconds = max_seconds;
        std::vector<std::string> ids;
        for (const auto& j : jobs.jobs) ids.push_back(j.id);
        batch::RunCounts counts;
        batch::SummaryCounts summary;
        {
          WithoutGil release;
          batch::prepare_outdir(jobs, o);
          counts = batch::run_jobs(jobs, o);
          batch::finish_ensembles(jobs, o);
          summary = batch::write_summary(jobs, outdir);
        }
        py::dict d;
        d["jobs"] = ids;
        d["ran"] = counts.ran;
        d["already_complete"] = counts.already_complete;
        d["ok"] = summary.ok;
        d["failed"] = summary.failed;
        d["timed_out"] = summary.timed_out;
        d["not_run"] = summary.not_run;
        d["wall_seconds"] = counts.wall_seconds;
        return d;
      },
      py::arg("source"), py::arg("is_text"), py::arg("base_dir"), py::arg("outdir"), py::arg("workers"),
      py::arg("resume"), py::arg("overwrite"), py::arg("plugin_dirs"), py::arg("backend"), py::arg("max_seconds"),
      py::arg("progress"));
}

}  // namespace axisim::python
