#!/usr/bin/env bash
# Installed and relocated: install the build into a temporary prefix, copy
# that prefix somewhere else and delete the original, then run demo-db and
# a csr run with the relocated program (which must find its templates,
# fonts and config as ../share/tlfgen beside itself, with no source path
# compiled in) and compare ard.csv and every PDF with the build tree's run.
# Run by ctest (test install_relocated); usage: install-test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tlfgen-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "install-test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/stage" >/dev/null
for f in bin/tlfgen share/tlfgen/templates/catalog.json share/tlfgen/config/csr.json \
         share/tlfgen/config/systemd/tlfgen-nightly.service share/tlfgen/fonts/ipaexg.ttf \
         share/man/man1/tlfgen.1.gz share/doc/tlfgen/README.md; do
  [ -e "$work/stage/$f" ] || fail "cmake --install did not install $f"
done
# no data path of the source tree compiled in (a sanitizer or debug build
# still names its source files for diagnostics: those are not looked for)
for d in templates config fonts; do
  if grep -aqF "$src/$d" "$work/stage/bin/tlfgen"; then
    fail "the installed program holds the source path $src/$d"
  fi
done
mkdir -p "$work/elsewhere"
cp -a "$work/stage" "$work/elsewhere/prefix"
rm -rf "$work/stage"
prefix="$work/elsewhere/prefix"

# no environment that could point it back at the source tree
unset TLFGEN_DATA_DIR TLFGEN_FONT_DIR
cd "$work"
ver=$("$prefix/bin/tlfgen" --version) || fail "relocated --version failed"
want="data: $(cd "$prefix/share/tlfgen" && pwd -P) (beside the program (../share/tlfgen))"
grep -qxF "$want" <<<"$ver" || fail "relocated --version said: $ver (wanted: $want)"

"$prefix/bin/tlfgen" demo-db --out demo.sqlite
"$prefix/bin/tlfgen" run --db demo.sqlite --profile csr --out installed --quiet \
  || fail "csr run with the relocated program failed (exit $?)"
"$build/tlfgen" run --db demo.sqlite --profile csr --out built --quiet \
  || fail "csr run with the build-tree program failed (exit $?)"
a=$(readlink -f installed/*/csr/latest)
b=$(readlink -f built/*/csr/latest)
cmp "$a/ard.csv" "$b/ard.csv" || fail "ard.csv differs between installed and build-tree runs"
n=0
for pdf in "$b"/*.pdf; do
  cmp "$pdf" "$a/$(basename "$pdf")" || fail "$(basename "$pdf") differs"
  n=$((n + 1))
done
[ "$n" -gt 20 ] || fail "only $n PDFs in the build-tree run"
echo "install-test: relocated prefix ran demo-db + csr; ard.csv and $n PDFs identical to the build tree's"
