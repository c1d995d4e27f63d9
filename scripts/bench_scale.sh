#!/usr/bin/env bash
# Scale benchmark: ingest N synthetic articles (shared/bench/gen_corpus.py) in chunks of
# 10,000 into one database and print each chunk's wall time and CPU time (user + system; this
# VM shows up to 25% steal, which inflates wall time at random). The issue's bar: the last
# 10k take at most 1.3x the time of the first 10k. Then the grouping against the generator's
# truth.jsonl (scripts/synth_grouping.py), and the same chunks ingested in one process.
# For the bar's two ends with the noise taken out, see bench_ends.sh.
#   scripts/bench_scale.sh [ARTICLES] [BIN]
set -euo pipefail
n=${1:-100000}
bin=${2:-target/release/breachwatch}
shared=${SHARED:-../shared}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/bench/gen_corpus.py" --out "$work/corpus" --articles "$n" --format jsonl >/dev/null
split -l 10000 -d -a 3 "$work/corpus/articles.jsonl" "$work/chunk."
first=""; last=""; cfirst=""; clast=""
for f in "$work"/chunk.*; do
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" --db "$work/db" ingest --format jsonl "$f" >/dev/null
  read -r wall user sys < "$work/time"
  cpu=$(echo "$user + $sys" | bc)
  echo "chunk $(basename "$f"): wall ${wall}s cpu ${cpu}s"
  [ -z "$first" ] && first=$wall && cfirst=$cpu
  last=$wall; clast=$cpu
done
echo "wall: first=${first}s last=${last}s ratio=$(echo "scale=3; $last / $first" | bc)"
echo "cpu:  first=${cfirst}s last=${clast}s ratio=$(echo "scale=3; $clast / $cfirst" | bc)"
echo "database: $(du -sh "$work/db" | cut -f1)"
"$bin" --db "$work/db" incidents --format json | python3 "$here/synth_grouping.py" "$work/corpus/truth.jsonl"
# The same chunks again in one process (one `ingest` of every chunk file, as `run` lives
# with one open database): ingest prints each file's time.
"$bin" --db "$work/db1" ingest --format jsonl "$work"/chunk.* 2>"$work/files" >/dev/null
times=$(sed -n 's/.* in \([0-9.]*\)s$/\1/p' "$work/files")
echo "one process, seconds per chunk: $(echo $times)"
f1=$(echo "$times" | head -1); fl=$(echo "$times" | tail -1)
echo "one process: first=${f1}s last=${fl}s ratio=$(echo "scale=3; $fl / $f1" | bc)"
