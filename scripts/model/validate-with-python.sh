#!/usr/bin/env bash
# Validates an SBML file with libSBML's Python bindings (Debian python3-sbml5), unit checks
# included: fails on any error or warning. Usage: validate-with-python.sh [MODEL.xml]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
model="${1:-$here/../../sbml-models/gut_liver_igf1.xml}"
py="${PYTHON3:-/usr/bin/python3}"
exec "$py" - "$model" <<'PY'
import sys
try:
    import libsbml
except ImportError:
    sys.exit("validate-with-python: libSBML's Python bindings are missing (apt-get install python3-sbml5)")
path = sys.argv[1]
doc = libsbml.readSBMLFromFile(path)
doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
doc.setConsistencyChecks(libsbml.LIBSBML_CAT_MODELING_PRACTICE, False)
doc.checkConsistency()
n = doc.getNumErrors()
for i in range(n):
    e = doc.getError(i)
    print(f"{path}:{e.getLine()}: {e.getSeverityAsString()} {e.getErrorId()}: {e.getMessage().strip()}")
m = doc.getModel()
print(f"{path}: libSBML {libsbml.getLibSBMLDottedVersion()}: SBML L{doc.getLevel()}V{doc.getVersion()}, "
      f"{m.getNumSpecies()} species, {m.getNumReactions()} reactions, {m.getNumParameters()} parameters: "
      f"{n} error(s) or warning(s)")
sys.exit(1 if n else 0)
PY
