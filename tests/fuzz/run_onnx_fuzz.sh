#!/bin/sh
# Runs the ONNX import fuzzer (built by the clang build in build-fuzz/) for a while, on a seed
# corpus of small models that onnx_fuzz_seeds writes into a temporary folder.
# Usage: run_onnx_fuzz.sh FUZZER SEEDER SECONDS. Exits 77 (skipped) when FUZZER was not built.
fuzzer=$1
seeder=$2
seconds=${3:-25}
if [ ! -x "$fuzzer" ]; then
  echo "SKIPPED: the fuzz target $fuzzer was not built; build it with scripts/setup.sh" \
       "(clang + libFuzzer, build-fuzz/, target fuzz_targets)"
  exit 77
fi
corpus=$(mktemp -d) || exit 1
trap 'rm -rf "$corpus"' EXIT INT TERM
"$seeder" "$corpus" || exit 1
# A crashing input is kept in the working folder as crash-<sha1> (or leak-, timeout-).
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -artifact_prefix=./ "$corpus"
