//! Saved connections as the web view sends and sees them (never with the secret).

use super::IpcError;
use serde::{Deserialize, Serialize};
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;

/// A new connection as the Credentials step sends it. The secret is in its own field so it
/// can be moved into a zeroizing `ClientSecret` at once and never travels back.
#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    pub name: String,
    pub vendor: String,
    pub identity_provider: IdentityProviderId,
    pub region: Option<String>,
    pub org: String,
    pub issuer: String,
    pub client_id: String,
    /// `YYYY-MM-DD`, from a date field.
    pub secret_expires: Option<String>,
    /// Empty keeps the secret already in the keychain (editing a saved connection).
    #[ts(type = "string")]
    pub client_secret: zeroize::Zeroizing<String>,
}

/// A saved connection for the home screen. It never carries the secret; `hasSecret` says
/// whether the keychain holds one.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub name: String,
    pub vendor: String,
    pub vendor_name: String,
    pub identity_provider: IdentityProviderId,
    pub identity_provider_name: String,
    pub region: Option<String>,
    pub org: Option<String>,
    pub issuer: String,
    pub client_id: String,
    pub secret_expires: Option<String>,
    pub secret_expiry: sso_setup::connections::connection::SecretExpiry,
    /// `passed`, `failed`, or `never`.
    #[ts(type = "'passed' | 'failed' | 'never'")]
    pub last_test: &'static str,
    pub issuer_notes: Vec<String>,
    /// A warning about the secret just saved (an Entra Secret ID instead of its Value).
    pub secret_warning: Option<String>,
    /// The assistant created the app at the IdP and keeps it (`provision`).
    pub provisioned: bool,
    /// Its secret can be rotated without downtime (an app made through Graph or Okta's API).
    pub can_rotate: bool,
    /// A rotation is started, and the old one stays valid at the IdP until it is finished.
    pub rotation_started: bool,
    /// The last result of "Check all" (or `sso-setup check`), when one ran.
    pub last_check: Option<LastCheckView>,
}

/// When the connection was last checked, and what failed or warned (check IDs).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LastCheckView {
    pub at: String,
    pub ok: bool,
    pub failed: Vec<String>,
    pub warned: Vec<String>,
}

/// One connection's checks from "Check all".
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionHealthView {
    pub name: String,
    pub ok: bool,
    pub checks: Vec<sso_setup::oidc::discovery::Check>,
}

/// "Check all": every saved connection's checks, and damaged files as errors beside them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    pub ok: bool,
    pub checked_at: String,
    pub connections: Vec<ConnectionHealthView>,
    pub problems: Vec<IpcError>,
}

impl ConnectionView {
    pub fn new(
        catalog: &Catalog,
        connection: &sso_setup::connections::connection::Connection,
        issuer_notes: Vec<String>,
        today: sso_setup::platform::calendar_date::CalendarDate,
    ) -> Self {
        ConnectionView {
            name: connection.name.clone(),
            vendor: connection.vendor.clone(),
            vendor_name: catalog
                .vendor(&connection.vendor)
                .map_or_else(|_| connection.vendor.clone(), |vendor| vendor.profile.name.clone()),
            identity_provider: connection.idp,
            identity_provider_name: catalog
                .identity_provider(connection.idp)
                .map_or_else(|| connection.idp.to_string(), |info| info.name.clone()),
            region: connection.region.clone(),
            org: connection.org.clone(),
            issuer: connection.issuer.clone(),
            client_id: connection.client_id.clone(),
            secret_expires: connection.secret_expires.map(|date| date.to_string()),
            secret_expiry: connection.secret_expiry(today),
            last_test: match connection.last_test_report.as_ref().and_then(|report| report.get("ok")) {
                Some(serde_json::Value::Bool(true)) => "passed",
                Some(_) => "failed",
                None => "never",
            },
            issuer_notes,
            secret_warning: None,
            provisioned: connection.management.is_some(),
            can_rotate: connection
                .management
                .as_ref()
                .is_some_and(|management| management.api != sso_setup::connections::connection::ManagementApi::Rfc7592),
            rotation_started: connection
                .management
                .as_ref()
                .is_some_and(|management| management.previous_secret_id.is_some()),
            last_check: connection.check_history.last().map(|record| LastCheckView {
                at: record.at.clone(),
                ok: record.ok,
                failed: record.failed.clone(),
                warned: record.warned.clone(),
            }),
        }
    }
}

/// The home screen's list: good connections, and damaged files as errors beside them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionList {
    pub connections: Vec<ConnectionView>,
    pub problems: Vec<IpcError>,
}

/// Where "Check all" is, for its progress line: sent before each connection's checks start
/// (`checked` false) and after its result is kept (`checked` true, with `ok`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckAllProgress {
    pub connection: String,
    #[ts(type = "number")]
    pub position: usize,
    #[ts(type = "number")]
    pub total: usize,
    pub checked: bool,
    pub ok: Option<bool>,
}

/// Something a saved connection needs (a secret inside its warning window or past its date,
/// a failed last check), as one line of text for the home screen; the same lines make the
/// desktop notification.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderView {
    pub connection: String,
    /// `fail` for an expired secret or a failed check, `warn` for a secret expiring soon.
    pub severity: sso_setup::oidc::discovery::CheckStatus,
    pub text: String,
}

impl ReminderView {
    pub fn new(reminder: &sso_setup::journeys::reminders::Reminder) -> ReminderView {
        use sso_setup::journeys::reminders::ReminderReason;
        use sso_setup::oidc::discovery::CheckStatus;
        ReminderView {
            connection: reminder.connection.clone(),
            severity: match reminder.reason {
                ReminderReason::SecretExpiresSoon { .. } => CheckStatus::Warn,
                ReminderReason::SecretExpired { .. } | ReminderReason::LastCheckFailed { .. } => CheckStatus::Fail,
            },
            text: reminder.text(),
        }
    }
}

/// The setup report was written here.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportWritten {
    pub path: String,
}
