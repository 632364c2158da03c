//! The health of saved connections after day one (`sso-setup check`), without a browser:
//! the provider's discovery document and keys (the same checks as `discover`), whether the
//! token endpoint still accepts the client secret (`oidc::secret_probe`), the secret's expiry
//! (a warning inside 30 days, a failure once past), and, for an app `provision` created, the
//! drift between it and what the vendor needs.
//!
//! Connections are checked concurrently, a bounded number at a time, and reported in the
//! order of their names; each has a deadline, so a provider that is down fails in seconds.
//! Each result is kept with its connection (its `check_history`, bounded).

use super::provision::{provision, ProvisionInput, ProvisionMode};
use super::{boxed, JourneyError, SecretSource, SideEffects};
use crate::catalog::vendor_profile::TokenEndpointAuthMethod;
use crate::catalog::Catalog;
use crate::connections::connection::{CheckRecord, Connection, ConnectionError, SecretExpiry};
use crate::connections::keychain::SecretStore;
use crate::connections::secret::ClientSecret;
use crate::error::{ErrorReport, UserFacingError};
use crate::oidc::discovery::{discover, Check, CheckStatus};
use crate::oidc::http_fetch::HttpFetch;
use crate::oidc::issuer::normalise_issuer;
use crate::oidc::secret_probe::{probe_client_secret, SecretVerdict};
use futures_util::StreamExt as _;
use serde::Serialize;
use std::time::Duration;

/// How many connections are checked at once.
pub const CONCURRENT_CHECKS: usize = 16;

/// The most one connection's checks may take, all requests together.
pub const DEADLINE_PER_CONNECTION: Duration = Duration::from_secs(30);

/// Where a run of [`check_connections_in_turn`] is: `position` counts from 1 to `total`.
#[derive(Debug, Clone, Copy)]
pub enum CheckProgress<'a> {
    Checking { connection: &'a str, position: usize, total: usize },
    Checked { health: &'a ConnectionHealth, position: usize, total: usize },
}

/// Which connections to check.
#[derive(Debug, Clone, Copy)]
pub enum ConnectionsToCheck<'a> {
    One(&'a str),
    All,
}

/// One connection's checks.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionHealth {
    pub connection: String,
    /// No check failed (warnings allowed).
    pub ok: bool,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthReport {
    pub ok: bool,
    pub checked_at: String,
    pub connections: Vec<ConnectionHealth>,
    /// Connection files that could not be read, by error; each makes the report fail.
    pub unreadable: Vec<ErrorReport>,
}

fn check(id: &'static str, status: CheckStatus, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check { id, status, detail: detail.into(), hint: hint.map(str::to_owned) }
}

/// Checks the connections and returns every result; a failed check is a result, not an error.
pub async fn check_connections<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    which: ConnectionsToCheck<'_>,
    concurrency: usize,
) -> Result<HealthReport, JourneyError> {
    let mut unreadable = Vec::new();
    let connections: Vec<Connection> = match which {
        ConnectionsToCheck::One(name) => vec![effects.connections.load(name).map_err(boxed)?],
        ConnectionsToCheck::All => effects
            .connections
            .list()
            .map_err(boxed)?
            .into_iter()
            .filter_map(|entry| entry.map_err(|error| unreadable.push(error.to_report())).ok())
            .collect(),
    };
    let secrets = read_secrets_side_by_side(effects.secrets.as_ref(), &connections, concurrency);
    // `buffered` runs up to `concurrency` at once and yields in the input's order.
    let mut connections: Vec<ConnectionHealth> = futures_util::stream::iter(connections.iter().zip(secrets))
        .map(|(connection, secret)| checked_within_the_deadline(http, catalog, effects, connection, Some(secret)))
        .buffered(concurrency.max(1))
        .collect()
        .await;
    // Each result is kept with its connection, so the home screen and the setup report can
    // say when it last passed.
    for health in &mut connections {
        record(effects, health);
    }
    Ok(HealthReport {
        ok: unreadable.is_empty() && connections.iter().all(|health| health.ok),
        checked_at: effects.clock.now_rfc3339(),
        connections,
        unreadable,
    })
}

