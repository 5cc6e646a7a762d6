#!/usr/bin/env bash
# Makes sure nginx exists for the test that follows docs/deploy.md (tests/deploy/); installs
# Debian's `nginx` package when it is missing. The test runs its own nginx from a temporary
# directory as the current user; the package's system service plays no part.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
echo "nginx not found; installing the Debian package 'nginx'" >&2
exec bash "$(dirname "$0")/apt-install.sh" nginx
