#!/usr/bin/env bash
# Behaviour-preservation check for refactors: ingests the dev corpus, the real corpus and N
# synthetic articles (shared/bench/gen_corpus.py) with a binary and writes what it answers
# (incidents, trends, one `show` per incident of the corpora) into OUT_DIR. Run it with the old
# and the new binary and `diff -r` the two directories: a refactor must leave them identical
# (the times of undated articles, which count from when they were read, are masked).
#   scripts/same_output.sh BIN OUT_DIR [SYNTHETIC_ARTICLES]
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
n=${3:-100000}
shared=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Outside the project: a feeds.toml in the current directory would be loaded.
cd "$work"
answer() { # NAME DB
  "$bin" --db "$2" incidents --format json > "$out/$1.incidents.json"
  "$bin" --db "$2" trends --by force --format json > "$out/$1.trends-force.json"
  "$bin" --db "$2" trends --by data-type --format json > "$out/$1.trends-type.json"
  "$bin" --db "$2" trends --by cause --format json > "$out/$1.trends-cause.json"
}
for corpus in dev real; do
  db=$work/db.$corpus
  "$bin" --db "$db" ingest --format jsonl "$shared/corpus/$corpus/articles.jsonl" >/dev/null 2>&1
  answer "$corpus" "$db"
  python3 -c 'import json,sys; [print(i["id"]) for i in json.load(open(sys.argv[1]))]' \
    "$out/$corpus.incidents.json" | while read -r id; do
      "$bin" --db "$db" show "$id" --format json
    done > "$out/$corpus.show.json"
done
python3 "$shared/bench/gen_corpus.py" --out "$work/synth" --articles "$n" --format jsonl >/dev/null
"$bin" --db "$work/db.synth" ingest --format jsonl "$work/synth/articles.jsonl" >/dev/null 2>&1
answer synth "$work/db.synth"
# Undated articles count from when they were read: today's times differ from run to run.
python3 - "$out" <<'PY'
import glob, re, sys, time
today = time.strftime("%Y-%m-%d", time.gmtime())
now = time.time()
def mask_at(m):
    return '"at": <fetch time>' if abs(int(m.group(1)) - now) < 2 * 86400 else m.group(0)
for path in glob.glob(sys.argv[1] + "/*.json"):
    text = open(path).read()
    text = re.sub(today + r"T[0-9:.]+Z", "<fetch time>", text)
    text = re.sub(r'"at": (\d+)', mask_at, text)
    open(path, "w").write(text)
PY
echo "wrote $(ls "$out" | wc -l) files to $out"
