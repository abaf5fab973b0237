#!/usr/bin/python3
"""Exports a model with `axisim export` to SBML Level 2 Version 4 and Level 3 Version 1 and checks
each file with libSBML's Python bindings (Debian's python3-sbml5): the document must read without
errors and libSBML's full consistency checks (units included) must find no error.

    validate_exports.py AXISIM_CLI MODEL [MODEL ...]

The first MODEL that exists is used (the flagship model first, the bundled example while the
flagship is not there). Exit status 0 on success, 1 on a failure, with the reasons on stderr.
"""
import os
import subprocess
import sys
import tempfile

try:
    import libsbml
except ImportError:
    sys.stderr.write("validate_exports: libSBML's Python bindings are missing: install python3-sbml5 "
                     "(Debian) and run this with the system python3\n")
    sys.exit(1)

TARGETS = [(2, 4), (3, 1)]


def errors_of(doc):
    out = []
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            out.append("line %d: [%d] %s" % (e.getLine(), e.getErrorId(), e.getMessage().strip()))
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cli = argv[1]
    models = [m for m in argv[2:] if os.path.isfile(m)]
    if not models:
        sys.stderr.write("validate_exports: none of these models exists: %s\n" % ", ".join(argv[2:]))
        return 1
    model = models[0]
    print("validate_exports: %s (libSBML %s, Python bindings)" % (model, libsbml.getLibSBMLDottedVersion()))
    failed = False
    with tempfile.TemporaryDirectory(prefix="axisim-export-") as tmp:
        for level, version in TARGETS:
            out = os.path.join(tmp, "model-l%dv%d.xml" % (level, version))
            run = subprocess.run([cli, "export", model, "-o", out, "--level", str(level), "--version", str(version)],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                sys.stderr.write("FAIL L%dV%d: axisim export exited with %d:\n%s\n" %
                                 (level, version, run.returncode, run.stderr))
                failed = True
                continue
            doc = libsbml.readSBMLFromFile(out)
            problems = errors_of(doc)
            if doc.getLevel() != level or doc.getVersion() != version:
                problems.append("the file is Level %d Version %d" % (doc.getLevel(), doc.getVersion()))
            if not problems:
                doc.checkConsistency()  # every category, units included
                problems = errors_of(doc)
            if problems:
                sys.stderr.write("FAIL L%dV%d: libSBML finds %d error(s):\n  %s\n" %
                                 (level, version, len(problems), "\n  ".join(problems[:20])))
                failed = True
            else:
                warnings = doc.getNumErrors()
                print("ok   L%dV%d: %s valid (%d warnings)" % (level, version, os.path.basename(out), warnings))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
