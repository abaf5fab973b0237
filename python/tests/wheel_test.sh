#!/bin/sh
# wheel_test.sh PYTHON BUILD_DIR SOURCE_DIR CLI: ctest's python_wheel. Builds the wheel from the
# build folder (python/setup.py with AXISIM_BUILD_DIR: the module and plugin targets, up to date
# already), installs it with pip --target into a temporary folder outside the source and build
# trees, and runs wheel_check.py from there with only that folder on PYTHONPATH and no
# AXISIM_PLUGIN_PATH. Skipped, saying why, when PYTHON lacks pip, setuptools, wheel or numpy
# (Debian: python3-pip, python3-setuptools, python3-wheel, python3-numpy); a failure then when CI
# is set.
set -eu
python=$1
build=$(cd "$2" && pwd)
source=$(cd "$3" && pwd)
cli=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
if ! "$python" -c "import setuptools, wheel, pip, numpy" 2>/dev/null; then
  echo "SKIPPED: $python cannot import pip, setuptools, wheel or numpy (Debian: python3-pip," \
       "python3-setuptools, python3-wheel, python3-numpy; scripts/install-deps.sh installs them)" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/axisim-wheel-XXXXXX")
trap 'rm -rf "$work"' EXIT
# (setuptools stages the files in python/build/ and python/axisim.egg-info/, which git ignores)
AXISIM_BUILD_DIR=$build "$python" -m pip wheel --no-build-isolation --no-deps --no-index -q \
  -w "$work/dist" "$source/python"
"$python" -m pip install --no-index --no-deps -q --root-user-action=ignore --target "$work/site" "$work"/dist/axisim-*.whl
cd "$work"
env -u AXISIM_PLUGIN_PATH -u PYTHONPATH PYTHONPATH="$work/site" PYTHONDONTWRITEBYTECODE=1 \
  "$python" "$source/python/tests/wheel_check.py" "$work/site" "$work"/dist/axisim-*.whl "$source" "$cli"
