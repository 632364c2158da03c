//! The commands the web view may call, one file per part of the app. Each body is: convert
//! the input, call a journey of the core, convert the output; about 10-20 lines.
//!
//! No command returns a client secret: `save_connection` takes one and moves it straight
//! into the secret store, `provision_app` has the IdP put its own there, and every later use
//! (provider check, sign-in test, bundle, clipboard) reads it from there in Rust.

pub mod bundle;
pub mod catalog;
pub mod connections;
pub mod explain;
pub mod provider;
pub mod provision;
pub mod report;

use crate::dto::IpcError;
use sso_setup::error::UserFacingError;

pub(crate) fn ipc(error: impl UserFacingError) -> IpcError {
    IpcError::from_core(&error)
}

/// A journey's error as the web view receives it.
pub(crate) fn journey_error(error: sso_setup::journeys::JourneyError) -> IpcError {
    IpcError::from_core(error.as_ref())
}
