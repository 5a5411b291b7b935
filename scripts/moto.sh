#!/usr/bin/env bash
# Prints the path of `moto_server` (PyPI: moto[server]), an S3-compatible
# server the document storage tests start on loopback. Uses
# PORTICO_TEST_MOTO_SERVER, else one on PATH, else installs moto into a
# virtualenv (PORTICO_MOTO_VENV, default ~/.cache/portico-moto).
set -euo pipefail
if [ -n "${PORTICO_TEST_MOTO_SERVER:-}" ]; then echo "$PORTICO_TEST_MOTO_SERVER"; exit 0; fi
if command -v moto_server >/dev/null 2>&1; then command -v moto_server; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
venv="${PORTICO_MOTO_VENV:-$HOME/.cache/portico-moto}"
if [ ! -x "$venv/bin/moto_server" ]; then
  echo "==> installing moto[server] from PyPI into $venv" >&2
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q 'moto[server]' >&2
fi
echo "$venv/bin/moto_server"
