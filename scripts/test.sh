#!/usr/bin/env bash
# The whole test suite. Locally: SQLite, and the browser scenarios when Chromium is there.
# Under CI=true: SQLite with the browser scenarios and the PDF tests (Chromium and LibreOffice are
# installed if missing), then the suite again on a throwaway PostgreSQL cluster; a missing Chromium,
# LibreOffice or PostgreSQL is a failure.
# Both runs are spread over PYTEST_WORKERS processes (pytest-xdist; default `auto`, one per core;
# 0 runs in this process alone). Each worker has its own test database and temporary folders,
# and runs whole test files, so a module's tests share one load of the demo school (`demo_plan`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PARALLEL=(-n "${PYTEST_WORKERS:-auto}" --dist loadfile)

if [[ "${CI:-}" == "true" ]]; then
  bash scripts/ensure-chromium.sh
  bash scripts/ensure-libreoffice.sh
fi

echo "== pytest on SQLite =="
env -u DATABASE_URL $PY -m pytest "${PARALLEL[@]}" -m "not browser" "$@"
# The browser scenarios in processes of their own: mixed into the same workers as the other
# tests, two of them twice found the demo school in another state (not reproduced in a run of
# the scenarios alone); until that leak is found, they do not share a process with the rest.
echo "== browser scenarios on SQLite =="
# (Exit status 5: the paths given hold no scenario.)
env -u DATABASE_URL $PY -m pytest "${PARALLEL[@]}" -m browser "$@" || [[ $? == 5 ]]

if [[ "${CI:-}" == "true" || "${WITH_POSTGRES:-}" == "1" ]]; then
  echo "== pytest on PostgreSQL =="
  bash scripts/with-postgres.sh $PY -m pytest "${PARALLEL[@]}" -m "not browser" "$@"
fi
