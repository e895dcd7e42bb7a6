#!/usr/bin/env bash
# checks-diff.sh - the data checks of two builds compared on randomly
# edited databases (by hand, never by tests): for a change to db/check.c
# that must keep every finding (a screen in C in front of a rule's SQL,
# a scan split over threads), the build before it is the oracle.
#
# Usage: tools/checks-diff.sh OLD_TLFGEN NEW_TLFGEN FIRST_SEED LAST_SEED DB...
# For each seed and each DB: tools/mutate-db.py makes a copy with 40, 300
# or 1,500 random cell edits (by seed); `check --out` of OLD (--jobs 1)
# and of NEW (--jobs 1, 2 and 3), each at the database's own cut-off and
# at --cutoff 2014-06-30 and 2013-06-15, must give the same exit status and
# the same issues.csv byte for byte. A difference prints DIFF and keeps
# the database and both CSVs in $TLFGEN_DIFF_DIR (default
# /tmp/tlfgen-checks-diff) as fail_SEED_*. Needs python3.
# Exit status: 0 when every comparison was the same, 1 otherwise.
set -uo pipefail
[ $# -ge 5 ] || { sed -n 2,15p "$0"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
old=$1 new=$2 first=$3 last=$4
shift 4
work=${TLFGEN_DIFF_DIR:-/tmp/tlfgen-checks-diff}
mkdir -p "$work"
diffs=0
for seed in $(seq "$first" "$last"); do
    edits=$(( seed % 3 == 0 ? 40 : seed % 3 == 1 ? 300 : 1500 ))
    for base in "$@"; do
        db="$work/m.sqlite"
        python3 "$here/mutate-db.py" "$base" "$db" "$seed" "$edits" || exit 2
        for co in "" "--cutoff 2014-06-30" "--cutoff 2013-06-15"; do
            # shellcheck disable=SC2086
            "$old" check --db "$db" --out "$work/old.csv" --jobs 1 $co >/dev/null 2>&1
            orc=$?
            for j in 1 2 3; do
                # shellcheck disable=SC2086
                "$new" check --db "$db" --out "$work/new.csv" --jobs "$j" $co >/dev/null 2>&1
                nrc=$?
                if [ "$orc" != "$nrc" ] || ! cmp -s "$work/old.csv" "$work/new.csv"; then
                    echo "DIFF seed $seed, $base, $edits edits, '$co', --jobs $j: exit $orc vs $nrc"
                    cp "$db" "$work/fail_${seed}_$(basename "$base")"
                    cp "$work/old.csv" "$work/fail_${seed}_old.csv"
                    cp "$work/new.csv" "$work/fail_${seed}_new.csv"
                    diffs=$((diffs + 1))
                fi
            done
        done
    done
    echo "seed $seed: done"
done
echo "$diffs difference(s)"
[ "$diffs" = 0 ]
