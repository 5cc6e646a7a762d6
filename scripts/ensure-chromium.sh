#!/usr/bin/env bash
# Makes sure a headless Chromium and its WebDriver exist for the console's end-to-end tests
# (tests/console/); installs Debian's `chromium` and `chromium-driver` packages when missing.
set -euo pipefail
if command -v chromedriver >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "chromium or chromedriver not found; installing Debian's 'chromium' and 'chromium-driver'" >&2
exec bash "$(dirname "$0")/apt-install.sh" chromium chromium-driver
