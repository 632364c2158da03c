//! The core of SSO Setup Assistant: everything the `sso-setup` command line and the
//! desktop app can do, with no user interface and no dependency on Tauri.
//!
//! The two faces (`src/bin/sso-setup/` and `src-tauri/`) convert their input, call into
//! this library, and render what it returns. Nothing here prints, opens windows or reads
//! the process environment on its own: side effects come in as arguments.
//!
//! Start with [`journeys`]: each thing an admin sets out to do, written once for both
//! faces, taking its side effects as arguments. Below them, by capability:
//! [`catalog`] (the vendors and IdPs, and the exact values built from them),
//! [`guidance`] (the guide, the explanation of an error), [`oidc`] (the OpenID Connect
//! client and its loopback listener), [`connections`] (the secret, the keychain, saved
//! connections, the bundle) and [`platform`] (the computer around it). ARCHITECTURE.md has
//! the map.

pub mod catalog;
pub mod connections;
pub mod error;
pub mod guidance;
pub mod journeys;
pub mod oidc;
pub mod platform;
pub mod provisioning;
