//! The loopback redirect listener of the sign-in flow test (RFC 8252 §7.3, §8.3).
//!
//! It binds a loopback address only (never all interfaces), on an ephemeral port unless the
//! admin registered a fixed one, and serves exactly one path. A `localhost` redirect URI is
//! served on both 127.0.0.1 and [::1] on the same port (RFC 8252 §7.3: browsers try either),
//! and the listener refuses to start when either is taken, since whoever holds the other
//! family's port would receive the code. At most [`CONCURRENT_CONNECTION_LIMIT`] connections
//! are served at once (more are closed at once, so a local process cannot use up file
//! descriptors), a failing `accept` backs off instead of spinning, and `state` is compared in
//! constant time. Each request is checked in
//! this order, and only a request that passes everything ends the wait:
//! - the request head arrives within a few seconds and within 8 KiB (431 otherwise);
//! - `GET` (405) on the callback path (404);
//! - a `Host` header naming this listener (421: DNS rebinding);
//! - a `state` equal to this run's (400, and the flow keeps waiting: a stray or hostile
//!   request must not abort the sign-in);
//! - then, and only then, `error=` is reported (with the provider's description, escaped),
//!   or RFC 9207 `iss` is compared, or the `code` is accepted.
//! Pages load nothing from elsewhere, send `Referrer-Policy: no-referrer` and `no-store`,
//! and echo nothing from the request as markup. The listener closes after the one good
//! callback, so a replayed URL finds no one listening.

use crate::catalog::org_value::escape_text;
use crate::error::UserFacingError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;
use zeroize::Zeroizing;

/// The longest request head accepted (request line and headers).
pub const REQUEST_HEAD_LIMIT: usize = 8 * 1024;

/// How long one connection may take to send its request head.
pub const HEAD_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections served at the same time; a browser needs one or two.
pub const CONCURRENT_CONNECTION_LIMIT: usize = 32;

/// The longest pause after failing `accept` calls (out of file descriptors, say).
const ACCEPT_BACKOFF_LIMIT: Duration = Duration::from_secs(1);

/// How often an ephemeral port is tried for `localhost` before giving up: the port the
/// system picks for 127.0.0.1 may already be taken on [::1].
const EPHEMERAL_PORT_ATTEMPTS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoopbackError {
    #[error(
        "{shown} is not a loopback redirect URI (http://127.0.0.1, http://[::1] or http://localhost, with a path)"
    )]
    NotLoopback { shown: String },
    #[error("port {port} on {address} is already in use by another program")]
    PortInUse { address: String, port: u16 },
    #[error("the loopback listener could not start: {reason}")]
    BindFailed { reason: String },
    #[error("no sign-in came back within {seconds} seconds")]
    TimedOut { seconds: u64 },
    #[error("the identity provider answered error={error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    ProviderError { error: String, description: Option<String> },
    #[error("the callback's iss is {found}, not the issuer {expected} (RFC 9207: a mix-up or a forged response)")]
    IssuerMismatch { found: String, expected: String },
    #[error("the callback has no iss, though the provider says it always sends one (RFC 9207)")]
    MissingIssuer,
    #[error("the callback has state and no code")]
    MissingCode,
}

impl UserFacingError for LoopbackError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            LoopbackError::NotLoopback { .. } => crate::error::ErrorCode::LoopbackNotLoopback,
            LoopbackError::PortInUse { .. } => crate::error::ErrorCode::LoopbackPortInUse,
            LoopbackError::BindFailed { .. } => crate::error::ErrorCode::LoopbackBindFailed,
            LoopbackError::TimedOut { .. } => crate::error::ErrorCode::LoopbackTimedOut,
            LoopbackError::ProviderError { .. } => crate::error::ErrorCode::CallbackProviderError,
            LoopbackError::IssuerMismatch { .. } => crate::error::ErrorCode::CallbackIssuerMismatch,
            LoopbackError::MissingIssuer => crate::error::ErrorCode::CallbackMissingIssuer,
            LoopbackError::MissingCode => crate::error::ErrorCode::CallbackMissingCode,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            LoopbackError::NotLoopback { .. } => {
                "use the exact loopback URI registered at the IdP, e.g. http://127.0.0.1:8400/callback".into()
            }
            LoopbackError::PortInUse { port, .. } => format!(
                "close the program using port {port}, or register another port at the IdP and have the test listen on it"
            ),
            LoopbackError::BindFailed { .. } => {
                "check that this computer allows programs to listen on 127.0.0.1".into()
            }
            LoopbackError::TimedOut { .. } => {
                "run the test again and finish the sign-in in the browser".into()
            }
            LoopbackError::ProviderError { .. } => {
                "explaining the error text gives the cause and the fix".into()
            }
            LoopbackError::IssuerMismatch { .. } => {
                "check that the issuer given to sso-setup is the provider's exact issuer; do not trust this response"
                    .into()
            }
            LoopbackError::MissingIssuer => {
                "this response did not come from the provider as it describes itself; run the test again".into()
            }
            LoopbackError::MissingCode => {
                "the provider's response is incomplete; check the app's response type (code)".into()
            }
        })
    }
}

