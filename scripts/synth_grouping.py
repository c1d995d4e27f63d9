#!/usr/bin/env python3
"""Grouping quality on the synthetic corpus: compares `incidents --format json` (stdin) with
gen_corpus.py's truth.jsonl and prints incident counts and pairwise precision/recall of
"these two articles report the same incident".

    breachwatch --db DB incidents --format json | scripts/synth_grouping.py TRUTH.jsonl
"""
import collections, itertools, json, sys

truth = {}
with open(sys.argv[1]) as fh:
    for line in fh:
        t = json.loads(line)
        truth[t["url"]] = t["incident"]
found = json.load(sys.stdin)

def pairs(groups):
    out = set()
    for g in groups:
        out.update(itertools.combinations(sorted(set(g)), 2))
    return out

true_groups = collections.defaultdict(list)
for url, inc in truth.items():
    if inc is not None:
        true_groups[inc].append(url)
found_groups = [[s["url"] for s in i["sources"]] for i in found]
decoys = sum(1 for g in found_groups if all(truth.get(u) is None for u in g))
tp_pairs, fp_pairs = pairs(true_groups.values()), pairs(found_groups)
hit = len(tp_pairs & fp_pairs)
p = hit / len(fp_pairs) if fp_pairs else 1.0
r = hit / len(tp_pairs) if tp_pairs else 1.0
covered = {u for g in found_groups for u in g}
missed = sum(1 for u, inc in truth.items() if inc is not None and u not in covered)
print(f"incidents={len(found_groups)} truth={len(true_groups)} pair_p={p:.3f} pair_r={r:.3f} "
      f"pair_f1={2*p*r/(p+r) if p+r else 0:.3f} decoy_incidents={decoys} missed_articles={missed}")
