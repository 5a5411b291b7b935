#!/usr/bin/env bash
# Prints the path of a Python that has `standardwebhooks` (PyPI), for the
# webhook tests' receiver (scripts/webhook_receiver.py). Uses
# PORTICO_TEST_WEBHOOK_PYTHON, else installs into a virtualenv
# (PORTICO_WEBHOOK_VENV, default ~/.cache/portico-webhooks).
set -euo pipefail
if [ -n "${PORTICO_TEST_WEBHOOK_PYTHON:-}" ]; then echo "$PORTICO_TEST_WEBHOOK_PYTHON"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
venv="${PORTICO_WEBHOOK_VENV:-$HOME/.cache/portico-webhooks}"
if ! "$venv/bin/python" -c 'import standardwebhooks' >/dev/null 2>&1; then
  echo "==> installing standardwebhooks from PyPI into $venv" >&2
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q standardwebhooks >&2
fi
echo "$venv/bin/python"
