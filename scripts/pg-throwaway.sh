#!/usr/bin/env bash
# Sourced by test.sh: start a throwaway PostgreSQL in a temp folder (as the postgres user,
# since initdb refuses root), export DATABASE_URL, and register its stop in test.sh's cleanup.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PG_BIN" ]; then bash scripts/need.sh postgres; PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
PG_DIR=$(mktemp -d /tmp/yiwu-pg.XXXXXX)
PG_PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN=()
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; RUN=(runuser -u postgres --); fi
"${RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust >/dev/null
"${RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
cleanup+=("${RUN[*]} '$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m immediate stop >/dev/null 2>&1; rm -rf '$PG_DIR'")
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/yiwu_union"
echo "Started a throwaway PostgreSQL on port $PG_PORT"
