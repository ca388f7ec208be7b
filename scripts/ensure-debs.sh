#!/usr/bin/env bash
# Usage: ensure-debs.sh command:package …  — installs the Debian packages whose command is missing.
# Runs apt-get only as root and only when something is missing, so a warm machine pays nothing.
set -euo pipefail
missing=()
for pair in "$@"; do
  cmd=${pair%%:*} pkg=${pair#*:}
  # A command name, or an absolute path that the package installs (a file or a folder).
  if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ] || missing+=("$pkg"); continue; fi
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || [ -x "/usr/bin/$cmd" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-debs: missing Debian packages (install them as root): ${missing[*]}" >&2
  echo "ensure-debs: tests that need them will fail or skip" >&2
  exit 0
fi
echo "ensure-debs: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
