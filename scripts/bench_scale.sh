#!/usr/bin/env bash
# Scale benchmark: ingest N synthetic articles (shared/bench/gen_corpus.py) in chunks of
# 10,000 into one database and print the time of each chunk. The issue's bar: the last 10k
# take at most 1.3x the time of the first 10k.
#   scripts/bench_scale.sh [ARTICLES] [BIN]
set -euo pipefail
n=${1:-100000}
bin=${2:-target/release/breachwatch}
shared=${SHARED:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/bench/gen_corpus.py" --out "$work/corpus" --articles "$n" --format jsonl >/dev/null
split -l 10000 -d -a 3 "$work/corpus/articles.jsonl" "$work/chunk."
first=""; last=""
for f in "$work"/chunk.*; do
  s=$(date +%s.%N)
  "$bin" --db "$work/db" ingest --format jsonl "$f" >/dev/null
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc)
  echo "chunk $(basename "$f"): ${t}s"
  [ -z "$first" ] && first=$t
  last=$t
done
echo "first=${first}s last=${last}s ratio=$(echo "scale=3; $last / $first" | bc)"
"$bin" --db "$work/db" incidents --format json | python3 "$(dirname "$0")/synth_grouping.py" "$work/corpus/truth.jsonl"
