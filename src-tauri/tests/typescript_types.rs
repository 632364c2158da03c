//! `ui/src/ipc/generated.ts` is exactly what the Rust types generate: a field renamed, a
//! shape added or an error code added in Rust fails here until the file is regenerated,
//! and the UI's type check then shows every place that must follow.

use std::path::Path;

#[test]
fn the_checked_in_typescript_types_are_the_generated_ones() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/generated.ts");
    let generated = sso_setup_desktop::typescript_declarations();
    if std::env::var_os("UPDATE_TYPESCRIPT").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "ui/src/ipc/generated.ts is stale: UPDATE_TYPESCRIPT=1 cargo test -p sso-setup-desktop --test typescript_types"
    );
    // The shapes the UI branches on are there, typed.
    assert!(generated.contains("export type ErrorCode = "), "{generated}");
    assert!(generated.contains("\"org-value-uppercase\""));
    assert!(generated.contains("export type IpcError = { code: ErrorCode, "), "{generated}");
    assert!(!generated.contains("bigint"), "every number crosses as a JSON number");
}
