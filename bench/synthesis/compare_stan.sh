#!/bin/sh
# recount's flagship fit against the same model in Stan (bench/synthesis/convicts.stan), seed
# after seed on both sides: 4 chains x 1000 warm-up + 1000 draws, chains in parallel on 2 cores,
# adapt_delta 0.95 for both; effective samples per second = minimum bulk ESS over the parameters
# / wall time of the sampling (Stan's compile time excluded; recount's includes its posterior
# summaries). Before the first timing counts, compare_stan.R checks that convicts.stan is
# recount's model: equal log density up to a constant and equal gradients at 40 points. Prints
# each seed's figures, both sides' medians and ranges, and the ratio of the medians.
#
# Run from anywhere, after building recount:
#   cmake --preset release && cmake --build --preset release -j2 --target recount_cli synthesis_bench
#   sh bench/synthesis/compare_stan.sh [BUILD_DIR] [SEEDS]
# (default build/release and 3 seeds a side, interleaved; about 4 minutes a seed). Needs Debian's
# r-cran-rstan and r-cran-posterior, which `make bench` installs (scripts/install-bench-deps).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
seeds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! Rscript -e 'library(rstan); library(posterior); library(jsonlite)' >/dev/null 2>&1; then
  echo "compare_stan: needs R with rstan and posterior: apt-get install r-cran-rstan r-cran-posterior" >&2
  exit 1
fi
for tool in recount bench/synthesis_bench; do
  [ -x "$build/$tool" ] || { echo "compare_stan: build $build/$tool first (make bench)" >&2; exit 1; }
done

"$build/bench/synthesis_bench" --stan-data="$work/data.json"

echo "compare_stan: compiling convicts.stan (not timed)" >&2
Rscript "$here/compare_stan.R" compile "$here/convicts.stan" "$work/model.rds" \
  > "$work/compile.log" 2>&1 || { cat "$work/compile.log" >&2; exit 1; }

# Seed after seed, recount then Stan, so that a change of the machine's load falls on both sides.
# The first Stan run also checks convicts.stan against recount's density before it counts.
: > "$work/runs.txt"
seed=1
while [ "$seed" -le "$seeds" ]; do
  echo "compare_stan: seed $seed of $seeds: recount" >&2
  "$build/recount" -q --json fit "$root/examples/convicts/model.toml" \
    --claims "$root/examples/convicts/claims.csv" --no-conflicts --seed "$seed" \
    --out "$work/recount-$seed" > "$work/recount-$seed.json"
  recount_run=$(python3 -c "
import json; d = json.load(open('$work/recount-$seed.json'))['diagnostics']
print(d['seconds'], d['min_ess_bulk'])")
  echo "compare_stan: seed $seed of $seeds: Stan" >&2
  check=""
  [ "$seed" -eq 1 ] && check=check
  stan_run=$(Rscript "$here/compare_stan.R" "$work/model.rds" "$work/data.json" \
    "$build/bench/synthesis_bench" "$work" "$seed" $check | tail -n 1)
  echo "$seed $recount_run $stan_run" >> "$work/runs.txt"
  seed=$((seed + 1))
done

python3 - "$work/runs.txt" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
print(f"{'seed':>4} {'recount s':>9} {'min ESS':>8} {'ESS/s':>7} {'Stan s':>8} {'min ESS':>8} "
      f"{'ESS/s':>7} {'ratio':>6}")
ours, theirs, ratios = [], [], []
for seed, rs, re, ss, se in rows:
    ours.append(re / rs); theirs.append(se / ss); ratios.append(ours[-1] / theirs[-1])
    print(f"{seed:4.0f} {rs:9.1f} {re:8.0f} {ours[-1]:7.1f} {ss:8.1f} {se:8.0f} {theirs[-1]:7.1f} "
          f"{ratios[-1]:6.2f}")
m = statistics.median
print(f"recount ESS/s: median {m(ours):.1f} (range {min(ours):.1f}-{max(ours):.1f}); "
      f"Stan: median {m(theirs):.1f} (range {min(theirs):.1f}-{max(theirs):.1f})")
print(f"ratio recount / Stan of the medians: {m(ours) / m(theirs):.2f} "
      f"(per seed {min(ratios):.2f}-{max(ratios):.2f}); target >= 1.5")
PY
uptime >&2  # the machine is shared: a high load average makes both timings noisy
