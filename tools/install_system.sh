#!/usr/bin/env bash
# System packages Paicha needs to run: LibreOffice writer/calc (PDF), python3-uno for the unoserver
# side, python3-venv for the venv made from Debian's python3, CJK fonts and fontconfig. `make run`
# and the Dockerfile install exactly these.
#   --with-test-tools  also what the tests and CI use: chromium (browser tests), poppler-utils
#                      (PDFs read back), Info-ZIP unzip, p7zip-full and libarchive-tools (the zips
#                      listed as clerks' tools list them), git (the wheel smoke copies the checkout),
#                      docker-compose (Debian's, reads docker-compose.yml: no engine is needed for that),
#                      wrk (the HTTP load client of bench/web_bench.py).
# Idempotent; needs root. Without root it says what to install and carries on (DOCX/XLSX still work).
set -euo pipefail
RUNTIME="libreoffice-writer-nogui libreoffice-calc-nogui python3-uno python3-venv fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 fontconfig"
TEST_TOOLS="chromium poppler-utils unzip p7zip-full libarchive-tools git docker-compose wrk"
PACKAGES="$RUNTIME"
for arg in "$@"; do
  case "$arg" in
    --with-test-tools) PACKAGES="$RUNTIME $TEST_TOOLS" ;;
    *) echo "install_system.sh: unknown option $arg (known: --with-test-tools)" >&2; exit 2 ;;
  esac
done
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -z "$missing" ]; then echo "system packages: all present"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system packages missing:$missing — install them as root (apt-get install -y --no-install-recommends$missing); PDF output needs them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # a list of package names
apt-get install -y -qq --no-install-recommends $missing
