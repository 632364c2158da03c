#!/usr/bin/env bash
# Installs the Debian packages the app, its build and its tests need, only when some are missing.
# Called by `make run` and `make test`; safe to run again (it does nothing when all are present).
set -euo pipefail

packages=(
  build-essential pkg-config curl file libssl-dev libxdo-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  libdbus-1-dev libsecret-1-dev
  xvfb xauth webkit2gtk-driver gnome-keyring dbus-x11 dbus-daemon dbus-bin xclip
  libsecret-tools age python3 time gdb
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "installing Debian packages: ${missing[*]}" >&2
sudo_prefix=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_prefix=(sudo)
  else
    echo "error: Debian packages are missing and this user cannot install them: ${missing[*]}" >&2
    echo "hint: run 'apt-get install ${missing[*]}' as root, then run this command again" >&2
    exit 1
  fi
fi
"${sudo_prefix[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
