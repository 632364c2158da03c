//! What an admin keeps: the client secret (a type that cannot be printed, serialised or
//! cloned), the OS keychain that holds it, saved connections (a file per connection, bound
//! to the secret's issuer and client ID), and the encrypted bundle that carries both to the
//! vendor.

pub mod bundle;
pub mod connection;
pub mod keychain;
pub mod secret;
