#!/usr/bin/env bash
# Installs the training toolchain from Debian's packages (PyTorch 1.13 CPU, NumPy, Pillow, ONNX). PyPI is not
# needed. On the GPU machine (PyTorch + onnx preinstalled) this is a no-op check.
set -euo pipefail
PY=${PYTHON:-/usr/bin/python3}
if "$PY" -c 'import torch, numpy, PIL, onnx' 2>/dev/null; then
  "$PY" -c 'import torch; print(f"training toolchain ready: torch {torch.__version__}, cuda {torch.cuda.is_available()}")'
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch python3-numpy python3-pil python3-onnx
"$PY" -c 'import torch; print(f"training toolchain ready: torch {torch.__version__}")'
