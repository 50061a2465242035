#!/usr/bin/env bash
# The system packages the browser journeys and the PDF tests need:
#   chromium      the headless browser Playwright drives (executable_path=/usr/bin/chromium;
#                 `playwright install` is never used)
#   poppler-utils pdftotext, to read back the PDFs WeasyPrint renders
#   fonts-croscore Arimo/Tinos/Cousine, metric-compatible fonts with full Vietnamese glyphs
# Installs them when running as root (CI); otherwise prints the command to run and fails.
set -euo pipefail

PACKAGES="chromium poppler-utils fonts-croscore"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/croscore ] || missing+=(fonts-croscore)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Missing system packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "sudo apt-get install -y $PACKAGES"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086  # the package list is meant to split into words
apt-get install -y $PACKAGES
