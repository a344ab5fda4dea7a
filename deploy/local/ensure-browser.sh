#!/usr/bin/env bash
# Debian's Chromium (and its driver) for the browser tests and `make screenshots`; Playwright
# drives it from /usr/bin/chromium, so no browser is ever downloaded. Safe to run again.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    chromium chromium-driver
fi
