#!/bin/sh
# recount's flagship fit against the same model in Stan (bench/synthesis/convicts.stan), as
# issue #5 asks: 4 chains x 1000 warm-up + 1000 draws, chains in parallel on 2 cores, adapt_delta
# 0.95 for both; effective samples per second = minimum bulk ESS over the parameters / wall time
# of the sampling (Stan's compile time excluded; recount's includes its posterior summaries).
# Before timing, compare_stan.R checks that convicts.stan is recount's model: equal log density
# up to a constant and equal gradients at 40 points. Prints a table and the ratio.
#
# Run from anywhere, after building recount:
#   cmake --preset release && cmake --build --preset release -j2 --target recount_cli synthesis_bench
#   sh bench/synthesis/compare_stan.sh [BUILD_DIR]     (default build/release; about 4 minutes)
# Needs Debian's r-cran-rstan and r-cran-posterior (bench only: scripts/install-deps does not
# install them): apt-get install r-cran-rstan r-cran-posterior
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! Rscript -e 'library(rstan); library(posterior); library(jsonlite)' >/dev/null 2>&1; then
  echo "compare_stan: needs R with rstan and posterior: apt-get install r-cran-rstan r-cran-posterior" >&2
  exit 1
fi
for tool in recount bench/synthesis_bench; do
  [ -x "$build/$tool" ] || { echo "compare_stan: build $build/$tool first" >&2; exit 1; }
done

"$build/bench/synthesis_bench" --stan-data="$work/data.json"

# recount: the fit without the conflict analysis (leave-one-out refits), timed by the fit itself.
echo "compare_stan: fitting with recount" >&2
"$build/recount" -q --json fit "$root/examples/convicts/model.toml" \
  --claims "$root/examples/convicts/claims.csv" --no-conflicts --out "$work/recount" \
  > "$work/recount.json"
recount_run=$(python3 -c "
import json; d = json.load(open('$work/recount.json'))['diagnostics']
print(d['seconds'], d['min_ess_bulk'])")

echo "compare_stan: compiling convicts.stan (not timed)" >&2
Rscript "$here/compare_stan.R" compile "$here/convicts.stan" "$work/model.rds" \
  > "$work/compile.log" 2>&1 || { cat "$work/compile.log" >&2; exit 1; }
echo "compare_stan: checking convicts.stan against recount's density and sampling with Stan" >&2
stan_run=$(Rscript "$here/compare_stan.R" "$work/model.rds" "$work/data.json" \
  "$build/bench/synthesis_bench" "$work" | tail -n 1)

python3 -c "
rs, re = map(float, '$recount_run'.split())
ss, se = map(float, '$stan_run'.split())
print(f'{\"\":8} {\"seconds\":>8} {\"min ESS\":>8} {\"ESS/s\":>8}')
print(f'{\"recount\":8} {rs:8.1f} {re:8.0f} {re / rs:8.1f}')
print(f'{\"Stan\":8} {ss:8.1f} {se:8.0f} {se / ss:8.1f}')
print(f'ratio recount / Stan (ESS/s): {(re / rs) / (se / ss):.2f}')"
uptime >&2  # the machine is shared: a high load average makes both timings noisy
