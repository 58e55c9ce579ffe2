#!/bin/sh
# Runs the spec parser fuzzer (built by the clang build in build-fuzz/) for a while, on a seed
# corpus copied from examples/ and tests/errors/ into a temporary folder.
# Usage: run_fuzz.sh FUZZER SOURCE_DIR SECONDS. Exits 77 (skipped) when FUZZER was not built.
fuzzer=$1
source=$2
seconds=${3:-60}
if [ ! -x "$fuzzer" ]; then
  echo "SKIPPED: the fuzz target $fuzzer was not built; build it with scripts/setup.sh" \
       "(clang + libFuzzer, build-fuzz/, target fuzz_targets)"
  exit 77
fi
corpus=$(mktemp -d) || exit 1
trap 'rm -rf "$corpus"' EXIT INT TERM
find "$source/examples" "$source/tests/errors" -name '*.yaml' | while read -r f; do
  cp "$f" "$corpus/$(echo "$f" | sed "s|^$source/||; s|/|_|g")"
done
# Each Timeloop fidelity case as one file (its sections have different root keys), so that the
# fuzzer starts from complete Timeloop specs that reach the model.
for d in "$source"/tests/golden/timeloop/*/; do
  cat "$d"arch.yaml "$d"problem.yaml "$d"mapping.yaml "$d"ERT.yaml > "$corpus/timeloop_$(basename "$d").yaml"
done
# A crashing input is kept in the working folder as crash-<sha1> (or leak-, timeout-).
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -dict="$source/tests/fuzz/spec.dict" -artifact_prefix=./ "$corpus"
