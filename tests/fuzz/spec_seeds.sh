#!/bin/sh
# Writes the spec parser fuzzer's seed corpus into CORPUS: the YAML files of examples/ and
# tests/errors/, and each Timeloop fidelity case as one file (its sections have different root
# keys), so that the fuzzer starts from complete Timeloop specs that reach the model.
# Usage: spec_seeds.sh SOURCE_DIR CORPUS
source=$1
corpus=$2
find "$source/examples" "$source/tests/errors" -name '*.yaml' | while read -r f; do
  cp "$f" "$corpus/$(echo "$f" | sed "s|^$source/||; s|/|_|g")"
done
for d in "$source"/tests/golden/timeloop/*/; do
  cat "$d"arch.yaml "$d"problem.yaml "$d"mapping.yaml "$d"ERT.yaml > "$corpus/timeloop_$(basename "$d").yaml"
done