/// Where to listen: the loopback redirect URI and the address to bind for it.
#[derive(Debug, Clone)]
pub struct LoopbackPlan {
    pub bind_address: IpAddr,
    pub port: u16,
    pub host: String,
    pub path: String,
}

impl LoopbackPlan {
    /// From an exact registered URI (`http://127.0.0.1:8400/callback`, `http://localhost/cb`).
    /// A `localhost` URI is served on 127.0.0.1, the address browsers use for it first.
    pub fn from_redirect_uri(text: &str) -> Result<LoopbackPlan, LoopbackError> {
        let shown = crate::catalog::org_value::escape_for_message(text);
        let url = Url::parse(text).map_err(|_| LoopbackError::NotLoopback { shown: shown.clone() })?;
        if url.scheme() != "http" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(LoopbackError::NotLoopback { shown });
        }
        let (bind_address, host) = match url.host() {
            Some(url::Host::Ipv4(address)) if address == Ipv4Addr::LOCALHOST => {
                (IpAddr::V4(address), address.to_string())
            }
            Some(url::Host::Ipv6(address)) if address == Ipv6Addr::LOCALHOST => {
                (IpAddr::V6(address), format!("[{address}]"))
            }
            Some(url::Host::Domain("localhost")) => (IpAddr::V4(Ipv4Addr::LOCALHOST), "localhost".to_owned()),
            _ => return Err(LoopbackError::NotLoopback { shown }),
        };
        Ok(LoopbackPlan { bind_address, port: url.port().unwrap_or(0), host, path: url.path().to_owned() })
    }

    /// The addresses to listen on: both loopback families for `localhost`, else the one named.
    pub fn bind_addresses(&self) -> Vec<IpAddr> {
        if self.host == "localhost" {
            vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]
        } else {
            vec![self.bind_address]
        }
    }

    /// The default: `http://127.0.0.1:<port>/callback`, port 0 meaning any free port.
    pub fn on_port(port: u16) -> LoopbackPlan {
        LoopbackPlan {
            bind_address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            host: "127.0.0.1".into(),
            path: "/callback".into(),
        }
    }
}

/// What a good callback must carry.
#[derive(Debug, Clone)]
pub struct CallbackExpectation {
    pub state: String,
    pub issuer: String,
    /// The provider advertises `authorization_response_iss_parameter_supported`.
    pub require_iss: bool,
}

/// A callback that passed every check.
pub struct AuthorizationCode {
    pub code: Zeroizing<String>,
    pub iss: Option<String>,
}

impl std::fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationCode").field("code", &"redacted").field("iss", &self.iss).finish()
    }
}

/// Why a request did not end the wait (for progress reports; never includes the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoredRequest {
    HeadTooLarge,
    HeadTimedOut,
    NotGet,
    WrongPath,
    WrongHost,
    WrongState,
    /// More connections were open than [`CONCURRENT_CONNECTION_LIMIT`]; this one was closed.
    TooManyConnections,
}

pub struct LoopbackListener {
    listeners: Vec<TcpListener>,
    redirect_uri: String,
    plan: LoopbackPlan,
    head_read_timeout: Duration,
}

fn bind_error(address: IpAddr, port: u16, error: &std::io::Error) -> LoopbackError {
    if error.kind() == std::io::ErrorKind::AddrInUse {
        LoopbackError::PortInUse { address: address.to_string(), port }
    } else {
        LoopbackError::BindFailed { reason: error.to_string() }
    }
}

