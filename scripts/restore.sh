#!/usr/bin/env bash
# make restore FROM=backups/yiwu-<date>: a backup of scripts/backup.sh into DATABASE_URL and
# MEDIA_ROOT, then checked against its manifest (row counts and checksums of every table, sha256
# of every media file); exits non-zero on any difference.
#   DATABASE_URL  the database to restore into; created when missing; refused when it has
#                 tables unless RESTORE_REPLACE=1 (then its objects are dropped first)
#   MEDIA_ROOT    where the files go (default ./media); refused when not empty unless RESTORE_REPLACE=1
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
from="${1:-${FROM:-}}"
[ -n "$from" ] || { echo "usage: scripts/restore.sh BACKUP_FOLDER (or make restore FROM=...)" >&2; exit 2; }
from="$(cd "$from" && pwd)"
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
command -v pg_restore >/dev/null || bash scripts/need.sh postgresql-client

(cd "$from" && sha256sum --check --quiet SHA256SUMS) || { echo "$from: archives do not match SHA256SUMS" >&2; exit 1; }
tables=$($PY scripts/backup_manifest.py ensure "$DATABASE_URL")
clean=()
if [ "$tables" != 0 ]; then
  [ "${RESTORE_REPLACE:-}" = 1 ] || { echo "the target database has $tables tables: set RESTORE_REPLACE=1 to replace them" >&2; exit 1; }
  clean=(--clean --if-exists)
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  [ "${RESTORE_REPLACE:-}" = 1 ] || { echo "$MEDIA_ROOT is not empty: set RESTORE_REPLACE=1 to replace it" >&2; exit 1; }
  find "$MEDIA_ROOT" -mindepth 1 -delete
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$DATABASE_URL" "$from/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xf "$from/media.tar"
$PY scripts/backup_manifest.py check "$DATABASE_URL" "$MEDIA_ROOT" "$from/manifest.json"
