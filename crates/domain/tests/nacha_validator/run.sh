#!/usr/bin/env bash
# Proves that an independent NACHA validator (achkit, PyPI) accepts the files
# Portico writes, and rejects corrupted ones.
#
#   bash crates/domain/tests/nacha_validator/run.sh
#
# 1. installs the validator into tests/nacha_validator/.venv (pinned by hash);
# 2. runs the `nacha_fixtures` test, which fails unless the committed *.ach
#    files here are byte for byte what `payment::nacha::write_file` produces;
# 3. validates sample*.ach (must pass) and invalid-*.ach (must each fail).
# Needs python3 (with venv) and cargo; honours CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check --only-binary :all: --require-hashes -r requirements.txt

(cd ../.. && cargo test --quiet -p portico-domain --test nacha_fixtures)

status=0
for f in sample*.ach; do
  if ! .venv/bin/python validate.py "$f"; then
    echo "FAIL: $f should be valid" >&2
    status=1
  fi
done
for f in invalid-*.ach; do
  if .venv/bin/python validate.py "$f"; then
    echo "FAIL: $f should have been rejected" >&2
    status=1
  fi
done
if [ "$status" = 0 ]; then
  echo "nacha validator: all files judged as expected"
fi
exit "$status"
