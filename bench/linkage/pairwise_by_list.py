#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of a `recount link` run per pair of lists.

For lists A and B (A before B in link.toml) the pairs counted are the record pairs with one
record in A and one in B; for A with itself, the pairs inside A (in-list duplicates). A pair is
predicted when both records are in one entity (entities.csv), true when both are one person
(truth.csv). "full-field lists" pools every pair (across and inside lists) among the lists whose
link.toml fields name a birth date, a region and a patronymic (or a full name that carries it).

Usage: pairwise_by_list.py --config link.toml --entities entities.csv --truth truth.csv
Prints one tab-separated line per pair: pair, true pairs, predicted, correct, P, R, F1.
Python 3.11 standard library only (tomllib).
"""

import argparse
import collections
import csv
import itertools
import sys
import tomllib


def read_map(path, value_column):
    with open(path, newline="", encoding="utf-8") as f:
        return {(row["list"], row["id"]): row[value_column] for row in csv.DictReader(f)}


def pair_counts(groups, a, b):
    """Pairs of records across lists a and b (or inside a when a == b) sharing a group."""
    total = 0
    for per_list in groups.values():
        if a == b:
            n = per_list.get(a, 0)
            total += n * (n - 1) // 2
        else:
            total += per_list.get(a, 0) * per_list.get(b, 0)
    return total


def pooled_counts(groups, lists):
    total = 0
    for per_list in groups.values():
        n = sum(per_list.get(name, 0) for name in lists)
        total += n * (n - 1) // 2
    return total


def ratio(num, den):
    return num / den if den else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--entities", required=True)
    parser.add_argument("--truth", required=True)
    args = parser.parse_args()
    with open(args.config, "rb") as f:
        config = tomllib.load(f)
    lists = [entry["name"] for entry in config["list"]]
    full = [entry["name"] for entry in config["list"]
            if {"birth_date", "region"} <= set(entry.get("fields", {}))
            and ({"patronymic", "full_name"} & set(entry.get("fields", {})))]
    entity = read_map(args.entities, "entity")
    person = read_map(args.truth, "person")
    missing = set(person) - set(entity)
    if missing:
        sys.exit(f"{args.entities}: {len(missing)} records of {args.truth} are not in it, "
                 f"e.g. {sorted(missing)[0]}")
    predicted, true, correct = (collections.defaultdict(collections.Counter) for _ in range(3))
    for key, person_id in person.items():
        predicted[entity[key]][key[0]] += 1
        true[person_id][key[0]] += 1
        correct[(entity[key], person_id)][key[0]] += 1

    def line(label, t, p, c):
        precision, recall = ratio(c, p), ratio(c, t)
        f1 = ratio(2 * precision * recall, precision + recall)
        print(f"{label}\t{t}\t{p}\t{c}\t{precision:.4f}\t{recall:.4f}\t{f1:.4f}")

    for a, b in itertools.combinations_with_replacement(lists, 2):
        line(f"{a}-{b}", pair_counts(true, a, b), pair_counts(predicted, a, b),
             pair_counts(correct, a, b))
    if full:
        line("full-field lists (" + "+".join(full) + ")", pooled_counts(true, full),
             pooled_counts(predicted, full), pooled_counts(correct, full))


if __name__ == "__main__":
    main()
