#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, pg_ctl) exist for the test suite's throwaway
# cluster; installs Debian's `postgresql` package when they are missing.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1; then
  exit 0
fi
echo "PostgreSQL server binaries not found; installing the Debian package 'postgresql'" >&2
exec bash "$(dirname "$0")/apt-install.sh" postgresql
