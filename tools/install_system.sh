#!/usr/bin/env bash
# System packages Paicha needs: LibreOffice (PDF), uno for the unoserver side, CJK fonts, poppler
# (tests read PDFs back), chromium (browser tests), python3-venv. The Dockerfile runs the same list.
# Idempotent; needs root. Without root it says what to install and carries on (DOCX/XLSX still work).
set -euo pipefail
PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui python3-uno python3-venv fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 fontconfig poppler-utils"
if [ "${1:-}" = "--with-browser" ]; then PACKAGES="$PACKAGES chromium"; fi
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -z "$missing" ]; then echo "system packages: all present"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system packages missing:$missing — install them as root (apt-get install -y --no-install-recommends$missing); PDF output needs them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
