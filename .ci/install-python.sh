#!/usr/bin/env bash
# Installs what the PyTorch example test (apps/trainer/src/serve/pytorch-example.spec.ts) and the numpy folder-mode
# test need: python3 with numpy and PyTorch (CPU). First choice: the CPU wheel `torch==2.13.0+cpu` from the local
# pip index/wheel directory (no CUDA dependencies, ~1 min); fallback: Debian's python3-torch + python3-numpy for
# /usr/bin/python3. Idempotent: installs nothing when the interpreter already imports both.
# The last line on stdout is the absolute path of an interpreter that imports torch and numpy; .ci/run exports it
# as SIAMWATCH_PYTHON, which the tests use (else python3). Progress goes to stderr.
set -euo pipefail

PY="${SIAMWATCH_PYTHON:-python3}"
interpreter() { "$1" -c 'import sys, torch, numpy; print(sys.executable)' 2>/dev/null; }

if found=$(interpreter "$PY"); then
  echo "$found"
  exit 0
fi

echo >&2 "install-python: installing torch (CPU) and numpy for $PY"
if "$PY" -m pip install -q 'torch==2.13.0+cpu' numpy >&2 && found=$(interpreter "$PY"); then
  echo "$found"
  exit 0
fi

echo >&2 "install-python: pip failed, trying Debian python3-torch"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq python3-torch python3-numpy >/dev/null 2>&1 \
  || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq python3-torch python3-numpy >/dev/null; }
interpreter /usr/bin/python3
