#!/usr/bin/env bash
# Installs what Outpace needs from Debian packages (safe to run again), then builds it in
# build/ (Release) and the fuzz targets in build-fuzz/ (clang + libFuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ ccache pkg-config libyaml-dev libcli11-dev libgtest-dev libgmock-dev
          libonnx-dev libprotobuf-dev libsqlite3-dev nlohmann-json3-dev
          clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DOUTPACE_FUZZ=ON -DOUTPACE_TESTS=OFF -DOUTPACE_BENCH=OFF
cmake --build build-fuzz -j "$jobs" --target fuzz_targets

# Real ONNX models for the tests that read them (skipped without them); a failure here does not
# fail the setup.
scripts/fetch_models.sh ||
  echo "setup: the models were not fetched; the tests that read models/ will be skipped (run scripts/fetch_models.sh later)"