/// Binds every address on one port (port 0: the port the system picks for the first). A port
/// taken on any of them is `PortInUse`; for an ephemeral port the caller then tries another.
async fn bind_all(addresses: &[IpAddr], port: u16) -> Result<Vec<TcpListener>, LoopbackError> {
    let mut listeners: Vec<TcpListener> = Vec::new();
    let mut port = port;
    for (index, &address) in addresses.iter().enumerate() {
        match TcpListener::bind(SocketAddr::new(address, port)).await {
            Ok(listener) => {
                if index == 0 {
                    port = listener
                        .local_addr()
                        .map_err(|error| LoopbackError::BindFailed { reason: error.to_string() })?
                        .port();
                }
                listeners.push(listener);
            }
            // A computer without IPv6 has no [::1] to bind, and so no one else can take it.
            Err(error) if index > 0 && address.is_ipv6() && error.kind() == std::io::ErrorKind::AddrNotAvailable => {}
            Err(error) => return Err(bind_error(address, port, &error)),
        }
    }
    Ok(listeners)
}

impl LoopbackListener {
    pub async fn bind(plan: LoopbackPlan) -> Result<LoopbackListener, LoopbackError> {
        let addresses = plan.bind_addresses();
        let attempts = if plan.port == 0 && addresses.len() > 1 { EPHEMERAL_PORT_ATTEMPTS } else { 1 };
        let mut outcome = Err(LoopbackError::BindFailed { reason: "no address to listen on".into() });
        for _ in 0..attempts {
            outcome = bind_all(&addresses, plan.port).await;
            match &outcome {
                // The ephemeral port picked for 127.0.0.1 is taken on [::1]: pick another.
                Err(LoopbackError::PortInUse { .. }) if plan.port == 0 => continue,
                _ => break,
            }
        }
        let listeners = outcome?;
        let port =
            listeners[0].local_addr().map_err(|error| LoopbackError::BindFailed { reason: error.to_string() })?.port();
        let redirect_uri = format!("http://{}:{port}{}", plan.host, plan.path);
        Ok(LoopbackListener {
            listeners,
            redirect_uri,
            plan: LoopbackPlan { port, ..plan },
            head_read_timeout: HEAD_READ_TIMEOUT,
        })
    }

    /// How long one connection may take to send its request head (tests shorten it).
    pub fn with_head_read_timeout(mut self, timeout: Duration) -> LoopbackListener {
        self.head_read_timeout = timeout;
        self
    }

    /// The exact redirect URI to send in the authorization and token requests.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The first address listened on (127.0.0.1 for `localhost`).
    pub fn local_address(&self) -> SocketAddr {
        self.listeners[0].local_addr().expect("a bound listener has an address")
    }

    /// Every address listened on.
    pub fn local_addresses(&self) -> Vec<SocketAddr> {
        self.listeners.iter().filter_map(|listener| listener.local_addr().ok()).collect()
    }

    /// Serves requests until one good callback arrives, the provider reports an error for
    /// this run, or `timeout` passes. `on_ignored` hears about each request that was turned
    /// away. The listener is closed when this returns.
    pub async fn wait_for_callback(
        self,
        expectation: &CallbackExpectation,
        timeout: Duration,
        mut on_ignored: impl FnMut(IgnoredRequest),
    ) -> Result<AuthorizationCode, LoopbackError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Outcome>(16);
        let (accepted_sender, mut accepted) = tokio::sync::mpsc::channel::<TcpStream>(1);
        let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENT_CONNECTION_LIMIT));
        // One accept loop per address family; they end with this function (the tasks are
        // aborted below, which closes the sockets).
        let accept_loops: Vec<tokio::task::JoinHandle<()>> = self
            .listeners
            .into_iter()
            .map(|listener| tokio::spawn(accept_loop(listener, accepted_sender.clone())))
            .collect();
        drop(accepted_sender);
        let abort_all = || accept_loops.iter().for_each(tokio::task::JoinHandle::abort);
        let outcome = loop {
            tokio::select! {
                Some(stream) = accepted.recv() => {
                    // Past the limit a connection is closed at once: a local process that
                    // opens thousands of idle connections holds none of our descriptors.
                    let Ok(slot) = slots.clone().try_acquire_owned() else {
                        drop(stream);
                        on_ignored(IgnoredRequest::TooManyConnections);
                        continue;
                    };
                    let sender = sender.clone();
                    let plan = self.plan.clone();
                    let expectation = expectation.clone();
                    let head_read_timeout = self.head_read_timeout;
                    // Each connection on its own task, so a slow one cannot hold up the rest.
                    tokio::spawn(async move {
                        let outcome = serve_connection(stream, &plan, &expectation, head_read_timeout).await;
                        drop(slot);
                        let _ = sender.send(outcome).await;
                    });
                }
                Some(outcome) = receiver.recv() => match outcome {
                    Outcome::Ignored(reason) => on_ignored(reason),
                    Outcome::Finished(result) => break result,
                },
                () = tokio::time::sleep_until(deadline) => {
                    break Err(LoopbackError::TimedOut { seconds: timeout.as_secs() });
                }
            }
        };
        abort_all();
        for accept_loop in accept_loops {
            let _ = accept_loop.await;
        }
        outcome
    }
}

