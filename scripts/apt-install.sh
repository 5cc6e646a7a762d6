#!/usr/bin/env bash
# Installs the Debian packages named on the command line (through sudo when not root), for what
# the test suite runs of the machine's own: PostgreSQL's server binaries, nginx.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
