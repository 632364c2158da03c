//! The floor for the command-line benchmark (`make bench`): a Rust program that starts and
//! exits, built with the same profile as `sso-setup`.

fn main() {}
