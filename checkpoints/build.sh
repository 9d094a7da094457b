#!/usr/bin/env bash
# Rebuilds every shipped file in checkpoints/ from scratch on a CPU.
# Usage: bash checkpoints/build.sh   (or: make checkpoints)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
OUT=checkpoints

# Same architecture (default hidden widths 256, 128), seed and budget within every pair.
# Float results depend on the thread count; the shipped files were trained with 2 threads.
FASHION_EPOCHS=60
MNIST_EPOCHS=200
PRECISION=bfloat16

train() {
  local kind=$1 dataset=$2 latent=$3 epochs=$4 beta=$5 name=$6
  "$PYTHON" -m vae_core.train --kind "$kind" --dataset "$dataset" --latent-dim "$latent" \
    --epochs "$epochs" --beta "$beta" --seed 0 --precision "$PRECISION" \
    --out "$OUT/$name.safetensors"
}

for latent in 2 16; do
  for kind in ae vae; do
    train "$kind" fashion-mnist "$latent" "$FASHION_EPOCHS" 1 "fashion-mnist-$kind-z$latent"
    train "$kind" mnist "$latent" "$MNIST_EPOCHS" 1 "mnist-$kind-z$latent"
  done
done

# The beta ladder: 2-D Fashion-MNIST VAEs with the same budget (beta 1 is trained above).
for beta in 0.25 0.5 2 4; do
  train vae fashion-mnist 2 "$FASHION_EPOCHS" "$beta" "fashion-mnist-vae-z2-beta$beta"
done

# The test images the app plots, so that it needs no data set download.
"$PYTHON" -m vae_core.data --export-test "$OUT/data"

# The judges that the metrics use, the metrics cache the app reads, then the model cards.
for dataset in fashion-mnist mnist; do
  "$PYTHON" -m vae_core.metrics train-judge --dataset "$dataset" \
    --out "$OUT/judges/$dataset-judge.safetensors"
done
"$PYTHON" -m vae_core.metrics build-cache --checkpoints "$OUT"
"$PYTHON" -m vae_core.model_cards "$OUT"
