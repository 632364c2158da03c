# The two commands of the README: `make run` starts the desktop app, `make test` runs every
# test. Each installs what it needs first (Debian packages, npm packages), and does nothing
# for what is already there.

.PHONY: run test setup ui build-all ui-test test-provider rust-test fmt-check

CARGO ?= cargo

run: setup ui
	$(CARGO) build -p sso-setup-desktop -p sso-setup
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "error: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot open a window" >&2; \
	  echo "hint: use the command line instead: ./target/debug/sso-setup --help (for example: ./target/debug/sso-setup redirect-uri --vendor pelanor --idp okta --org acme)" >&2; \
	  exit 1; \
	fi
	./target/debug/sso-setup-assistant

test: setup ui ui-test test-provider build-all fmt-check rust-test

setup:
	@bash scripts/check-toolchains.sh
	@bash scripts/install-system-packages.sh

# The desktop shell embeds ui/dist, so the UI is built before any cargo build.
ui:
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	cd ui && npm run build

ui-test:
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
