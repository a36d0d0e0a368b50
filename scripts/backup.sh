#!/usr/bin/env bash
# make backup: the database (pg_dump -Fc) and the uploaded files (a tar of MEDIA_ROOT) into a
# dated folder BACKUP_DIR/yiwu-<UTC date-time>/ with manifest.json: the row count and checksum
# of every table (read in the dump's own snapshot) and the sha256 of every media file, and
# SHA256SUMS of the two archives. Restore with scripts/restore.sh (README "Backup and restore").
#   DATABASE_URL  the database to back up (required)
#   MEDIA_ROOT    the uploaded files (default: the settings' MEDIA_ROOT, ./media)
#   BACKUP_DIR    where the dated folders go (default ./backups)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
BACKUP_DIR="${BACKUP_DIR:-$PWD/backups}"
command -v pg_dump >/dev/null || bash scripts/need.sh postgresql-client

folder="$BACKUP_DIR/yiwu-$(date -u +%Y%m%d-%H%M%S)"
[ ! -e "$folder" ] || { echo "$folder exists already" >&2; exit 1; }
partial="$folder.partial"
rm -rf "$partial"
mkdir -p "$partial"
chmod 700 "$partial"  # the dump holds every member's personal data
$PY scripts/backup_manifest.py dump "$DATABASE_URL" "$partial"
# After the dump: every file a dumped row names was written before its row committed.
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -cf "$partial/media.tar" .
else
  tar -cf "$partial/media.tar" -T /dev/null
fi
$PY scripts/backup_manifest.py finish "$partial"
(cd "$partial" && sha256sum database.dump media.tar manifest.json > SHA256SUMS)
mv "$partial" "$folder"
echo "$folder"