/// The pause after `failures` failed `accept` calls in a row: none after a success, then
/// doubling from 10 ms up to [`ACCEPT_BACKOFF_LIMIT`]. Without it a persistent error (no
/// file descriptors left) turns the loop into a busy spin.
pub fn accept_backoff(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let millis = 10u64.saturating_mul(1u64 << failures.min(16).saturating_sub(1));
    Duration::from_millis(millis).min(ACCEPT_BACKOFF_LIMIT)
}

async fn accept_loop(listener: TcpListener, accepted: tokio::sync::mpsc::Sender<TcpStream>) {
    let mut failures = 0u32;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                failures = 0;
                if accepted.send(stream).await.is_err() {
                    return;
                }
            }
            Err(_) => {
                failures = failures.saturating_add(1);
                tokio::time::sleep(accept_backoff(failures)).await;
            }
        }
    }
}

enum Outcome {
    Ignored(IgnoredRequest),
    Finished(Result<AuthorizationCode, LoopbackError>),
}

async fn read_head(stream: &mut TcpStream, timeout: Duration) -> Result<Zeroizing<Vec<u8>>, IgnoredRequest> {
    // The request line carries the authorization code: zeroizing, and sized so that it
    // never grows (growth would leave unwiped copies).
    let mut head = Zeroizing::new(Vec::with_capacity(REQUEST_HEAD_LIMIT + 1024));
    let mut buffer = Zeroizing::new([0u8; 1024]);
    let read = async {
        loop {
            if head.len() > REQUEST_HEAD_LIMIT {
                return Err(IgnoredRequest::HeadTooLarge);
            }
            if head.windows(4).any(|window| window == b"\r\n\r\n") {
                return Ok(());
            }
            match stream.read(&mut buffer[..]).await {
                Ok(0) | Err(_) => return Err(IgnoredRequest::HeadTimedOut),
                Ok(count) => crate::oidc::http_fetch::extend_zeroizing(&mut head, &buffer[..count]),
            }
        }
    };
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(())) => Ok(head),
        Ok(Err(reason)) => Err(reason),
        Err(_) => Err(IgnoredRequest::HeadTimedOut),
    }
}

