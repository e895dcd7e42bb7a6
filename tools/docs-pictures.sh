#!/bin/bash
# docs-pictures.sh - regenerate the pictures of the demo outputs in docs/
# (the README's picture list, docs/outputs-*.md, docs/figures.md,
# docs/templates.md).
#
# Writes the demo database, runs the csr job on it (and a dsmb job on the
# same study at SOFT LOCK for the draft figure), and draws the pages the
# docs show with pdftoppm at 80 dpi, as a reviewer sees them. The same
# build gives the same pictures (the runs are reproducible). The layout
# pictures of docs/templates.md (listing-ae-*, table-*) are the
# test fixtures of tests/fixtures/layout/.
# Usage: tools/docs-pictures.sh [BUILD_DIR]     (default: build)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
bin=$build/tlfgen
[ -x "$bin" ] || { echo "docs-pictures.sh: no $bin (build first)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" demo-db --out "$tmp/hard.sqlite" >/dev/null
"$bin" demo-db --status 'SOFT LOCK' --out "$tmp/soft.sqlite" >/dev/null
"$bin" run --db "$tmp/hard.sqlite" --profile csr --out "$tmp/out" --quiet
"$bin" run --db "$tmp/soft.sqlite" --profile dsmb --out "$tmp/out" --quiet
csr=$tmp/out/TACIP/csr/latest
dsmb=$tmp/out/TACIP/dsmb/latest

# shot RUNDIR PDF PAGE NAME: page PAGE of PDF as docs/NAME.png
shot() {
    pdftoppm -png -r 80 -f "$3" -l "$3" -singlefile "$1/$2" "$src/docs/$4"
    echo "docs/$4.png: $2 page $3"
}
shot "$csr" 14.1.4.pdf 1 t14_1_4
shot "$csr" 14.2.1.1.pdf 1 t14_2_1_1
shot "$csr" 14.2.1.2.pdf 1 t14_2_1_2
shot "$csr" 14.2.3.1.pdf 1 t14_2_3_1
shot "$csr" 14.2.6.1.pdf 1 t14_2_6_1
shot "$csr" 14.3.1.2.pdf 1 t14_3_1_2
shot "$csr" 14.3.1.3.pdf 1 t14_3_1_3
shot "$csr" F14.2.1.1.pdf 1 f14_2_1_1
shot "$csr" F14.2.2.1.pdf 1 figure-km
shot "$dsmb" closed/F14.2.5.1.pdf 1 figure-line-draft
shot "$csr" 16.2.4.pdf 1 l16_2_4
shot "$csr" 16.2.7.1.pdf 2 l16_2_7_1
shot "$csr" volume.pdf 1 volume-cover
shot "$csr" volume.pdf 2 volume-toc-demo

# The layout pictures of docs/templates.md: the test fixtures of
# tests/fixtures/layout/, rendered with the context tests/render uses.
fx=$src/tests/fixtures/layout
ctx=(--study IMPPACT --protocol IMP-TAC-01 --run-id 3f9a1c2b7d10 --db-sha256 9b1e02c4d00d
     --cutoff 2014-12-31 --db-status 'HARD LOCK')
sqlite3 "$tmp/fx.sqlite" < "$fx/adae.sql"
"$bin" render --template "$fx/t_ae_listing.json" --adam "$tmp/fx.sqlite" "${ctx[@]}" --out "$tmp/fx_l.pdf"
"$bin" render --template "$fx/t_ae_soc_pt.json" --ard "$fx/ard.csv" "${ctx[@]}" --out "$tmp/fx_t.pdf"
"$bin" render --template "$fx/t_summary.json" --ard "$fx/ard.csv" "${ctx[@]}" --out "$tmp/fx_s.pdf"
shot "$tmp" fx_l.pdf 1 listing-ae-p1
shot "$tmp" fx_l.pdf 2 listing-ae-p2
shot "$tmp" fx_t.pdf 1 table-ae-soc-pt-p1
shot "$tmp" fx_t.pdf 2 table-ae-soc-pt-p2
shot "$tmp" fx_s.pdf 1 table-summary