/// Keeps a result with its connection; a failure to keep it becomes a warning of the run.
fn record(effects: &SideEffects, health: &mut ConnectionHealth) {
    let ids = |status: CheckStatus| {
        let mut ids: Vec<String> =
            health.checks.iter().filter(|check| check.status == status).map(|check| check.id.to_owned()).collect();
        ids.dedup();
        ids
    };
    let record = CheckRecord {
        at: effects.clock.now_rfc3339(),
        ok: health.ok,
        failed: ids(CheckStatus::Fail),
        warned: ids(CheckStatus::Warn),
    };
    if let Err(error) = effects.connections.record_check(&health.connection, record) {
        health.checks.push(check(
            "history",
            CheckStatus::Warn,
            format!("the result could not be kept with the connection: {error}"),
            error.hint().as_deref(),
        ));
    }
}

/// Checks the saved connections one after the other and keeps each result, for a face whose
/// futures must be `Send` in any context (the desktop's commands): `check_connections`'
/// bounded concurrency is for the command line's hundreds.
///
/// `progress` hears of each connection before its checks start and after its result is kept,
/// so a face can say "Checking 3 of 12: acme-okta" while the run goes on.
pub async fn check_connections_in_turn<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    progress: &mut (dyn FnMut(CheckProgress<'_>) + Send),
) -> Result<HealthReport, JourneyError> {
    let mut unreadable = Vec::new();
    let mut connections = Vec::new();
    let entries = effects.connections.list().map_err(boxed)?;
    let total = entries.iter().filter(|entry| entry.is_ok()).count();
    for entry in entries {
        match entry {
            Ok(connection) => {
                let position = connections.len() + 1;
                progress(CheckProgress::Checking { connection: &connection.name, position, total });
                let mut health = check_connection(http, catalog, effects, &connection).await;
                record(effects, &mut health);
                progress(CheckProgress::Checked { health: &health, position, total });
                connections.push(health);
            }
            Err(error) => unreadable.push(error.to_report()),
        }
    }
    Ok(HealthReport {
        ok: unreadable.is_empty() && connections.iter().all(|health| health.ok),
        checked_at: effects.clock.now_rfc3339(),
        connections,
        unreadable,
    })
}

/// A connection's stored secret, as read before its checks.
type SecretRead = Result<ClientSecret, ConnectionError>;

/// Every connection's stored secret, read on up to `threads` threads at once, in the order of
/// `connections`. A keychain read is a blocking exchange with the Secret Service (a D-Bus
/// connection and an encrypted session of its own each time, milliseconds), so read inside
/// each connection's checks they ran one after the other on the command line's one thread,
/// however many checks were in flight: a hundred connections took a hundred reads in a row.
fn read_secrets_side_by_side(store: &dyn SecretStore, connections: &[Connection], threads: usize) -> Vec<SecretRead> {
    if connections.is_empty() {
        return Vec::new();
    }
    let per_thread = connections.len().div_ceil(threads.max(1));
    std::thread::scope(|scope| {
        let readers: Vec<_> = connections
            .chunks(per_thread)
            .map(|part| scope.spawn(move || part.iter().map(|connection| connection.stored_secret(store)).collect()))
            .collect();
        readers
            .into_iter()
            .flat_map(|reader: std::thread::ScopedJoinHandle<'_, Vec<SecretRead>>| {
                reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One connection's checks, under the same deadline (a rotation tries its new secret with it).
pub async fn check_connection<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    connection: &Connection,
) -> ConnectionHealth {
    checked_within_the_deadline(http, catalog, effects, connection, None).await
}

/// [`check_connection`], with the secret already read (`None`: read it from the store).
async fn checked_within_the_deadline<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    connection: &Connection,
    secret: Option<SecretRead>,
) -> ConnectionHealth {
    match tokio::time::timeout(DEADLINE_PER_CONNECTION, check_one(http, catalog, effects, connection, secret)).await {
        Ok(health) => health,
        Err(_) => ConnectionHealth {
            connection: connection.name.clone(),
            ok: false,
            checks: vec![check(
                "deadline",
                CheckStatus::Fail,
                format!("the checks did not finish within {} s", DEADLINE_PER_CONNECTION.as_secs()),
                Some("the provider answers too slowly or not at all; check that it is up and reachable from here"),
            )],
        },
    }
}

async fn check_one<H: HttpFetch>(
    http: &H,
    catalog: &Catalog,
    effects: &SideEffects,
    connection: &Connection,
    secret: Option<SecretRead>,
) -> ConnectionHealth {
    let mut checks = Vec::new();
    let vendor = catalog.vendor(&connection.vendor).ok().map(|entry| &entry.profile);
    let finish = |checks: Vec<Check>| ConnectionHealth {
        connection: connection.name.clone(),
        ok: checks.iter().all(|check| check.status != CheckStatus::Fail),
        checks,
    };

    // The secret's expiry first: it needs nothing from the network.
    checks.push(match connection.secret_expiry(effects.clock.today()) {
        SecretExpiry::Unknown => check("secret-expiry", CheckStatus::Pass, "no expiry date is saved for the secret", None),
        SecretExpiry::Valid { days_left } => check(
            "secret-expiry",
            CheckStatus::Pass,
            format!("the secret expires in {days_left} days"),
            None,
        ),
        SecretExpiry::ExpiresSoon { days_left } => check(
            "secret-expiry",
            CheckStatus::Warn,
            format!(
                "the secret expires in {days_left} days, on {}",
                connection.secret_expires.map(|date| date.to_string()).unwrap_or_default()
            ),
            Some("create a new secret at the IdP before then, save it with the connection, and send the vendor a new bundle"),
        ),
        SecretExpiry::Expired { days_ago } => check(
            "secret-expiry",
            CheckStatus::Fail,
            format!("the secret expired {days_ago} days ago"),
            Some("create a new secret at the IdP, save it with the connection, and send the vendor a new bundle"),
        ),
    });

    // The provider, as `discover` checks it.
    let issuer = match normalise_issuer(&connection.issuer, Some(connection.idp), None) {
        Ok(issuer) => issuer,
        Err(error) => {
            checks.push(check("issuer", CheckStatus::Fail, error.to_string(), error.hint().as_deref()));
            return finish(checks);
        }
    };
    let discovery = discover(http, issuer.clone(), vendor.map(|profile| &profile.oidc)).await;
    checks.extend(discovery.checks.iter().cloned());
    if let Some(failure) = discovery.failure() {
        if !discovery.checks.iter().any(|check| check.status == CheckStatus::Fail) {
            checks.push(check("discovery", CheckStatus::Fail, failure.message, failure.hint.as_deref()));
        }
        return finish(checks);
    }

    // The secret, at the token endpoint.
    // One of the app's redirect URIs: the vendor's, or the ones it sent.
    let redirect_uri = connection
        .management
        .as_ref()
        .and_then(|management| management.given_redirect_uris.first().cloned())
        .or_else(|| {
            let profile = vendor?;
            crate::catalog::redirect_uri::build_vendor_uris(
                profile,
                crate::catalog::redirect_uri::UriRequest {
                    region: connection.region.as_deref(),
                    identity_provider: Some(connection.idp),
                    org: connection.org.as_deref().unwrap_or_default(),
                },
            )
            .ok()
            .map(|uris| uris.redirect_uri)
        })
        .and_then(|uri| openidconnect::RedirectUrl::new(uri).ok());
    let secret = secret.unwrap_or_else(|| connection.stored_secret(effects.secrets.as_ref()));
    checks.push(secret_check(http, connection, &issuer.issuer, &discovery, secret, redirect_uri.as_ref()).await);

    // The app `provision` created: still what the vendor needs? A standard registration is
    // read with its registration access token; a Graph or Okta app only with the admin's
    // token, when the admin asked to keep one for this connection.
    let kept_credential = match connection.management.as_ref().map(|management| management.api) {
        None => false,
        Some(crate::connections::connection::ManagementApi::Rfc7592) => true,
        Some(_) => super::admin_sign_in::admin_token_is_kept(effects, &connection.name),
    };
    if connection.management.is_some() && !kept_credential {
        // Graph's admin token lives an hour and is kept only when the admin asks, so a
        // scheduled check cannot read the app; the admin runs the drift check with a token.
        checks.push(check(
            "drift",
            CheckStatus::Warn,
            "not checked: reading the app at the IdP needs the admin's token, and none is kept for this connection",
            Some("run provision's drift check with the admin's token, or have the token kept for this connection the next time you give it"),
        ));
    }
    if kept_credential {
        let input = ProvisionInput {
            connection: &connection.name,
            vendor: None,
            identity_provider: None,
            region: None,
            org: None,
            issuer: None,
            redirect_uris: &[],
            sign_out_uris: &[],
            assign_group: None,
            secret_expires_in_days: None,
            admin_token: SecretSource::NotGiven,
            admin_api_url: None,
            mode: ProvisionMode::Check,
        };
        match provision(http, catalog, effects, input, &mut |_| {}).await {
            Ok(outcome) if outcome.plan.differences.is_empty() => {
                checks.push(check("drift", CheckStatus::Pass, "the app at the IdP is what the vendor needs", None))
            }
            Ok(outcome) => {
                for difference in outcome.plan.differences {
                    checks.push(check(
                        "drift",
                        CheckStatus::Fail,
                        format!("{} {}", difference.field, difference.detail),
                        Some("`provision` puts the app back as the vendor needs it"),
                    ));
                }
            }
            Err(error) => checks.push(check("drift", CheckStatus::Fail, error.to_string(), error.hint().as_deref())),
        }
    }
    finish(checks)
}

async fn secret_check<H: HttpFetch>(
    http: &H,
    connection: &Connection,
    issuer: &str,
    discovery: &crate::oidc::discovery::DiscoveryReport,
    secret: SecretRead,
    redirect_uri: Option<&openidconnect::RedirectUrl>,
) -> Check {
    let secret = match secret {
        Ok(secret) => secret,
        Err(error) => return check("client-secret", CheckStatus::Fail, error.to_string(), error.hint().as_deref()),
    };
    let Some(token_endpoint) = discovery.provider.token_endpoint.as_deref().and_then(|text| url::Url::parse(text).ok())
    else {
        return check("client-secret", CheckStatus::Fail, "the discovery document has no usable token_endpoint", None);
    };
    let Ok(issuer) = openidconnect::IssuerUrl::new(issuer.to_owned()) else {
        return check("client-secret", CheckStatus::Fail, "the issuer is not a URL", None);
    };
    let method = discovery.provider.token_endpoint_auth_method.unwrap_or(TokenEndpointAuthMethod::ClientSecretBasic);
    let client_id = openidconnect::ClientId::new(connection.client_id.clone());
    match probe_client_secret(http, &issuer, &token_endpoint, method, &client_id, &secret, redirect_uri).await {
        Ok(SecretVerdict::Accepted) => check(
            "client-secret",
            CheckStatus::Pass,
            format!("the token endpoint accepts the client secret ({}; a made-up code got invalid_grant)", method.as_str()),
            None,
        ),
        Ok(SecretVerdict::Refused { error, description }) => check(
            "client-secret",
            CheckStatus::Fail,
            format!(
                "the token endpoint refused the client secret ({error}{})",
                description.map(|text| format!(": {text}")).unwrap_or_default()
            ),
            Some("the secret is wrong, expired or was deleted at the IdP (or the app's auth method changed): create a new secret, save it with the connection, and send the vendor a new bundle"),
        ),
        Ok(SecretVerdict::Unclear { detail }) => check(
            "client-secret",
            CheckStatus::Warn,
            format!("{detail}; whether the secret is accepted is not clear"),
            Some("run the sign-in test (`test-flow`) to be sure"),
        ),
        Ok(SecretVerdict::TokensForAMadeUpCode) => check(
            "client-secret",
            CheckStatus::Fail,
            "the token endpoint issued tokens for a code it never issued",
            Some("do not trust this provider: it does not check authorization codes"),
        ),
        Err(error) => check("client-secret", CheckStatus::Fail, error.to_string(), error.hint().as_deref()),
    }
}