async fn respond(stream: &mut TcpStream, status: &str, title: &str, message: &str) {
    // The page is static apart from text that has already been escaped for HTML.
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Referrer-Policy: no-referrer\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
    // Closing with unread request bytes makes the kernel send a reset, which can destroy the
    // response before the client reads it; read a little of what is left first.
    let mut rest = [0u8; 4096];
    let drain = async {
        let mut drained = 0;
        while drained < 64 * 1024 {
            match stream.read(&mut rest).await {
                Ok(0) | Err(_) => break,
                Ok(count) => drained += count,
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_millis(500), drain).await;
}

/// Escapes text for HTML and cuts it, for the provider's error description.
pub fn html_escape(text: &str) -> String {
    escape_text(text, 300)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Compares the callback's `state` with this run's without an early exit, so the time an
/// answer takes says nothing about how much of a guess was right.
fn state_matches(found: Option<&str>, expected: &str) -> bool {
    found.is_some_and(|found| bool::from(subtle::ConstantTimeEq::ct_eq(found.as_bytes(), expected.as_bytes())))
}

async fn serve_connection(
    mut stream: TcpStream,
    plan: &LoopbackPlan,
    expectation: &CallbackExpectation,
    head_read_timeout: Duration,
) -> Outcome {
    let head = match read_head(&mut stream, head_read_timeout).await {
        Ok(head) => head,
        Err(reason) => {
            if reason == IgnoredRequest::HeadTooLarge {
                respond(
                    &mut stream,
                    "431 Request Header Fields Too Large",
                    "Request too large",
                    "This request was refused.",
                )
                .await;
            }
            return Outcome::Ignored(reason);
        }
    };
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    if method != "GET" {
        respond(
            &mut stream,
            "405 Method Not Allowed",
            "Not allowed",
            "This address only accepts the sign-in redirect.",
        )
        .await;
        return Outcome::Ignored(IgnoredRequest::NotGet);
    }
    // Only the path goes through the URL parser (its serialisation is never wiped); the
    // query, with the code, is read from the request head itself.
    let (target_path, query) = target.split_once('?').unwrap_or((target, ""));
    let Ok(url) = Url::parse(&format!("http://loopback{target_path}")) else {
        respond(&mut stream, "400 Bad Request", "Bad request", "This request was refused.").await;
        return Outcome::Ignored(IgnoredRequest::WrongPath);
    };
    if url.path() != plan.path {
        respond(&mut stream, "404 Not Found", "Not found", "Nothing here.").await;
        return Outcome::Ignored(IgnoredRequest::WrongPath);
    }
    let expected_host = format!("{}:{}", plan.host, plan.port);
    let host_ok = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .is_some_and(|(_, value)| value.trim().eq_ignore_ascii_case(&expected_host));
    if !host_ok {
        respond(
            &mut stream,
            "421 Misdirected Request",
            "Wrong address",
            "This request was not meant for this listener.",
        )
        .await;
        return Outcome::Ignored(IgnoredRequest::WrongHost);
    }
    let find = |key: &str| {
        url::form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == key).map(|(_, value)| {
            let mut owned = Zeroizing::new(String::with_capacity(value.len()));
            owned.push_str(&value);
            owned
        })
    };
    // State first: nothing else in a request with the wrong state is believed, not even an
    // error (RFC 9207 §2.4: an error response may come from anyone).
    if !state_matches(find("state").as_ref().map(|state| state.as_str()), &expectation.state) {
        respond(
            &mut stream,
            "400 Bad Request",
            "Not this sign-in",
            "This response does not belong to the sign-in test that is running. sso-setup keeps waiting for the right one.",
        )
        .await;
        return Outcome::Ignored(IgnoredRequest::WrongState);
    }
    // Not secrets, unlike the code and the state: plain strings for the messages.
    let plain = |key: &str| find(key).map(|value| value.as_str().to_owned());
    let iss = plain("iss");
    if let Some(found) = &iss {
        if found != &expectation.issuer {
            respond(
                &mut stream,
                "400 Bad Request",
                "Sign-in refused",
                "The response names another issuer. sso-setup stopped the test.",
            )
            .await;
            return Outcome::Finished(Err(LoopbackError::IssuerMismatch {
                found: escape_text(found, 200),
                expected: expectation.issuer.clone(),
            }));
        }
    } else if expectation.require_iss {
        respond(
            &mut stream,
            "400 Bad Request",
            "Sign-in refused",
            "The response has no issuer. sso-setup stopped the test.",
        )
        .await;
        return Outcome::Finished(Err(LoopbackError::MissingIssuer));
    }
    if let Some(error) = plain("error") {
        let description = plain("error_description");
        let shown =
            html_escape(&format!("{}{}", error, description.as_ref().map(|d| format!(": {d}")).unwrap_or_default()));
        respond(
            &mut stream,
            "200 OK",
            "The identity provider refused the sign-in",
            &format!("{shown}. Return to sso-setup for the cause and the fix."),
        )
        .await;
        return Outcome::Finished(Err(LoopbackError::ProviderError {
            error: escape_text(&error, 100),
            description: description.map(|d| escape_text(&d, 300)),
        }));
    }
    let Some(code) = find("code") else {
        respond(
            &mut stream,
            "400 Bad Request",
            "Sign-in incomplete",
            "The response has no code. sso-setup stopped the test.",
        )
        .await;
        return Outcome::Finished(Err(LoopbackError::MissingCode));
    };
    respond(
        &mut stream,
        "200 OK",
        "Signed in",
        "sso-setup received the sign-in. You can close this tab and return to sso-setup.",
    )
    .await;
    Outcome::Finished(Ok(AuthorizationCode { code, iss }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_compared_whole() {
        assert!(state_matches(Some("abc"), "abc"));
        for wrong in [None, Some(""), Some("ab"), Some("abcd"), Some("abd")] {
            assert!(!state_matches(wrong, "abc"), "{wrong:?}");
        }
    }

    #[test]
    fn failing_accepts_back_off_up_to_a_second() {
        assert_eq!(accept_backoff(0), Duration::ZERO);
        assert_eq!(accept_backoff(1), Duration::from_millis(10));
        assert_eq!(accept_backoff(2), Duration::from_millis(20));
        assert!(accept_backoff(5) > accept_backoff(4));
        assert_eq!(accept_backoff(40), Duration::from_secs(1));
        assert_eq!(accept_backoff(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn localhost_is_served_on_both_loopback_families() {
        let plan = LoopbackPlan::from_redirect_uri("http://localhost:8400/callback").unwrap();
        assert_eq!(plan.bind_addresses(), vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]);
        assert_eq!(LoopbackPlan::on_port(0).bind_addresses(), vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]);
    }
}
