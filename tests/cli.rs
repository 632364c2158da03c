//! Command tests as data: every file in `tests/cmd/` is one `sso-setup` invocation with its
//! expected exit status, stdout and stderr (trycmd). `TRYCMD=overwrite cargo test --test cli`
//! rewrites the expectations; review the diff before committing it.

#[test]
fn command_line_cases() {
    trycmd::TestCases::new()
        // Keep the admin's own vendor folder out of the expectations.
        .env("XDG_CONFIG_HOME", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/no-config-here"))
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
