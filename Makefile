# The two commands of the README: `make run` starts the desktop app, `make test` runs every
# test. Each installs what it needs first (Debian packages, npm packages), and does nothing
# for what is already there. `make e2e` runs only the desktop app's end-to-end tests;
# `make bench` measures the figures in docs/benchmarks.md (not part of `make test` or CI).

.PHONY: run test e2e bench setup test-tools ui build-all ui-test test-provider rust-test fmt-check

CARGO ?= cargo

run: setup ui
	$(CARGO) build -p sso-setup-desktop -p sso-setup
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "error: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window" >&2; \
	  echo "hint: use the command line instead: ./target/debug/sso-setup --help (for example: ./target/debug/sso-setup redirect-uri --vendor pelanor --idp okta --org acme)" >&2; \
	  exit 1; \
	fi
	./target/debug/sso-setup-assistant

test: setup test-tools ui ui-test test-provider build-all fmt-check rust-test

# The desktop app in its real webview over WebDriver (also part of `make test`).
e2e: setup test-tools ui
	$(CARGO) test -p sso-setup-desktop --test desktop_journey

setup:
	@bash scripts/check-toolchains.sh
	@bash scripts/install-system-packages.sh

# The desktop shell embeds ui/dist, so the UI is built before any cargo build.
# Release builds of the app, the CLI and their floors, then every figure beside its floor.
bench: setup test-tools ui
	python3 scripts/bench.py

# tauri-driver, for the end-to-end tests of the desktop app.
test-tools:
	@bash scripts/install-cargo-tools.sh

ui:
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	cd ui && npm run build

# The UI's type check (its types are generated from Rust: a stale or wrong use fails here), then Vitest.
ui-test:
	cd ui && npm run check
	cd ui && npm test

# The certified OpenID provider (the oidc-provider npm package) the flow tests start on loopback.
test-provider:
	cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error

# One build of every target with the test feature set, so `cargo test` does not rebuild.
build-all:
	$(CARGO) build --workspace --all-targets

fmt-check:
	$(CARGO) fmt --all --check

rust-test:
	$(CARGO) test --workspace
