//! Test helpers shared by the integration tests.

pub mod browser;
pub mod cargo_metadata;
pub mod certified_provider;
pub mod counting_http;
pub mod hostile_provider;
pub mod mini_provider;
pub mod saved_files;
pub mod saved_sign_in;
pub mod shared_store;
pub mod stand_in;
pub mod x_server;
