#!/usr/bin/env python3
"""The true pair recall of a run's blocking: the share of true matching pairs (records of one
person, from the generator's truth.csv) that are among the run's candidate pairs.

The candidate pairs are those `recount link --review FILE --review-band 0 1 --review-limit N`
writes (with N above the candidate pair count, every candidate pair is written; no names unless
--show-names). Prints the recall over all true pairs and for each pair of lists.

Usage: blocking_recall.py REVIEW.csv TRUTH.csv
"""

import collections
import csv
import itertools
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    review, truth = sys.argv[1:]
    person = {}
    members = collections.defaultdict(list)
    with open(truth, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            record = (row["list"], row["id"])
            person[record] = row["person"]
            members[row["person"]].append(record)
    caught = set()
    with open(review, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = (row["list_a"], row["id_a"]), (row["list_b"], row["id_b"])
            if person.get(a) is not None and person.get(a) == person.get(b):
                caught.add(frozenset((a, b)))
    true = collections.Counter()
    hit = collections.Counter()
    for records in members.values():
        for a, b in itertools.combinations(records, 2):
            lists = "-".join(sorted((a[0], b[0])))
            true[lists] += 1
            hit[lists] += frozenset((a, b)) in caught
    total, found = sum(true.values()), sum(hit.values())
    print(f"all\t{total}\t{found}\t{found / total if total else 1:.4f}")
    for lists in sorted(true):
        print(f"{lists}\t{true[lists]}\t{hit[lists]}\t{hit[lists] / true[lists]:.4f}")


if __name__ == "__main__":
    main()
