#!/usr/bin/env bash
# The scale bar with the VM's noise taken out: ingest the first 10k of N synthetic articles
# into an empty database, and the last 10k into a database holding the N-10k before them,
# alternately, RUNS times each (every run on a fresh copy), and print the median wall and CPU
# (user + system) time of each and their ratio. Then the last 10k re-dated seven years later
# into the same 90k store: as large a store, but the chunk's incidents no denser than the
# first chunk's (the generator spreads every incident over one fixed seven-year span, so the
# last chunk meets ten times the incidents per force and month); the difference between the
# two last-chunk figures is what that density costs. bench_scale.sh shows the whole curve
# once; on this VM one run of it varies by about 20%.
#   scripts/bench_ends.sh [ARTICLES] [RUNS] [BIN]
set -euo pipefail
n=${1:-100000}
runs=${2:-5}
bin=${3:-target/release/breachwatch}
shared=${SHARED:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/bench/gen_corpus.py" --out "$work/corpus" --articles "$n" --format jsonl >/dev/null
split -l 10000 -d -a 3 "$work/corpus/articles.jsonl" "$work/chunk."
chunks=("$work"/chunk.*)
first=${chunks[0]}
last=${chunks[${#chunks[@]}-1]}
python3 - "$last" "$work/shifted" <<'PY'
import datetime, json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        a = json.loads(line)
        t = datetime.datetime.fromisoformat(a["published"]) + datetime.timedelta(days=7 * 365)
        a["published"] = t.isoformat()
        out.write(json.dumps(a) + "\n")
PY
for f in "${chunks[@]}"; do
  [ "$f" = "$last" ] || "$bin" --db "$work/base" ingest --format jsonl "$f" >/dev/null 2>&1
done
timed() { # DB FILE -> "wall cpu"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" --db "$1" ingest --format jsonl "$2" >/dev/null 2>&1
  read -r wall user sys < "$work/time"
  echo "$wall $(echo "$user + $sys" | bc)"
}
: > "$work/first"; : > "$work/last"; : > "$work/shifted.t"
for _ in $(seq "$runs"); do
  # sync: the copy's ~600 MB of dirty pages would otherwise be written back during the
  # timed run, on its CPUs (measured: +0.2-0.3 s on the last chunk).
  rm -rf "$work/empty"; sync; timed "$work/empty" "$first" >> "$work/first"
  rm -rf "$work/full"; cp -r "$work/base" "$work/full"; sync; timed "$work/full" "$last" >> "$work/last"
  rm -rf "$work/full"; cp -r "$work/base" "$work/full"; sync; timed "$work/full" "$work/shifted" >> "$work/shifted.t"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
fw=$(cut -d' ' -f1 "$work/first" | median); fc=$(cut -d' ' -f2 "$work/first" | median)
lw=$(cut -d' ' -f1 "$work/last" | median); lc=$(cut -d' ' -f2 "$work/last" | median)
echo "first 10k (empty store), $runs runs: wall $(tr '\n' ' ' < "$work/first" | awk '{for(i=1;i<=NF;i+=2) printf "%s ", $i}')-> median ${fw}s, cpu median ${fc}s"
echo "last 10k ($((n - 10000)) stored), $runs runs: wall $(tr '\n' ' ' < "$work/last" | awk '{for(i=1;i<=NF;i+=2) printf "%s ", $i}')-> median ${lw}s, cpu median ${lc}s"
echo "ratio last/first: wall $(echo "scale=3; $lw / $fw" | bc), cpu $(echo "scale=3; $lc / $fc" | bc)"
sw=$(cut -d' ' -f1 "$work/shifted.t" | median); sc=$(cut -d' ' -f2 "$work/shifted.t" | median)
echo "last 10k re-dated 7 years on (store size without the density), $runs runs: wall $(tr '\n' ' ' < "$work/shifted.t" | awk '{for(i=1;i<=NF;i+=2) printf "%s ", $i}')-> median ${sw}s, cpu median ${sc}s"
echo "ratio re-dated/first: wall $(echo "scale=3; $sw / $fw" | bc), cpu $(echo "scale=3; $sc / $fc" | bc)"
