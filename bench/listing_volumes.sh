#!/bin/sh
# listing_volumes.sh - benchmark (not a test): a listing of N rows split
# into volume files; pages per second and peak RSS (/usr/bin/time -v).
# Usage: bench/listing_volumes.sh [BUILD_DIR] [ROWS...]   (default rows:
# 10000 1000000; volumes of 500 pages). Needs sqlite3 and GNU time.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
shift 2>/dev/null || true
rows=${*:-10000 1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/t.json" <<'JSON'
{"type": "listing", "number": "16.2.7.9", "titles": ["Listing of adverse events (benchmark)"],
 "population": "Safety Analysis Set", "dataset": "adae", "sort": ["USUBJID", "ASTDT"],
 "group_by": ["USUBJID"],
 "columns": [
  {"id": "subj", "header": "Subject", "value": "{USUBJID}", "key": true},
  {"id": "arm", "header": "Arm", "value": "{ARM}"},
  {"id": "term", "header": "Preferred term\nVerbatim term", "value": "{AEDECOD}\n{AETERM}"},
  {"id": "start", "header": "Start date\n(study day)", "value": "{ASTDT}[ ({ASTDY})]"},
  {"id": "sev", "header": "Severity", "value": "{AESEV}"},
  {"id": "ser", "header": "Serious", "value": "{AESER}"}]}
JSON
printf '%-10s %8s %10s %10s %12s\n' rows pages seconds pages/s peak_RSS_MB
for n in $rows; do
    db="$work/adam_$n.sqlite"
    sqlite3 "$db" <<SQL
CREATE TABLE adae (USUBJID TEXT, ARM TEXT, AEDECOD TEXT, AETERM TEXT, ASTDT TEXT, ASTDY INTEGER,
                   AESEV TEXT, AESER TEXT);
WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < $n)
INSERT INTO adae SELECT printf('IMP-%06d', i / 8), CASE (i / 8) % 2 WHEN 0 THEN 'TAC' ELSE 'HC' END,
  CASE i % 5 WHEN 0 THEN 'Nasopharyngitis' WHEN 1 THEN 'Herpes zoster' WHEN 2 THEN 'Pneumonia'
  WHEN 3 THEN 'Hyperglycaemia' ELSE 'Cytomegalovirus infection' END,
  printf('verbatim term %d of the reported event', i),
  printf('2013-%02d-%02d', 1 + i % 12, 1 + i % 28), 1 + i % 365,
  CASE i % 3 WHEN 0 THEN 'MILD' WHEN 1 THEN 'MODERATE' ELSE 'SEVERE' END,
  CASE i % 7 WHEN 0 THEN 'Y' ELSE 'N' END FROM r;
SQL
    /usr/bin/time -v "$build/tlfgen" render --template "$work/t.json" --adam "$db" \
        --out "$work/out_$n.pdf" --volume-pages 500 --study BENCH --db-status 'HARD LOCK' \
        > "$work/stdout" 2> "$work/time"
    pages=$(sed -n 's/^\([0-9]*\) pages.*/\1/p' "$work/stdout")
    secs=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$work/time" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
    awk -v n="$n" -v p="$pages" -v s="$secs" -v r="$rss" \
        'BEGIN { printf "%-10s %8d %10.1f %10.1f %12.1f\n", n, p, s, p / s, r / 1024 }'
    rm -f "$work"/out_"$n"*.pdf "$db"
done
