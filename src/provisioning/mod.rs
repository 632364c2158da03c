//! Creating and keeping the IdP app for the admin.
//!
//! [`desired_client`] turns a vendor profile, an org value and an IdP into the client the
//! vendor needs, as data. [`plan`] compares it with what exists at the IdP and lists the
//! requests that would make the two the same: the one list drives a dry run (printed, nothing
//! sent), a drift check (each difference a failing check) and an apply (sent in order, and
//! nothing when nothing differs). [`client_registration`] speaks the standard protocol:
//! OpenID Connect Dynamic Client Registration 1.0 / RFC 7591 and its management, RFC 7592.
//!
//! Entra ID has no registration endpoint: [`microsoft_graph`] creates its apps through
//! Microsoft Graph, and [`okta_apps`] Okta's through its Management API (where Federation
//! Broker Mode and assignments live), with what the two share in [`admin_api`].
//!
//! The journeys that use them are in `journeys::provision`.

pub mod admin_api;
pub mod client_registration;
pub mod desired_client;
pub mod microsoft_graph;
pub mod okta_apps;
pub mod plan;

/// The keychain account of a connection's management credential (an RFC 7592 registration
/// access token), beside the client secret under the connection's own name. Connection
/// names cannot hold `#`, so the two never collide.
pub fn management_account(connection: &str) -> String {
    format!("{connection}#management")
}

/// The keychain account of an admin token the admin asked to keep for a connection (an Okta
/// API token, a Graph access token), beside the other two.
pub fn admin_account(connection: &str) -> String {
    format!("{connection}#admin")
}
