#!/usr/bin/env bash
# make bench: load realistic volume into PostgreSQL and time the member admin (bench/README.md).
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/yiwu_bench), BENCH_MEMBERS (100000).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yiwu_bench}"
exec .venv/bin/python bench/members.py "$@"
