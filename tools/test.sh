#!/usr/bin/env bash
# Second README command: install what is missing, then build and run the
# whole cmocka suite twice, a normal Release build and an ASan+UBSan build,
# and the tests that run several threads (ctest label "threads") a third
# time under ThreadSanitizer. Every part always runs (a failing Release
# build or test does not hide what a sanitizer build says); the script
# fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh || exit 1
jobs=$(nproc)

# half NAME BUILD_DIR CTEST_ARGS CMAKE_ARGS...: configure, build, ctest;
# 0 when all passed
half() {
  local name=$1 dir=$2 select=$3
  shift 3
  echo "== tlfgen tests: $name build ($dir)"
  cmake -S . -B "$dir" "$@" >/dev/null &&
    cmake --build "$dir" -j"$jobs" &&
    # shellcheck disable=SC2086
    (cd "$dir" && ctest --output-on-failure -j"$jobs" $select)
}

half Release build "" -DCMAKE_BUILD_TYPE=Release
release=$?
half sanitizer build-sanitize "" -DCMAKE_BUILD_TYPE=Debug -DTLFGEN_SANITIZE=ON
sanitize=$?
half ThreadSanitizer build-tsan "-L threads" -DCMAKE_BUILD_TYPE=Debug -DTLFGEN_TSAN=ON
tsan=$?

status=0
[ $release -eq 0 ] || { echo "tlfgen tests: the Release build or its tests FAILED" >&2; status=1; }
[ $sanitize -eq 0 ] || { echo "tlfgen tests: the ASan+UBSan build or its tests FAILED" >&2; status=1; }
[ $tsan -eq 0 ] || { echo "tlfgen tests: the ThreadSanitizer build or its thread tests FAILED" >&2; status=1; }
[ $status -eq 0 ] && echo "tlfgen tests: Release and ASan+UBSan suites and the ThreadSanitizer thread tests passed"
exit $status
