#!/usr/bin/env bash
# The suite at another hour: 16:30 UTC on 31 December is 00:30 on 1 January in Yiwu, so a
# test (or code) that takes the UTC date instead of the Asia/Shanghai one fails here. Browser,
# cluster and real_clock tests (a real Celery worker) do not survive libfaketime's preload:
# `TEST_FAKETIME=1 make test` runs them at the real time. Usage: scripts/test-faketime.sh ["YYYY-MM-DD HH:MM:SS" in UTC] [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
instant="${1:-2026-12-31 16:30:00}"
shift || true
command -v faketime >/dev/null || bash scripts/need.sh faketime
if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/yiwu_union_faketime"
fi
export DJANGO_SETTINGS_MODULE=yiwu_union.settings_test TZ=UTC FAKETIME_FMT=%s DONT_FAKE_MONOTONIC=1
epoch=$(date -u -d "$instant" +%s)
echo "Non-browser tests with the clock at $instant UTC ($(TZ=Asia/Shanghai date -d "@$epoch" '+%Y-%m-%d %H:%M') in Yiwu)"
faketime -f "@$epoch" .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup -q \
  -m "not browser and not cluster and not real_clock" "$@"
