#!/usr/bin/env bash
# One command from data to shipped weights: train (resuming if a checkpoint exists), evaluate on PublicTest,
# export to packages/inference/models. Usage: training/run.sh [--config fer-vgg-s] [train.py options]
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-/usr/bin/python3}
CONFIG=fer-vgg-s
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --config) CONFIG=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
export PYTHONPATH=. OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
"$PY" -m fer.train --config "$CONFIG" "${ARGS[@]}"
if [ ! -f "runs/$CONFIG/final.pt" ]; then
  echo "training stopped before the last epoch; run the same command again to resume" >&2
  exit 3
fi
"$PY" -m fer.evaluate --config "$CONFIG"
"$PY" -m fer.export --config "$CONFIG"
