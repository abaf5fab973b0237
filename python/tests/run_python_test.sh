#!/bin/sh
# run_python_test.sh MODULE PYTHON ARGS...: runs PYTHON ARGS... when PYTHON can import MODULE
# (pytest, nbconvert); otherwise says why and exits 77 (ctest: skipped), or 1 when CI is set.
module=$1
python=$2
shift 2
if ! "$python" -c "import $module, numpy" 2>/dev/null; then
  echo "SKIPPED: $python cannot import $module or numpy (Debian: python3-pytest, jupyter-nbconvert," \
       "python3-ipykernel, python3-numpy; scripts/install-deps.sh installs them)" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi
exec "$python" "$@"
