#!/usr/bin/env bash
# Pairwise precision, recall and F1 of `recount link` with automatic settings on the public FEBRL
# sets of ../shared/data/febrl/ (FEBRL's generator; every record invented): deduplication of
# dataset 1 (1,000 records) and dataset 2 (5,000), and two-file linkage of dataset 2's 4,000
# originals against its 1,000 duplicates. Every figure is measured in this run.
#
# Usage: bench/linkage/febrl_quality.sh [--recount PATH] [--febrl DIR] [--work DIR]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
recount="$root/build/release/recount"
febrl="$root/../shared/data/febrl"
work=""
while (($#)); do
  case "$1" in
  --recount) recount=$2; shift 2 ;;
  --febrl) febrl=$2; shift 2 ;;
  --work) work=$2; shift 2 ;;
  -h | --help) sed -n '2,7p' "$0"; exit 0 ;;
  *) echo "febrl_quality.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x $recount ]] || { echo "febrl_quality.sh: no recount binary at $recount" >&2; exit 2; }
[[ -f $febrl/febrl_dataset1.csv ]] || { echo "febrl_quality.sh: no FEBRL data in $febrl" >&2; exit 2; }
[[ -n $work ]] || work=$(mktemp -d "${TMPDIR:-/tmp}/recount-febrl.XXXXXX")
mkdir -p "$work"

# Lists, config and truth: trimmed values, the person from rec-N-org / rec-N-dup-K.
python3 - "$febrl" "$work" <<'EOF'
import csv, os, sys
febrl, work = sys.argv[1], sys.argv[2]
columns = "street_number = \"exact\", state = \"exact\", address_1 = \"jaro_winkler\", " \
          "suburb = \"jaro_winkler\", postcode = \"levenshtein\", soc_sec_id = \"levenshtein\""
def rows(name):
    with open(os.path.join(febrl, name), newline="") as f:
        return [[v.strip() for v in r] for r in csv.reader(f)]
def write(task, lists):
    d = os.path.join(work, task)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "truth.csv"), "w", newline="") as t, \
         open(os.path.join(d, "link.toml"), "w") as c:
        truth = csv.writer(t, lineterminator="\n")
        truth.writerow(["list", "id", "person"])
        for name, header, body in lists:
            with open(os.path.join(d, f"{name}.csv"), "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(body)
            for r in body:
                truth.writerow([name, r[0], r[0].split("-")[1]])
            c.write(f'[[list]]\nname = "{name}"\nfile = "{name}.csv"\nid = "rec_id"\n'
                    'fields = { given = "given_name", surname = "surname", '
                    'birth_date = "date_of_birth" }\n'
                    f"compare = {{ {columns} }}\n\n")
for n in (1, 2):
    r = rows(f"febrl_dataset{n}.csv")
    write(f"dedup{n}", [("records", r[0], r[1:])])
r = rows("febrl_dataset2.csv")
write("two_file", [("originals", r[0], [x for x in r[1:] if x[0].endswith("-org")]),
                   ("duplicates", r[0], [x for x in r[1:] if not x[0].endswith("-org")])])
EOF

printf 'task\trecords\tprecision\trecall\tF1\tambiguous\n'
for task in dedup1 dedup2 two_file; do
  d="$work/$task"
  "$recount" link --config "$d/link.toml" --out "$d/linked" --quiet >"$d/link.stdout" 2>"$d/link.stderr" ||
    { echo "recount link failed on $task; see $d/link.stderr" >&2; exit 1; }
  "$recount" link eval --out "$d/linked" --truth "$d/truth.csv" --json >"$d/eval.json"
  python3 - "$d" "$task" <<'EOF'
import json, sys
d, task = sys.argv[1], sys.argv[2]
e = json.load(open(f"{d}/eval.json"))["pairwise"]
s = json.load(open(f"{d}/linked/summary.json"))
print(f"{task}\t{s['records']}\t{e['precision']:.4f}\t{e['recall']:.4f}\t{e['f1']:.4f}\t"
      f"{s.get('ambiguous', {}).get('records', '-')}")
EOF
done
