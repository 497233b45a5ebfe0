#!/usr/bin/env bash
# Make sure the given Debian packages are installed.
#
#   scripts/system-deps.sh PACKAGE...
#
# Quiet when everything is there. As root, installs what is missing (apt-get update once,
# then apt-get install --no-install-recommends); otherwise prints the command to run and
# exits 1.
set -euo pipefail

missing=()
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    echo "Installing missing system packages: ${missing[*]}" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
    echo "Missing system packages. Run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
