#!/usr/bin/env bash
# make cluster: start the stack (up.sh), walk the member journey across both app servers and
# through nginx, and stop it again, unless CLUSTER_KEEP=1 (then it prints how to stop it).
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=$(bash scripts/cluster/up.sh | tail -1)
if [ "${CLUSTER_KEEP:-}" != 1 ]; then trap 'bash scripts/cluster/down.sh "$DIR"' EXIT; fi
set -a; source "$DIR/env"; set +a
echo "Cluster in $DIR: nginx http://127.0.0.1:$NGINX_PORT -> app servers :$APP1_PORT :$APP2_PORT;" \
     "PostgreSQL :$PG_PORT (replica :$PG_REPLICA_PORT); Redis :$REDIS_PORT"
.venv/bin/python -m tests.cluster.journey "$DIR"
[ "${CLUSTER_KEEP:-}" = 1 ] && echo "Left running; stop it with: bash scripts/cluster/down.sh $DIR"
exit 0
