//! The core of SSO Setup Assistant: everything the `sso-setup` command line and the
//! desktop app can do, with no user interface and no dependency on Tauri.
//!
//! The two faces (`src/bin/sso-setup/` and `src-tauri/`) convert their input, call into
//! this library, and render what it returns. Nothing here prints, opens windows or reads
//! the process environment on its own: side effects come in as arguments.
//!
//! Start with [`journeys`]: each thing an admin sets out to do, written once for both
//! faces, taking its side effects as arguments. Below them, [`catalog::Catalog`] holds the
//! vendor profiles and the identity providers, [`redirect_uri::build_vendor_uris`] and
//! [`guide::build_guide`] turn them into exact values and steps.

pub mod atomic_file;
pub mod authorization_request;
pub mod bundle;
pub mod calendar_date;
pub mod catalog;
pub mod clipboard;
pub mod config_folder;
pub mod connection;
pub mod demo_provider;
pub mod diagnosis;
pub mod discovery;
pub mod error;
pub mod flow_test;
pub mod guide;
pub mod http_fetch;
pub mod id_token;
pub mod issuer;
pub mod journeys;
pub mod keychain;
pub mod loopback;
pub mod org_value;
pub mod redirect_uri;
pub mod secret;
pub mod system_browser;
pub mod terminal_text;
pub mod wipe_on_free;
