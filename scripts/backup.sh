#!/usr/bin/env bash
# A dated backup of the site (database and files: `manage.py backup`, core/backup.py) into a
# folder, keeping the last KEEP_DAYS days of them. For cron or a systemd timer on one machine of
# the site (docs/DEPLOYMENT.md, "Backups"):
#   scripts/backup.sh [FOLDER]     FOLDER: default $BACKUP_DIR, else ./backups
#   ENV_FILE   the site's environment (DATABASE_URL, SECRET_KEY, STORAGE_S3_*…), read if it exists;
#              default /etc/trongtam/trongtam.env
#   KEEP_DAYS  archives older than this many days are removed after a successful backup (30)
#   PYTHON_BIN the Python that runs manage.py (.venv/bin/python)
# Restore is one command, with the site stopped: `manage.py restore FILE [--replace]`.
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE=${ENV_FILE:-/etc/trongtam/trongtam.env}
if [[ -f "$ENV_FILE" ]]; then
  set -a
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  set +a
fi
FOLDER=${1:-${BACKUP_DIR:-backups}}
KEEP_DAYS=${KEEP_DAYS:-30}
PYTHON_BIN=${PYTHON_BIN:-.venv/bin/python}
if ! [[ "$KEEP_DAYS" =~ ^[0-9]+$ ]]; then
  echo "KEEP_DAYS phải là một số ngày (đang là '$KEEP_DAYS')." >&2
  exit 2
fi

mkdir -p "$FOLDER"
# Archives hold personal data: readable by the owner only.
chmod 700 "$FOLDER"
umask 077
OUT="$FOLDER/trongtam-$(date +%Y-%m-%d-%H%M%S).tar.gz"
"$PYTHON_BIN" manage.py backup "$OUT"
# Only once this backup is made, and only this script's own archives.
find "$FOLDER" -maxdepth 1 -type f -name 'trongtam-*.tar.gz' -mtime +"$KEEP_DAYS" -print -delete
