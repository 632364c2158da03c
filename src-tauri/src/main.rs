//! The desktop app's entry point; everything else is in the library half of this crate.

// Without this a console window opens beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Every freed block of Rust memory is wiped, so copies of a secret that libraries make (the
/// HTTP client's buffers) do not outlive their use (`sso_setup::wipe_on_free`).
#[global_allocator]
static ALLOCATOR: sso_setup::platform::wipe_on_free::WipeOnFree = sso_setup::platform::wipe_on_free::WipeOnFree;

fn main() {
    sso_setup_desktop::run();
}
