#!/usr/bin/env bash
# Installs the Debian packages axisim needs to build and test, if any are missing.
# Safe to run repeatedly: it calls apt-get only when something is absent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsbml5-dev libsundials-dev libsuitesparse-dev libeigen3-dev libglpk-dev
  libboost-dev libboost-filesystem-dev
  libspdlog-dev libcli11-dev catch2
  libtomlplusplus-dev
  libopenmpi-dev openmpi-bin
  graphviz gnuplot-nox python3-sbml5
  libxml2-dev libzip-dev libhdf5-dev libyaml-cpp-dev libnlopt-dev libpagmo-dev
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-pandas python3-matplotlib jupyter-nbconvert python3-nbformat python3-ipykernel
  python3-pip python3-setuptools python3-wheel python3-yaml
)
# libxml2-dev: SED-ML (sedml/); libzip-dev: COMBINE/OMEX archives (`axisim run ARCHIVE.omex`);
# libhdf5-dev: `axisim run`'s reports.h5 and the SED-ML corpus runner's reference results (tests/sedml);
# libnlopt-dev: the parameter estimation's global and derivative-free optimisers (NLopt);
# libpagmo-dev: its simulated annealing, particle swarm, genetic algorithm and compass search (pagmo2,
# with Boost.Serialization and TBB, which it pulls in);
# libyaml-cpp-dev: `axisim run`'s log.yml (the BioSimulators log of what ran) and its test;
# python3-yaml: tests/sedml/cli_stop.sh parses the log.yml a stopped run leaves.
# python3-dev ... python3-ipykernel: the Python module (python/, docs/python.md), its tests and
# the notebook examples/flagship.ipynb, the wheel (python3-pip, -setuptools, -wheel: python/setup.py,
# ctest python_wheel), for Debian's interpreter /usr/bin/python3 (the build is
# skipped, saying so, without python3-dev and pybind11-dev).
# The sanitizer and fuzzing build (scripts/sanitize-test.sh): installed when possible; without
# them that part of the tests is skipped, saying why (and fails when CI is set).
optional=(clang-14 libclang-rt-14-dev)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  installed "$p" || missing_optional+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
  exit 0
fi

[ ${#missing[@]} -gt 0 ] && echo "install-deps: installing ${missing[*]} ${missing_optional[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -eq 0 ]; then
  # Only optional packages are missing: try, and go on without them.
  echo "install-deps: installing ${missing_optional[*]} (optional: the sanitizer and fuzzing build)" >&2
  { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "${missing_optional[@]}"; } ||
    echo "install-deps: could not install ${missing_optional[*]}; the sanitizer and fuzzing tests will be skipped" >&2
  exit 0
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
if [ ${#missing_optional[@]} -gt 0 ]; then
  $SUDO apt-get install -y -q --no-install-recommends "${missing_optional[@]}" ||
    echo "install-deps: could not install ${missing_optional[*]}; the sanitizer and fuzzing tests will be skipped" >&2
fi
