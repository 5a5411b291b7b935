#!/usr/bin/env bash
# The document suite against S3-compatible storage only: moto on loopback
# (installed when missing), on SQLite, and on PostgreSQL when
# PORTICO_TEST_DATABASE_URL is set. scripts/test.sh runs it as part of
# the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PORTICO_TEST_MOTO_SERVER="$(bash scripts/moto.sh)"
export PORTICO_TEST_MOTO_SERVER PORTICO_TEST_S3=1
cargo test -p portico --test it documents::documents_on_s3_compatible_storage -- --nocapture
