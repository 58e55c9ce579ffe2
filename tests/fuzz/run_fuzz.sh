#!/bin/sh
# Runs a fuzzer (built by the clang build in build-fuzz/) for a while on a seed corpus that a
# seeder writes into a temporary folder (given to it as its last argument).
# Usage: run_fuzz.sh FUZZER SECONDS "FUZZER OPTIONS" SEEDER [SEEDER ARGUMENTS...]
# Exits 77 (skipped) when FUZZER was not built.
fuzzer=$1
seconds=$2
options=$3
shift 3
if [ ! -x "$fuzzer" ]; then
  echo "SKIPPED: the fuzz target $fuzzer was not built; build it with scripts/setup.sh" \
       "(clang + libFuzzer, build-fuzz/, target fuzz_targets)"
  exit 77
fi
corpus=$(mktemp -d) || exit 1
trap 'rm -rf "$corpus"' EXIT INT TERM
"$@" "$corpus" || exit 1
# A crashing input is kept in the working folder as crash-<sha1> (or leak-, timeout-).
# shellcheck disable=SC2086  # the options are several words
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 $options -artifact_prefix=./ "$corpus"
