#!/usr/bin/env bash
# Issue 22's three figures in one run, with the date:
#  1. whole `ingest` of 20k synthetic RSS articles (50 outlets, one process) against Python
#     feedparser *parsing alone* on the same files, side by side, RUNS times each alternately
#     (goal: breachwatch at least 5x faster);
#  2. 100k synthetic JSONL articles in three processes (10k, 80k, 10k), each chunk a fresh
#     `ingest` process timed from outside (process start and database open included): the last
#     10k against the first 10k, RUNS times each on fresh copies, medians (goal: at most 1.3x);
#  3. the peak resident memory (`/usr/bin/time -v`'s maximum RSS) of every process above
#     (goal: under 200 MiB, the 80k process included: the input's size must not matter).
# Wall-clock figures need a quiet machine; CPU (user + system) is printed beside them.
# Builds nothing if the binary exists; corpora, databases and feedparser's venv go to WORK
# (kept between runs: the corpora are deterministic).
#   bash scripts/perf.sh [BIN]        env: RUNS (default 3), WORK (default /tmp/breachwatch-perf),
#                                          SHARED (default ../shared)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/target/release/breachwatch}
shared=${SHARED:-$(cd "$root/.." && pwd)/shared}
runs=${RUNS:-3}
work=${WORK:-/tmp/breachwatch-perf}
[ -x "$bin" ] || (cd "$root" && cargo build --release)
bin=$(realpath "$bin")
shared=$(realpath "$shared")
mkdir -p "$work"
# Outside the project: a feeds.toml in the current directory would be loaded.
cd "$work"

echo "breachwatch perf $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $bin"

gen() { # OUT ARTICLES FORMAT [OUTLETS]
  python3 "$shared/bench/gen_corpus.py" --out "$1" --articles "$2" --format "$3" \
    ${4:+--outlets "$4"} >/dev/null
}
[ -d rss20k/rss ] || gen rss20k 20000 rss 50
if [ ! -f j100k/articles.jsonl ]; then
  gen j100k 100000 jsonl
  head -n 10000 j100k/articles.jsonl >first.jsonl
  sed -n 10001,90000p j100k/articles.jsonl >middle.jsonl
  tail -n +90001 j100k/articles.jsonl >last.jsonl
fi

# timed NAME DB FORMAT FILE...: ingests, appends "wall cpu peak_kib" to NAME.t
timed() {
  local name=$1 db=$2 format=$3
  shift 3
  /usr/bin/time -f "%e %U %S %M" -o time.out "$bin" --db "$db" ingest --format "$format" "$@" \
    >/dev/null 2>&1
  read -r wall user sys kib <time.out
  echo "$wall $(echo "$user + $sys" | bc) $kib" >>"$name.t"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$1.t"; }
peak_mib() { cat "$@" | cut -d' ' -f3 | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }
rm -f ./*.t

# feedparser: importable already, else in a venv of its own here, else the comparison is skipped.
py=""
if python3 -c 'import feedparser' 2>/dev/null; then
  py=python3
else
  [ -x venv/bin/python ] || python3 -m venv venv >/dev/null 2>&1 || true
  [ -x venv/bin/python ] && ! venv/bin/python -c 'import feedparser' 2>/dev/null &&
    venv/bin/pip install -q feedparser >/dev/null 2>&1 || true
  venv/bin/python -c 'import feedparser' 2>/dev/null && py=venv/bin/python
fi
cat >feedparser_parse.py <<'PY'
import glob, sys, time
import feedparser
files = sorted(glob.glob(sys.argv[1] + "/*.xml"))
start = time.perf_counter()
entries = sum(len(feedparser.parse(open(f, "rb").read()).entries) for f in files)
print(f"{time.perf_counter() - start:.3f} {entries}")
PY

echo "== 1. 20k RSS articles, 50 files: whole ingest vs feedparser parse only ($runs runs each, alternately)"
for _ in $(seq "$runs"); do
  rm -rf rss.db
  sync
  timed rss rss.db rss rss20k/rss/*.xml
  [ -n "$py" ] && "$py" feedparser_parse.py rss20k/rss | cut -d' ' -f1 >>feedparser.t
done
bw=$(col rss 1 | median)
echo "breachwatch ingest: wall $(col rss 1 | tr '\n' ' ')-> median ${bw}s; cpu median $(col rss 2 | median)s; peak RSS $(peak_mib rss.t) MiB; $("$bin" --db rss.db incidents --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') incidents"
if [ -n "$py" ]; then
  fp=$(median <feedparser.t)
  echo "feedparser parse only: $(tr '\n' ' ' <feedparser.t)-> median ${fp}s"
  echo "RESULT speed: breachwatch whole ingest is $(echo "scale=2; $fp / $bw" | bc)x faster than feedparser's parsing alone (goal: >= 5x)"
else
  echo "RESULT speed: SKIPPED, feedparser is not importable and could not be installed into $work/venv (pip install feedparser)"
fi

echo "== 2. 100k JSONL articles in three processes (10k, 80k, 10k); then the ends again on fresh copies"
rm -rf j.db base90.db
timed first j.db jsonl first.jsonl
timed middle j.db jsonl middle.jsonl
cp -r j.db base90.db
sync
timed last j.db jsonl last.jsonl
echo "chunks: first 10k $(head -1 first.t | cut -d' ' -f1)s, 80k $(cut -d' ' -f1 middle.t)s, last 10k $(head -1 last.t | cut -d' ' -f1)s; database $(du -sh j.db | cut -f1)"
for _ in $(seq 2 "$runs"); do
  rm -rf empty.db
  sync
  timed first empty.db jsonl first.jsonl
  rm -rf full.db
  cp -r base90.db full.db
  # sync: the copy's dirty pages would otherwise be written back during the timed run.
  sync
  timed last full.db jsonl last.jsonl
done
fw=$(col first 1 | median)
lw=$(col last 1 | median)
fc=$(col first 2 | median)
lc=$(col last 2 | median)
echo "first 10k (empty store): wall $(col first 1 | tr '\n' ' ')-> median ${fw}s, cpu median ${fc}s"
echo "last 10k (90k stored):   wall $(col last 1 | tr '\n' ' ')-> median ${lw}s, cpu median ${lc}s"
echo "RESULT flat cost: last/first wall $(echo "scale=3; $lw / $fw" | bc), cpu $(echo "scale=3; $lc / $fc" | bc) (goal: <= 1.3)"

echo "== 3. peak resident memory (maximum RSS)"
echo "20k RSS ingest $(peak_mib rss.t) MiB; first 10k $(peak_mib first.t) MiB; 80k $(peak_mib middle.t) MiB; last 10k $(peak_mib last.t) MiB"
echo "RESULT memory: peak $(peak_mib ./*.t) MiB over every ingest above (goal: < 200 MiB)"
rm -rf rss.db j.db base90.db empty.db full.db
