#!/usr/bin/env bash
# with_corpus.sh CONFIGURED_DIR COMMAND [ARG...]
#
# Runs COMMAND with "@CORPUS@" in its arguments replaced by the SED-ML corpus folder (the one
# holding INDEX.tsv): $AXISIM_SEDML_CORPUS_DIR when the test runs, else CONFIGURED_DIR (CMake's
# AXISIM_SEDML_CORPUS_DIR, by default ../shared/sedml-corpus beside the repository). Without
# one the test is skipped (exit 77) saying how to point at a copy; with
# AXISIM_REQUIRE_SEDML_CORPUS=1 a missing corpus fails the test instead.
set -euo pipefail
configured=${1:?usage: with_corpus.sh CONFIGURED_DIR COMMAND [ARG...]}
shift
corpus=""
looked=()
for candidate in "${AXISIM_SEDML_CORPUS_DIR:-}" "$configured"; do
  [[ -n $candidate ]] || continue
  looked+=("$candidate")
  if [[ -f $candidate/INDEX.tsv ]]; then
    corpus=$candidate
    break
  fi
done
if [[ -z $corpus ]]; then
  {
    echo "The SED-ML corpus is not here: no INDEX.tsv in ${looked[*]:-(nothing given)}."
    echo "To run this test, point at a copy laid out as ../shared/sedml-corpus (case folders and INDEX.tsv):"
    echo "  AXISIM_SEDML_CORPUS_DIR=/path/to/sedml-corpus ctest --test-dir build -R sedml_corpus"
  } >&2
  if [[ ${AXISIM_REQUIRE_SEDML_CORPUS:-0} == 1 ]]; then
    echo "FAILED: AXISIM_REQUIRE_SEDML_CORPUS=1 and the corpus is missing." >&2
    exit 1
  fi
  echo "SKIPPED: the SED-ML corpus was not found." >&2
  exit 77
fi
args=()
for a in "$@"; do args+=("${a//@CORPUS@/$corpus}"); done
exec "${args[@]}"
