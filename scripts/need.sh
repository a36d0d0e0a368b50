#!/usr/bin/env bash
# Install a missing system tool with apt-get when we are root; otherwise say what to install.
# Used for npm, chromium, postgres, redis-server and wrk (make bench's load generator).
set -euo pipefail
tool="$1"
case "$tool" in
  npm) packages="nodejs npm" ;;
  chromium) packages="chromium fonts-noto-cjk" ;;
  postgres) packages="postgresql" ;;
  redis-server) packages="redis-server" ;;
  wrk) packages="wrk" ;;
  *) packages="$tool" ;;
esac
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing $packages with apt-get..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
else
  echo "Missing $tool: install it with: sudo apt-get install -y $packages" >&2
  exit 1
fi
