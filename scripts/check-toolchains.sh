#!/usr/bin/env bash
# Checks that the Rust and Node toolchains the build needs are present and new enough,
# and says how to get them when they are not. Called by `make run` and `make test`.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo (the Rust toolchain) is not installed" >&2
  echo "hint: install Rust 1.85 or newer with rustup (https://rustup.rs), then run this command again" >&2
  exit 1
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: Node.js and npm are not installed; the desktop app's web UI is built with them" >&2
  echo "hint: install Node.js 20.19 or newer (Debian/Ubuntu: from NodeSource or your distribution's backports), then run this command again" >&2
  exit 1
fi

node_version=$(node -p 'process.versions.node')
major=${node_version%%.*}
rest=${node_version#*.}
minor=${rest%%.*}
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "error: Node.js $node_version is too old; the UI build (Vite 8) needs 20.19 or newer" >&2
  echo "hint: install a newer Node.js, then run this command again" >&2
  exit 1
fi

# A clean debug build of the workspace writes about 2.5 GB to target/ (and the UI's and the
# test provider's node_modules about 0.3 GB). Running out halfway ends in rustc's "No space
# left on device" minutes in, so say it before starting.
needed_kib=$((3 * 1024 * 1024))
free_kib=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [ -n "$free_kib" ] && [ "$free_kib" -lt "$needed_kib" ]; then
  echo "error: only $((free_kib / 1024)) MiB free on the disk that holds $(pwd); building and testing needs about 3 GiB" >&2
  echo "hint: free some space (for example \`cargo clean\` here or in other Rust checkouts), then run this command again" >&2
  exit 1
fi
