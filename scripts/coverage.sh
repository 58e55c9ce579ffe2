#!/usr/bin/env bash
# Branch coverage of the analytical model (src/model/*.cpp) reached by the agreement test and the
# model's unit tests: builds in build-coverage/ with --coverage (Debug, -O0), runs
# reference_tests and model_unit_tests, then prints, per file, the branches gcov counts (those
# only an exception can take, marked "(throw)", left out) and how many were taken, followed by
# the lines holding a branch never taken. docs/model.md, "Testing", says which are not reached
# and why.
#   scripts/coverage.sh                                  # the CI case counts
#   OUTPACE_AGREEMENT_CASES=50000 scripts/coverage.sh    # a larger sweep
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-coverage

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="--coverage -O0" -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
cmake --build "$build" -j2 --target reference_tests model_unit_tests
find "$build" -name '*.gcda' -delete
"$build"/tests/reference/reference_tests --gtest_brief=1
"$build"/tests/model_unit_tests --gtest_brief=1

objdir="$build/src/model/CMakeFiles/outpace_model.dir"
out="$build/gcov"
rm -rf "$out" && mkdir -p "$out"
(cd "$out" && for gcda in "../../$objdir"/*.gcda; do gcov -b -c "$gcda" >/dev/null; done)

python3 - "$out" <<'PY'
# A branch is a (line, index) pair; template instantiations of one line are merged (taken if any
# instantiation takes it), so that a branch counts once per place in the source.
import glob, os, re, sys
out = sys.argv[1]
total = taken = 0
for path in sorted(glob.glob(os.path.join(out, "*.cpp.gcov"))):
    name = os.path.basename(path)[:-5]
    if not os.path.exists(os.path.join("src/model", name)):
        continue
    seen, text = {}, {}
    line_no = 0
    for raw in open(path, encoding="utf-8", errors="replace"):
        b = re.match(r"branch\s+(\d+)\s+(never executed|taken (\d+))(.*)", raw)
        if b:
            if "(throw)" not in b.group(4):
                key = (line_no, int(b.group(1)))
                seen[key] = max(seen.get(key, 0), int(b.group(3) or 0))
            continue
        m = re.match(r"\s*[^:]+:\s*(\d+):(.*)", raw)
        if m and not raw.startswith("call"):
            line_no = int(m.group(1))
            text[line_no] = m.group(2).strip()
    hit = sum(1 for v in seen.values() if v > 0)
    total += len(seen)
    taken += hit
    print(f"src/model/{name}: {hit} of {len(seen)} branches taken "
          f"({100.0 * hit / max(len(seen), 1):.1f}%)")
    for no in sorted({line for (line, _), v in seen.items() if v == 0}):
        print(f"    line {no}: {text.get(no, '')[:90]}")
print(f"src/model: {taken} of {total} branches taken ({100.0 * taken / max(total, 1):.1f}%)")
PY
