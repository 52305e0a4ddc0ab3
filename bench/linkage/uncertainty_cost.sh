#!/usr/bin/env bash
# What the linkage draws and the estimates on them cost, against list size: for each population
# size, invented lists (`recount simulate lists`, 4 lists, as the flagship's demonstration), then
# wall seconds of `recount link` without and with `--draws 20`, and of `recount mse` per method
# without and with `--linkage-draws`; the added cost of the draws, and each figure as a multiple
# of the smallest size's (the scaling). Nothing here is compared with a typed figure.
#
#   bench/linkage/uncertainty_cost.sh [people ...]      (default: 500 1000 2000 4000)
#   METHODS="loglinear lcmcr" to choose the methods (default: the flagship's, loglinear lcmcr)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
recount="$root/build/release/recount"
[[ -x $recount ]] || { echo "build recount first (cmake --build --preset release --target recount)" >&2; exit 1; }
sizes=("$@")
((${#sizes[@]})) || sizes=(500 1000 2000 4000)
read -r -a methods <<<"${METHODS:-loglinear lcmcr}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {  # wall seconds of a command, its output discarded
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || [[ $? -eq 4 ]]  # 4: computed, with a diagnostic short of its threshold
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

header="people records link link+draws"
for m in "${methods[@]}"; do header+=" $m $m+draws"; done
rows=()
for people in "${sizes[@]}"; do
  dir="$work/$people"
  "$recount" --quiet simulate lists --people "$people" --lists 4 --seed 1 --out "$dir/lists" >/dev/null
  records=$(($(cat "$dir"/lists/list_*.csv | wc -l) - $(ls "$dir"/lists/list_*.csv | wc -l)))
  link=$(seconds "$recount" --quiet link --config "$dir/lists/link.toml" --out "$dir/best")
  with=$(seconds "$recount" --quiet link --config "$dir/lists/link.toml" --out "$dir/drawn" --draws 20)
  row="$people $records $link $(echo "$with - $link" | bc -l)"
  for m in "${methods[@]}"; do
    plain=$(seconds "$recount" --quiet mse "$dir/drawn/captures.csv" --method "$m")
    drawn=$(seconds "$recount" --quiet mse "$dir/drawn/captures.csv" --method "$m" \
      --linkage-draws "$dir/drawn/draws.csv")
    row+=" $plain $(echo "$drawn - $plain" | bc -l)"
  done
  rows+=("$row")
  echo "uncertainty_cost: $people people done" >&2
done

echo "Wall seconds on this machine as loaded now; X+draws: what the 20 linkage draws add to X"
printf '%s\n' "$header" "${rows[@]}" | awk '
  NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; n = NF; next }
  { for (i = 1; i <= n; i++) v[NR, i] = $i; last = NR }
  END {
    for (i = 1; i <= n; i++) printf "%17s", name[i]; printf "\n"
    for (r = 2; r <= last; r++) {
      for (i = 1; i <= n; i++) printf (i <= 2 ? "%17d" : "%17.2f"), v[r, i]; printf "\n"
    }
    print "As a multiple of the smallest size:"
    for (r = 2; r <= last; r++) {
      for (i = 1; i <= n; i++)
        if (i <= 2) printf "%17.2f", v[r, i] / v[2, i];
        else printf "%17.2f", (v[2, i] > 0.005 ? v[r, i] / v[2, i] : 0);
      printf "\n"
    }
  }'
