#!/usr/bin/env bash
# Debian's Chromium for the browser scenarios (Playwright never downloads a browser here).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [[ "$(id -u)" != "0" ]]; then
  echo "Chromium is missing: install Debian's package 'chromium'." >&2
  exit 1
fi
echo "Installing Debian's chromium…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
