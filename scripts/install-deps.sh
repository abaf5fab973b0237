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
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
