#!/usr/bin/env bash
# Stop what scripts/cluster/up.sh started in DIR (each by its own pid file) and remove DIR.
set -uo pipefail
DIR="${1:?usage: down.sh CLUSTER_DIR}"
[ -f "$DIR/env" ] || { echo "$DIR is not a cluster folder" >&2; exit 1; }
set -a; source "$DIR/env"; set +a
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); else as_pg=(); fi
stop_pid() {  # pid file: TERM, then KILL after 5 s
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}
stop_pid "$DIR/run/nginx.pid"
stop_pid "$DIR/run/app1.pid"
stop_pid "$DIR/run/app2.pid"
stop_pid "$DIR/run/beat.pid"
stop_pid "$DIR/run/worker.pid"
stop_pid "$DIR/run/redis.pid"
for data in pg-replica pg-primary; do
  [ -f "$DIR/$data/postmaster.pid" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$DIR/$data" -m fast -w -t 20 stop >/dev/null 2>&1
done
case "$DIR" in /tmp/yiwu-cluster.*) rm -rf "$DIR" ;; *) echo "left $DIR in place (not under /tmp/yiwu-cluster.*)" ;; esac
