#!/usr/bin/env bash
# make bench: the portal under load beside its two references; writes bench/RESULTS.md (bench/README.md).
# DATABASE_URL (default postgres://postgres@127.0.0.1:5432/yiwu_bench), BENCH_MEMBERS (1000000),
# BENCH_SECONDS (5 per point), BENCH_REDIS_URL (redis://127.0.0.1:6379/6).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || bash scripts/need.sh wrk
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yiwu_bench}"
exec .venv/bin/python bench/run.py "$@"
