#!/usr/bin/env bash
# lab_every_visit.sh - benchmark (run by hand, never by tests): issue 16's
# second 30k database, "of the same size with 13 lab tests at every
# visit". The demo draws some tests at every visit and others at a few;
# this fills in every missing test of every subject's lab visit (value
# from the test's mean times 0.7-1.3, range and units of the test, the
# visit's baseline flag), rewrites LB in USUBJID, VISITNUM, LBTESTCD order
# with LBSEQ renumbered, then times the csr and nightly runs (wall, peak
# RSS) and prints run.log's stage lines.
#
# Usage: bench/lab_every_visit.sh [SUBJECTS CONTROLS]   (default 20000 10000)
# The database is kept in $TLFGEN_BENCH_DIR (default /tmp/tlfgen-bench).
# Needs sqlite3 and GNU time. The filled-in values use SQLite's random():
# the file differs from one making to the next, its size and shape do not.
#
# A/B: this machine's speed varies by up to a half within an hour, so a
# change is measured against the build before it run alternately:
# TLFGEN_BASE_BIN=/path/to/old/tlfgen runs each profile with this build,
# then with that one, ROUNDS times (default 1; 2 or more with a base),
# each line naming its build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${TLFGEN_BIN:-$here/build/tlfgen}
work=${TLFGEN_BENCH_DIR:-/tmp/tlfgen-bench}
tac=${1:-20000}
hc=${2:-10000}
mkdir -p "$work"
db="$work/lab_every_visit_${tac}_${hc}.sqlite"
if [ ! -s "$db" ]; then
    "$bin" demo-db --out "$db.tmp" --subjects "$tac" --controls "$hc" >/dev/null
    sqlite3 "$db.tmp" <<'SQL'
CREATE INDEX tmp_lb_key ON LB (USUBJID, VISITNUM, LBDTC, LBTESTCD);
CREATE TEMP TABLE sv AS
  SELECT USUBJID, VISITNUM, VISIT, LBDTC, max(LBBLFL) AS BLFL
  FROM LB GROUP BY USUBJID, VISITNUM, VISIT, LBDTC;
CREATE TEMP TABLE tpl AS
  SELECT LBTESTCD, min(LBTEST) AS LBTEST, min(LBCAT) AS LBCAT, min(LBORRESU) AS LBORRESU,
         min(LBSTRESU) AS LBSTRESU, min(LBSTNRLO) AS LO, min(LBSTNRHI) AS HI,
         avg(LBSTRESN) AS M
  FROM LB GROUP BY LBTESTCD;
CREATE TEMP TABLE lbn AS
  SELECT USUBJID, LBTESTCD, LBTEST, LBCAT, LBORRES, LBORRESU, LBSTRESN, LBSTRESU,
         LBSTNRLO, LBSTNRHI, LBNRIND, LBBLFL, VISITNUM, VISIT, LBDTC FROM LB
  UNION ALL
  SELECT USUBJID, LBTESTCD, LBTEST, LBCAT, printf('%.2f', V), LBORRESU, round(V, 2), LBSTRESU,
         LO, HI, CASE WHEN V < LO THEN 'LOW' WHEN V > HI THEN 'HIGH' ELSE 'NORMAL' END,
         BLFL, VISITNUM, VISIT, LBDTC
  FROM (SELECT sv.*, t.*, t.M * (0.7 + 0.6 * (abs(random()) % 1000) / 1000.0) AS V
        FROM sv CROSS JOIN tpl t
        WHERE NOT EXISTS (SELECT 1 FROM LB l WHERE l.USUBJID = sv.USUBJID
                            AND l.VISITNUM = sv.VISITNUM AND l.LBDTC = sv.LBDTC
                            AND l.LBTESTCD = t.LBTESTCD));
DELETE FROM LB;
DROP INDEX tmp_lb_key;
INSERT INTO LB
  SELECT USUBJID, row_number() OVER (PARTITION BY USUBJID ORDER BY VISITNUM, LBTESTCD),
         LBTESTCD, LBTEST, LBCAT, LBORRES, LBORRESU, LBSTRESN, LBSTRESU, LBSTNRLO, LBSTNRHI,
         LBNRIND, LBBLFL, VISITNUM, VISIT, LBDTC
  FROM lbn ORDER BY USUBJID, VISITNUM, LBTESTCD;
VACUUM;
SQL
    mv "$db.tmp" "$db"
fi
echo "database: $db ($(du -m "$db" | cut -f1) MB, $(sqlite3 "$db" 'SELECT count(*) FROM LB') LB rows)"
base=${TLFGEN_BASE_BIN:-}
rounds=${ROUNDS:-$([ -n "$base" ] && echo 2 || echo 1)}
# the data folder (templates, fonts, config) of this tree for either build
data=(--data-dir "$here")
for ((round = 1; round <= rounds; round++)); do
    for profile in csr nightly; do
        for b in "$bin" ${base:+"$base"}; do
            tag=$([ "$b" = "$bin" ] && echo this || echo base)
            out="$work/out_lab_every_visit_$profile"
            rm -rf "$out"
            load=$(cut -d' ' -f1-3 /proc/loadavg)
            /usr/bin/time -f "$profile ($tag build, round $round): %e s wall, %U s user, %S s sys, %M KB peak RSS" \
                "$b" run "${data[@]}" --db "$db" --profile "$profile" --out "$out" --quiet
            echo "  (load average before the run: $load)"
            grep -E 'stage |rendering CPU' "$out"/*/"$profile"/latest/run.log | sed 's/^/  /'
        done
    done
done
