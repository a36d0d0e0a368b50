#!/usr/bin/env bash
# make cluster, the first half: start on loopback, in one temp folder, a PostgreSQL primary with
# a streaming replica (pg_basebackup -R), Redis, two gunicorn app servers, a Celery worker and
# one beat, and nginx balancing across the app servers (round-robin, README's proxy settings).
#   bash scripts/cluster/up.sh [DIR]      # prints DIR; DIR/env holds every port and URL
#   bash scripts/cluster/down.sh DIR      # stops all of it and removes DIR
# Production settings (DEBUG off, manifest static files, Redis sessions and cache), except
# plain HTTP on loopback (SECURE_SSL=false) and the file SMS backend that tests read codes from.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=$ROOT/.venv/bin/python
BIN=$ROOT/.venv/bin
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PGBIN/initdb" ] || bash scripts/need.sh postgres
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
command -v redis-server >/dev/null || bash scripts/need.sh redis-server
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || bash scripts/need.sh nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

DIR=${1:-$(mktemp -d /tmp/yiwu-cluster.XXXXXX)}
mkdir -p "$DIR"
chmod 0711 "$DIR"   # PostgreSQL (another user when we are root) must reach its folders
mkdir -p "$DIR/media" "$DIR/log" "$DIR/run" "$DIR/nginx"
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port); PG_REPLICA_PORT=$(free_port); REDIS_PORT=$(free_port)
APP1_PORT=$(free_port); APP2_PORT=$(free_port); NGINX_PORT=$(free_port)

# PostgreSQL: as the postgres user when we are root (initdb refuses root), else as ourselves.
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); else as_pg=(); fi
mkdir -p "$DIR/pg-sock" "$DIR/pg-log" "$DIR/pg-primary" "$DIR/pg-replica"
chmod 0700 "$DIR/pg-primary" "$DIR/pg-replica"
[ "$(id -u)" = 0 ] && chown postgres "$DIR/pg-sock" "$DIR/pg-log" "$DIR/pg-primary" "$DIR/pg-replica"
pg_conf() {  # data folder, port
  cat >> "$1/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$DIR/pg-sock'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 100
shared_buffers = 64MB
CONF
}
"${as_pg[@]}" "$PGBIN/initdb" -D "$DIR/pg-primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/log/initdb.log"
# initdb --auth=trust already lets 127.0.0.1 connect for replication.
"${as_pg[@]}" bash -c "$(declare -f pg_conf); DIR='$DIR'; pg_conf '$DIR/pg-primary' $PG_PORT"
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$DIR/pg-primary" -l "$DIR/pg-log/primary.log" -w -t 30 start >/dev/null
"${as_pg[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$DIR/pg-replica" -R -X stream -c fast
"${as_pg[@]}" bash -c "echo 'port = $PG_REPLICA_PORT' >> '$DIR/pg-replica/postgresql.conf'"
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$DIR/pg-replica" -l "$DIR/pg-log/replica.log" -w -t 30 start >/dev/null
"${as_pg[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE yiwu" >/dev/null

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$DIR" --pidfile "$DIR/run/redis.pid" --logfile "$DIR/log/redis.log"

SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
NOTES_KEY=$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
cat > "$DIR/env" <<ENV
CLUSTER_DIR=$DIR
PGBIN=$PGBIN
PG_PORT=$PG_PORT
PG_REPLICA_PORT=$PG_REPLICA_PORT
REDIS_PORT=$REDIS_PORT
APP1_PORT=$APP1_PORT
APP2_PORT=$APP2_PORT
NGINX_PORT=$NGINX_PORT
DJANGO_SETTINGS_MODULE=yiwu_union.settings
DEBUG=false
TESTING=false
SECURE_SSL=false
SECRET_KEY=$SECRET
ALLOWED_HOSTS=127.0.0.1,localhost
SITE_URL=http://127.0.0.1:$NGINX_PORT
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/yiwu
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PG_REPLICA_PORT/yiwu
DB_CONN_MAX_AGE=60
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
MEDIA_ROOT=$DIR/media
TRUSTED_PROXY_COUNT=1
TRUSTED_PROXIES=127.0.0.1,::1
SMS_BACKEND=tests.cluster.sms.ClusterFileBackend
SMS_FILE_PATH=$DIR/sms.jsonl
SMS_CLAIM_TIMEOUT=${SMS_CLAIM_TIMEOUT:-300}
SMS_SWEEP_SECONDS=${SMS_SWEEP_SECONDS:-120}
COUNSELLING_NOTES_KEY=$NOTES_KEY
LOG_LEVEL=WARNING
AXES_FAILURE_LIMIT=50
PHONE_CODE_DAILY_CAP_PER_PHONE=1000
PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS=100000
PHONE_CODE_DAILY_LIMIT_PER_ADDRESS=100000
ENV
set -a; source "$DIR/env"; set +a

