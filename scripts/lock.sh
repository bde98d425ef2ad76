#!/usr/bin/env bash
# Regenerate requirements-dev.lock and requirements.lock from requirements-dev.txt and
# requirements.txt: every package, direct or not, pinned with the sha256 of each of its files, so
# `pip install --require-hashes` installs the same bytes on every machine.
# pip-tools runs in a throwaway virtualenv. Pins already in the locks are kept unless a
# requirement changed; `scripts/lock.sh --upgrade` (or `make lock UPGRADE=1`) takes the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
TOOLS=$(mktemp -d /tmp/trongtam-lock.XXXXXX)
trap 'rm -rf "$TOOLS"' EXIT

echo "==> pip-tools in a throwaway virtualenv"
"$PYTHON" -m venv "$TOOLS"
"$TOOLS/bin/pip" install -q -r requirements-tools.txt

# The public index only: the locks must not depend on this machine's pip configuration
# (local mirrors, extra indexes, constraint files).
compile() {
  env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT \
    PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
    "$TOOLS/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links --newline=lf "$@"
}

echo "==> requirements-dev.lock (tests and linters: runtime packages included)"
compile "$@" --output-file requirements-dev.lock requirements-dev.txt
# The runtime lock starts from the dev lock so both pin the same version of every shared package.
cp requirements-dev.lock requirements.lock
echo "==> requirements.lock (what the site runs on)"
compile --output-file requirements.lock requirements.txt
