#!/usr/bin/env bash
# Installs what the PyTorch example test (apps/trainer/src/serve/pytorch-example.spec.ts) needs: python3 with
# numpy and PyTorch (CPU). First choice: the CPU wheel `torch==2.13.0+cpu` from the local pip index/wheel
# directory (no CUDA dependencies, ~1 min); fallback: Debian's python3-torch + python3-numpy for /usr/bin/python3.
# Idempotent: does nothing when `python3 -c 'import torch, numpy'` already works. The test uses
# $SIAMWATCH_PYTHON when set, else python3.
set -euo pipefail

PY="${SIAMWATCH_PYTHON:-python3}"
if "$PY" -c 'import torch, numpy' >/dev/null 2>&1; then
  exit 0
fi

echo "install-python: installing torch (CPU) and numpy for $PY"
if "$PY" -m pip install -q 'torch==2.13.0+cpu' numpy; then
  exit 0
fi

echo "install-python: pip failed, trying Debian python3-torch"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq python3-torch python3-numpy >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-torch python3-numpy >/dev/null; }
/usr/bin/python3 -c 'import torch, numpy'
echo "install-python: use SIAMWATCH_PYTHON=/usr/bin/python3"
