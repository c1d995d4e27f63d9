#!/usr/bin/env bash
# Order independence at density: N synthetic articles (shared/bench/gen_corpus.py, whose
# incidents at one force are told from the same templates weeks apart) ingested in file
# order, reversed, shuffled, newest first and in three runs, then `reprocess` of the first
# store; prints each grouping against truth.jsonl and whether every store holds exactly the
# same incidents (sources compared as sets).
#   scripts/order_check.sh [ARTICLES] [BIN]
set -euo pipefail
n=${1:-20000}
bin=${2:-target/release/breachwatch}
shared=${SHARED:-../shared}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/bench/gen_corpus.py" --out "$work/corpus" --articles "$n" --format jsonl >/dev/null
src="$work/corpus/articles.jsonl"
python3 - "$src" "$work" <<'PY'
import json, random, sys
lines = open(sys.argv[1]).readlines()
out = sys.argv[2]
open(f"{out}/reversed.jsonl", "w").writelines(reversed(lines))
shuffled = lines[:]
random.Random(7).shuffle(shuffled)
open(f"{out}/shuffled.jsonl", "w").writelines(shuffled)
newest = sorted(lines, key=lambda l: json.loads(l)["published"], reverse=True)
open(f"{out}/newest.jsonl", "w").writelines(newest)
third = len(shuffled) // 3 + 1
for i in range(3):
    open(f"{out}/part{i}.jsonl", "w").writelines(shuffled[i * third:(i + 1) * third])
PY
run() { # NAME FILE... -> incidents JSON in $work/NAME.json
  local name=$1; shift
  for f in "$@"; do "$bin" --db "$work/db.$name" ingest --format jsonl "$f" >/dev/null 2>&1; done
  "$bin" --db "$work/db.$name" incidents --format json > "$work/$name.json"
}
run file "$src"
run reversed "$work/reversed.jsonl"
run shuffled "$work/shuffled.jsonl"
run newest "$work/newest.jsonl"
run three-runs "$work/part0.jsonl" "$work/part1.jsonl" "$work/part2.jsonl"
"$bin" --db "$work/db.file" reprocess >/dev/null 2>&1
"$bin" --db "$work/db.file" incidents --format json > "$work/reprocess.json"
for name in file reversed shuffled newest three-runs reprocess; do
  printf '%-11s ' "$name"
  python3 "$here/synth_grouping.py" "$work/corpus/truth.jsonl" < "$work/$name.json"
done
python3 - "$work" <<'PY'
import json, sys
def groups(name):
    return {frozenset(s["url"] for s in i["sources"]) for i in json.load(open(f"{sys.argv[1]}/{name}.json"))}
want = groups("file")
bad = 0
for name in ["reversed", "shuffled", "newest", "three-runs", "reprocess"]:
    got = groups(name)
    diff = len(want - got) + len(got - want)
    bad += diff
    print(f"{name}: {'same incidents' if not diff else f'{diff} incidents differ'}")
sys.exit(1 if bad else 0)
PY
