#!/usr/bin/env bash
# Writes a golden database fixture: the database a build makes of tests/golden/articles.jsonl
# (text written for the project), gzipped file by file, and what that build answers about it.
# Every later build must open the database and answer the same (tests/it/golden.rs).
#
#   scripts/golden.sh BIN OUT_DIR      e.g. scripts/golden.sh target/release/breachwatch tests/golden/schema6
#
# Run it once per stored-format change, with the build that introduces the change, and commit
# OUT_DIR. Never regenerate an existing fixture: it stands for databases users already have.
set -euo pipefail
bin=$(realpath "$1")
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/db
"$bin" --db "$db" ingest "$here/tests/golden/articles.jsonl" >/dev/null
mkdir -p "$out/db"
"$bin" --db "$db" incidents --format json >"$out/incidents.json"
"$bin" --db "$db" trends --by cause --period year --format json >"$out/trends-cause.json"
for id in $(python3 -c 'import json,sys; [print(i["id"]) for i in json.load(open(sys.argv[1]))]' "$out/incidents.json"); do
  "$bin" --db "$db" show "$id" --format json >"$out/show-$id.json"
done
(cd "$db" && find . -type f | sort) | while read -r f; do
  mkdir -p "$out/db/$(dirname "$f")"
  gzip -9 -n -c "$db/$f" >"$out/db/$f.gz"
done
echo "$("$bin" --version), written $(date -u +%F)" >"$out/written-by.txt"
git -C "$here" describe --always --dirty >>"$out/written-by.txt" 2>/dev/null || true
echo "wrote $out: $(ls "$out" | wc -l) files"
