#!/usr/bin/env bash
# Installs the cargo tools the tests need, when they are missing or of the wrong major
# version: tauri-driver 2 (the WebDriver server in front of WebKitWebDriver, for the desktop
# app's end-to-end tests). Pinned to major 2: crates.io also serves 3.0 alphas.
set -euo pipefail

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -x "$cargo_bin/tauri-driver" ] && "$cargo_bin/tauri-driver" --help 2>&1 | grep -q -- '--native-driver'; then
  exit 0
fi
echo "installing tauri-driver 2 (once; about 3 minutes)..." >&2
if ! cargo install tauri-driver --version '^2' --locked --quiet; then
  echo "error: tauri-driver could not be installed from crates.io" >&2
  echo "hint: check the network access to crates.io, then run this command again" >&2
  exit 1
fi
