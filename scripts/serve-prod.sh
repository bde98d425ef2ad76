#!/usr/bin/env bash
# `make serve-prod`: the production set-up of docs/DEPLOYMENT.md on this machine, to try it.
# A throwaway PostgreSQL cluster (scripts/with-postgres.sh; or the DATABASE_URL given), two
# identical gunicorn app servers on PORT and PORT+1 that share nothing but the database, the
# cache (a table of that database) and the file store, and one django-tasks worker with the
# reminder scan and the daily digest. DEBUG is off, as in production; TLS is left to the reverse
# proxy in front (none here: plain HTTP on 127.0.0.1). Ctrl+C stops everything; the throwaway
# database and files are removed.
#   PORT=8000        the first app server; the second answers on PORT+1
#   WEB_WORKERS=2    gunicorn worker processes per app server
#   DEMO=1           load the demo school (0: an empty site; create an account with createsuperuser)
#   MEDIA_ROOT / STORAGE_S3_*   the file store (default: a throwaway folder both servers use)
set -euo pipefail
cd "$(dirname "$0")/.."

# Kept under a name of its own: scripts/with-postgres.sh uses PORT for the database.
export SERVE_PROD_PORT=${SERVE_PROD_PORT:-${PORT:-8000}}
if [[ -z "${DATABASE_URL:-}" ]]; then
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi

PY=.venv/bin/python
PORT=$SERVE_PROD_PORT
SECOND=$((PORT + 1))
RUN_DIR=$(mktemp -d /tmp/trongtam-prod.XXXXXX)

export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
# No TLS on this machine: in production the proxy terminates it and these stay at their defaults.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
if [[ -z "${STORAGE_S3_BUCKET:-}" ]]; then
  # One folder for both app servers, as a network file system would be; a bucket is the other way.
  export MEDIA_ROOT=${MEDIA_ROOT:-$RUN_DIR/media}
fi

pids=()
stop() {
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "==> Migrations on $(echo "$DATABASE_URL" | sed 's#//[^@]*@#//#')"
$PY manage.py migrate --noinput -v 0
if [[ "${DEMO:-1}" == "1" ]]; then
  echo "==> The demo school (about a minute)"
  # The loader refuses to run without DEBUG (no demo accounts on a real site): only it gets it.
  DEBUG=1 $PY manage.py load_demo | tail -n 20
fi
echo "==> Static files (collectstatic, served by WhiteNoise from each app server)"
$PY manage.py collectstatic --noinput -v 0

bash scripts/supervise.sh $PY manage.py db_worker --no-reload &
pids+=($!)
bash scripts/supervise.sh $PY manage.py send_reminders --every 3600 &
pids+=($!)
bash scripts/supervise.sh $PY manage.py send_digests --every 3600 &
pids+=($!)
for port in "$PORT" "$SECOND"; do
  # Each app server its own control socket (gunicorn's default path is one per user).
  .venv/bin/gunicorn trongtam.wsgi:application --bind "127.0.0.1:$port" \
    --workers "${WEB_WORKERS:-2}" --name "trongtam-$port" --access-logfile - --graceful-timeout 10 \
    --control-socket "$RUN_DIR/gunicorn-$port.ctl" &
  pids+=($!)
done

cat <<EOF
Trọng Tâm (production-like): http://127.0.0.1:$PORT/ and http://127.0.0.1:$SECOND/  (Ctrl+C để dừng)
Two app servers, one database, one file store. In production a reverse proxy spreads the
requests over them, e.g. nginx:  upstream trongtam { server 127.0.0.1:$PORT; server 127.0.0.1:$SECOND; }
(docs/DEPLOYMENT.md has the whole configuration).
EOF
# Until Ctrl+C, or until one of them stops for good.
wait -n "${pids[@]}"
echo "Một tiến trình đã dừng; dừng tất cả." >&2
exit 1
