#!/usr/bin/env bash
# The LCMCR coverage check with linkage uncertainty (uncertainty_coverage.cpp) in pieces, so that
# no single run holds the machine long: REPLICATIONS in pieces of PIECE, each under `nice`, then
# the coverages over all of them, each checked against 0.95 less three binomial standard errors
# of a coverage from that many replications.
#
#   bench/linkage/uncertainty_coverage.sh [replications] [piece] [burnin] [people]
#
# The per-replication lines go to build/release/bench/uncertainty_coverage.log (appended to by
# each piece), so that a run stopped half-way can be summed with the summary step alone:
#   bench/linkage/uncertainty_coverage.sh sum
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/build/release/bench/uncertainty_coverage"
log="$root/build/release/bench/uncertainty_coverage.log"

summarise() {
  awk '
    /^replication / { k++; c += $4; t += $6; b += $8; u += $10; if ($12 > h) h = $12; if ($14 > w) w = $14; x += $16 }
    END {
      if (k == 0) { print "no replications in the log"; exit 1 }
      floor = 0.95 - 3 * sqrt(0.95 * 0.05 / k)
      printf "LCMCR, %d replications, 20 linkage draws, 95%% intervals\n", k
      printf "%-50s %.3f (binomial s.e. %.3f)\n", "interval with linkage uncertainty covers N", c / k, sqrt(c / k * (1 - c / k) / k)
      printf "%-50s %.3f (binomial s.e. %.3f)\n", "... contains the estimate on the true captures", t / k, sqrt(t / k * (1 - t / k) / k)
      printf "%-50s %.3f (binomial s.e. %.3f)\n", "best-linkage interval covers N", b / k, sqrt(b / k * (1 - b / k) / k)
      printf "%-50s %.3f (binomial s.e. %.3f)\n", "true-captures interval covers N", u / k, sqrt(u / k * (1 - u / k) / k)
      printf "worst R-hat of N on a linkage draw: %.3f\n", h
      printf "worst within-draw R-hat pooled over the draws: %.4f; pooled estimate trusted in %d of %d\n", w, x, k
      pass = c / k >= floor && t / k >= floor
      printf "%s: both coverages with linkage uncertainty at least %.3f (0.95 less 3 s.e. at k = %d)\n", pass ? "PASS" : "FAIL", floor, k
      exit pass ? 0 : 1
    }' "$log"
}

if [[ ${1:-} == sum ]]; then
  summarise
  exit
fi
replications=${1:-100}
piece=${2:-10}
burnin=${3:-}
people=${4:-2000}
[[ -x $bin ]] || { echo "build the bench first: cmake --build --preset release --target uncertainty_coverage" >&2; exit 1; }
: >"$log"
for ((first = 0; first < replications; first += piece)); do
  n=$((replications - first < piece ? replications - first : piece))
  echo "uncertainty_coverage: replications $first to $((first + n - 1))" >&2
  # Exit 1 is the piece's own check failing: its lines still count in the sum.
  nice -n 10 "$bin" "$n" "$people" "$first" $burnin >"$log.piece" || [[ $? -eq 1 ]]
  grep '^replication ' "$log.piece" >>"$log"
done
summarise
