#!/usr/bin/env bash
# Run the whole suite on PostgreSQL: DATABASE_URL when given, else the local server on 5432,
# else a throwaway cluster started here (and stopped on exit). Browser tests use Debian's
# Chromium, installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

[ -x /usr/bin/chromium ] || command -v chromium >/dev/null || bash scripts/need.sh chromium
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || bash scripts/need.sh fonts-noto-cjk || true

pg_answers() { $PY - "$1" <<'PYEOF'
import sys, psycopg2
try:
    psycopg2.connect(sys.argv[1], connect_timeout=2).close()
except Exception:
    sys.exit(1)
PYEOF
}

if [ -z "${DATABASE_URL:-}" ]; then
  if pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/yiwu_union"
  else
    source scripts/pg-throwaway.sh
  fi
fi
echo "Tests on ${DATABASE_URL%%@*}@${DATABASE_URL#*@}"

export DJANGO_SETTINGS_MODULE=yiwu_union.settings_test
DATABASE_URL=sqlite:///:memory: $PY manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run makemigrations." >&2; exit 1; }
workers="${PYTEST_WORKERS:-2}"
set +e
$PY -m pytest -n "$workers" --dist loadgroup -q "$@"
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
exit $status
