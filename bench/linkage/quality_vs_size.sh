#!/usr/bin/env bash
# Linkage quality and cost against list size, for two generators of synthetic lists:
# `recount simulate lists` (the generator recount is developed on) and
# bench/linkage/second_generator.py (a held-out generator with other noise; not to be tuned on).
#
# For each generator and each size (records, roughly), it makes the lists, runs `recount link`
# with automatic settings, measures wall time and peak memory with /usr/bin/time -v, scores the
# run with `recount link eval --truth` and per pair of lists with pairwise_by_list.py, and prints
# one table (with the run's estimated blocking recall on its "all" row). All figures are
# measured in this run; none is typed in.
#
# Usage: bench/linkage/quality_vs_size.sh [--recount PATH] [--work DIR] [--seed S] [RECORDS...]
#   RECORDS default: 10000 100000 1000000. A million records takes minutes and GiBs: mind
#   others on a shared machine.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
recount="$root/build/release/recount"
work=""
seed=1
sizes=()
while (($#)); do
  case "$1" in
  --recount) recount=$2; shift 2 ;;
  --work) work=$2; shift 2 ;;
  --seed) seed=$2; shift 2 ;;
  -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
  -*) echo "quality_vs_size.sh: unknown option $1" >&2; exit 2 ;;
  *)
    [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || { echo "quality_vs_size.sh: size '$1' is not a positive integer" >&2; exit 2; }
    sizes+=("$1"); shift ;;
  esac
done
((${#sizes[@]})) || sizes=(10000 100000 1000000)
[[ -x $recount ]] || { echo "quality_vs_size.sh: no recount binary at $recount (build the release preset or pass --recount)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "quality_vs_size.sh: /usr/bin/time (GNU time) is needed for peak memory" >&2; exit 2; }
if [[ -z $work ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/recount-quality.XXXXXX")
fi
mkdir -p "$work"
echo "Working in $work (lists with invented names; delete when done)" >&2

generate() { # generator people seed dir
  case "$1" in
  simulate) "$recount" simulate lists --people "$2" --seed "$3" --out "$4" --quiet >/dev/null ;;
  second) python3 "$here/second_generator.py" --people "$2" --seed "$3" --out "$4" 2>/dev/null ;;
  esac
}

records_in() { # truth.csv -> records
  echo $(($(wc -l <"$1") - 1))
}

# People per record differs by generator: measure it on a pilot population, then choose the
# people count that gives the asked number of records.
declare -A per_person
for gen in simulate second; do
  pilot="$work/pilot-$gen"
  generate "$gen" 5000 "$seed" "$pilot"
  per_person[$gen]=$(python3 -c "print($(records_in "$pilot/truth.csv") / 5000)")
done

table="$work/table.tsv"
printf 'generator\trecords\tseconds\tpeak_GiB\test_blocking_recall\tpairs\ttrue\tpredicted\tcorrect\tprecision\trecall\tF1\n' >"$table"
for gen in simulate second; do
  for size in "${sizes[@]}"; do
    people=$(python3 -c "print(max(1, round($size / ${per_person[$gen]})))")
    dir="$work/$gen-$size"
    echo "== $gen, about $size records ($people people)" >&2
    generate "$gen" "$people" "$seed" "$dir"
    records=$(records_in "$dir/truth.csv")
    /usr/bin/time -v -o "$dir/time.txt" "$recount" link --config "$dir/link.toml" --out "$dir/linked" --quiet \
      >"$dir/link.stdout" 2>"$dir/link.stderr" || { echo "recount link failed on $dir; see $dir/link.stderr" >&2; exit 1; }
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$dir/time.txt")
    gib=$(awk -F': ' '/Maximum resident set size/ { printf "%.2f", $2 / 1048576 }' "$dir/time.txt")
    "$recount" link eval --out "$dir/linked" --truth "$dir/truth.csv" --json >"$dir/eval.json"
    python3 - "$dir/eval.json" "$dir/linked/summary.json" "$gen" "$records" "$seconds" "$gib" >>"$table" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))["pairwise"]
blocking = json.load(open(sys.argv[2])).get("automatic_blocking", {})
estimated = blocking.get("estimated_pair_recall")
print("\t".join(sys.argv[3:7] + ["-" if estimated is None else f"{estimated:.4f}", "all",
      str(e["true_pairs"]), str(e["predicted_pairs"]),
      str(e["correct_pairs"]), f"{e['precision']:.4f}", f"{e['recall']:.4f}", f"{e['f1']:.4f}"]))
EOF
    python3 "$here/pairwise_by_list.py" --config "$dir/link.toml" --entities "$dir/linked/entities.csv" \
      --truth "$dir/truth.csv" | sed "s/^/$gen\t$records\t-\t-\t-\t/" >>"$table"
  done
done
column -t -s $'\t' "$table"
