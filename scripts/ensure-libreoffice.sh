#!/usr/bin/env bash
# Debian's headless LibreOffice Writer for the PDF tests (papers/tests/test_pdf.py): the smallest
# package that converts .docx to PDF, with the Liberation fonts that stand in for Times New Roman.
set -euo pipefail
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then exit 0; fi
if [[ "$(id -u)" != "0" ]]; then
  echo "LibreOffice is missing: install Debian's package 'libreoffice-writer-nogui'." >&2
  exit 1
fi
echo "Installing Debian's libreoffice-writer-nogui (about 1–2 minutes)…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libreoffice-writer-nogui fonts-liberation2 >/dev/null
command -v soffice >/dev/null
