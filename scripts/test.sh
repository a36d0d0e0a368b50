#!/usr/bin/env bash
# Run the whole suite on PostgreSQL: DATABASE_URL when given, else the local server on 5432,
# else a throwaway cluster started here (and stopped on exit). Browser tests use Debian's
# Chromium, installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Commands that stop what this script started (throwaway PostgreSQL, Redis), run on exit.
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT

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

# Redis for the one test that runs a real Celery worker: given, local, or a throwaway server.
redis_answers() { $PY -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$1" 2>/dev/null; }
if [ -z "${TEST_REDIS_URL:-}" ]; then
  if redis_answers "redis://127.0.0.1:6379/15"; then
    export TEST_REDIS_URL="redis://127.0.0.1:6379/15"
  else
    command -v redis-server >/dev/null || bash scripts/need.sh redis-server
    REDIS_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    REDIS_DIR=$(mktemp -d /tmp/yiwu-redis.XXXXXX)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
    cleanup+=("kill \$(cat '$REDIS_DIR/redis.pid') 2>/dev/null; rm -rf '$REDIS_DIR'")
    export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/15"
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_answers "$TEST_REDIS_URL" && break; sleep 0.2; done
    echo "Started a throwaway Redis on port $REDIS_PORT"
  fi
fi

export DJANGO_SETTINGS_MODULE=yiwu_union.settings_test
DATABASE_URL=sqlite:///:memory: $PY manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run makemigrations." >&2; exit 1; }
.venv/bin/ruff check --quiet . || { echo "ruff found problems (see above)." >&2; exit 1; }
.venv/bin/bandit --quiet --recursive apps yiwu_union bench scripts manage.py --exclude '*/tests/*,*/migrations/*' --severity-level medium --confidence-level low || { echo "bandit found medium or high problems (see above): fix each, or justify it with a reason and '# nosec <id>'." >&2; exit 1; }
workers="${PYTEST_WORKERS:-2}"
set +e
if [ "${TEST_FAKETIME:-}" != 1 ]; then
  $PY -m pytest -n "$workers" --dist loadgroup -q "$@"
  status=$?
else
  # CI (and anyone who sets TEST_FAKETIME=1): every test runs once. What cannot run under
  # libfaketime (the browser, the cluster, a real Celery worker: marked real_clock) runs at the
  # real time; everything else runs with the clock at 16:30 UTC on 31 December, 00:30 on
  # 1 January in Yiwu, where a test or code that takes the UTC date fails.
  $PY -m pytest -n "$workers" --dist loadgroup -q -m "browser or cluster or real_clock" "$@"
  status=$?
  real_ran=1
  [ $status -eq 5 ] && { real_ran=0; status=0; }  # the arguments chose none of these
  if [ $status -eq 0 ]; then
    bash scripts/test-faketime.sh "2026-12-31 16:30:00" "$@"
    status=$?
    [ $status -eq 5 ] && [ $real_ran = 1 ] && status=0
    [ $status -ne 0 ] && echo "The run at 00:30 on 1 January (Yiwu) found failures (see above)."
  fi
fi
set -e
# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
exit $status
