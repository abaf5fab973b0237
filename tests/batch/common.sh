# common.sh — helpers for the batch tests (sourced). Usage of each test script:
#   bash SCRIPT AXISIM_EXECUTABLE DATA_DIR WORK_DIR
set -euo pipefail
axisim="$1"
data="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
check() {  # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  "$@" || fail "$what"
}
# The number of complete results in OUTDIR.
count_results() { find "$1/results" -maxdepth 1 -name '*.csv' | wc -l; }
# Every result of OUTDIR has ROWS data rows, each with the header's number of numeric fields.
check_results_complete() {
  local outdir="$1" rows="$2" f
  for f in "$outdir"/results/*.csv; do
    awk -F, -v rows="$rows" -v f="$f" '
      NR == 1 { n = NF; next }
      { if (NF != n) { print f ": row " NR " has " NF " fields, not " n; bad = 1 }
        for (i = 1; i <= NF; i++) if ($i !~ /^-?([0-9.]+([eE][-+]?[0-9]+)?|NaN|INF)$/) { print f ": not a number: " $i; bad = 1 } }
      END { if (NR - 1 != rows) { print f ": " NR - 1 " rows, not " rows; bad = 1 } exit bad }' "$f" || return 1
  done
}
# summary.csv without the columns that legitimately differ between runs (times, worker).
stable_summary() { cut -d, -f1-4,7-12,14 "$1/summary.csv"; }
