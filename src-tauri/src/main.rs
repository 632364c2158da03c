//! The desktop app's entry point; everything else is in the library half of this crate.

// Without this a console window opens beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    sso_setup_desktop::run();
}