# The schema: restored from a dump of an earlier migrate with the same migration files (a full
# migrate takes one to two minutes on a busy 2-core machine), else migrated and dumped for next time.
CACHE=${CLUSTER_CACHE:-/tmp/yiwu-cluster-cache}
mkdir -p "$CACHE"; chmod 0755 "$CACHE"
SCHEMA_KEY=$(find apps -path '*/migrations/*.py' -type f | sort | xargs sha1sum | sha1sum | cut -c1-16)
DUMP="$CACHE/schema-$SCHEMA_KEY.dump"
if [ -s "$DUMP" ]; then
  "$PGBIN/pg_restore" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d yiwu --no-owner "$DUMP"
else
  $PY manage.py migrate --noinput -v 0
  "$PGBIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Fc -f "$DUMP.tmp" yiwu && mv "$DUMP.tmp" "$DUMP"
fi
# Manifest static files (hashed names) are collected once into STATIC_ROOT and reused.
if [ ! -f staticfiles/staticfiles.json ] || [ -n "$(find static apps -newer staticfiles/staticfiles.json -path '*/static/*' -type f -print -quit)" ]; then
  $PY manage.py collectstatic --noinput -v 0
fi

GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
for n in 1 2; do
  port_var=APP${n}_PORT
  $BIN/gunicorn yiwu_union.wsgi -w "$GUNICORN_WORKERS" -b "127.0.0.1:${!port_var}" --daemon \
    --pid "$DIR/run/app$n.pid" --access-logfile "$DIR/log/app$n-access.log" --error-logfile "$DIR/log/app$n.log" \
    --timeout 30 --graceful-timeout 5 --no-control-socket --name "yiwu-app$n"
done
$BIN/celery -A yiwu_union worker -l warning --concurrency "${CELERY_CONCURRENCY:-1}" -n "yiwu-worker@%h" --detach \
  --pidfile "$DIR/run/worker.pid" --logfile "$DIR/log/worker.log"
$BIN/celery -A yiwu_union beat -l warning --detach --schedule "$DIR/run/beat-schedule" \
  --pidfile "$DIR/run/beat.pid" --logfile "$DIR/log/beat.log"

if [ "$(id -u)" = 0 ]; then nginx_user="user www-data;"; id www-data >/dev/null 2>&1 || nginx_user="user nobody nogroup;"; else nginx_user=""; fi
cat > "$DIR/nginx.conf" <<NGINX
$nginx_user
worker_processes 1;
pid $DIR/run/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 512; }
http {
    access_log $DIR/log/nginx-access.log;
    client_body_temp_path $DIR/nginx/body;
    proxy_temp_path $DIR/nginx/proxy;
    fastcgi_temp_path $DIR/nginx/fastcgi;
    uwsgi_temp_path $DIR/nginx/uwsgi;
    scgi_temp_path $DIR/nginx/scgi;
    upstream yiwu_app {
        server 127.0.0.1:$APP1_PORT;
        server 127.0.0.1:$APP2_PORT;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name 127.0.0.1 localhost;
        # The README's limits: UPLOAD_MAX_REQUEST_BYTES (64 MB) and a minute to send it.
        client_max_body_size 64m;
        client_body_timeout 60s;
        location / {
            proxy_pass http://yiwu_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_read_timeout 60s;
        }
    }
}
NGINX
"$NGINX" -c "$DIR/nginx.conf" -p "$DIR/nginx" -e "$DIR/log/nginx-error.log"

# Ready when both app servers and nginx answer /healthz.
for port in $APP1_PORT $APP2_PORT $NGINX_PORT; do
  for _ in $(seq 1 100); do
    $PY -c "import urllib.request,sys; urllib.request.urlopen(f'http://127.0.0.1:{sys.argv[1]}/healthz', timeout=2)" "$port" 2>/dev/null && break
    sleep 0.2
  done
done
echo "$DIR"
