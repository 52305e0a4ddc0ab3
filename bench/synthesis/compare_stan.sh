#!/bin/sh
# Compares recount's flagship fit with the same model in Stan (bench/synthesis/convicts.stan):
# 4 chains x 1000 warm-up + 1000 draws each, effective samples per second (minimum bulk ESS over
# parameters / wall time), and prints the ratio. Needs Debian's r-cran-rstan (installed here if
# missing, with sudo; install-deps does not install it). Usage: compare_stan.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! Rscript -e 'library(rstan); library(posterior)' >/dev/null 2>&1; then
  echo "compare_stan: installing r-cran-rstan and r-cran-posterior (Debian packages)" >&2
  sudo apt-get install -y r-cran-rstan r-cran-posterior >&2
fi
[ -x "$build/bench/synthesis_bench" ] || { echo "compare_stan: build $build/bench/synthesis_bench first" >&2; exit 1; }

"$build/bench/synthesis_bench" --stan-data="$work/data.json"

# recount: the whole fit without conflicts, timed by the fit itself.
"$build/recount" -q --json fit "$root/examples/convicts/model.toml" --claims "$root/examples/convicts/claims.csv" \
  --no-conflicts --out "$work/recount" > "$work/recount.json" || true
recount_ess_s=$(python3 -c "
import json; d = json.load(open('$work/recount.json'))['diagnostics']
print(d['min_ess_bulk'] / d['seconds'])")

# Stan: compile (not timed), then sample with the same settings, chains in parallel.
stan_ess_s=$(Rscript -e "
suppressMessages({library(rstan); library(posterior); library(jsonlite)})
options(mc.cores = 2)
m <- stan_model('$here/convicts.stan')
d <- fromJSON('$work/data.json')
d\$qw <- as.matrix(d\$qw)
t <- system.time(f <- sampling(m, data = d, chains = 4, iter = 2000, warmup = 1000, seed = 1, refresh = 0))[['elapsed']]
s <- summarise_draws(as_draws_array(f), ess_bulk)
s <- s[s\$variable != 'lp__', ]
cat(min(s\$ess_bulk, na.rm = TRUE) / t, '\n')
" | tail -n 1)

python3 -c "
r, s = float('$recount_ess_s'), float('$stan_ess_s')
print(f'recount: {r:.1f} effective samples per second')
print(f'Stan:    {s:.1f} effective samples per second')
print(f'ratio recount / Stan: {r / s:.2f}')"
