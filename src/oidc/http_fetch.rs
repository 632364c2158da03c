//! Fetching documents from an identity provider, hardened.
//!
//! Everything the core reads from a provider goes through [`HttpFetch`], so tests can pass a
//! fake and the flow test can pass the same hardened client as discovery. The real client,
//! [`HardenedHttpClient`], follows no redirects (a redirect is reported with its target, and
//! nothing is re-sent to another host), has connect and total timeouts, stops reading at a
//! size cap, verifies TLS against the operating system's trust store (so corporate
//! TLS-inspecting proxies work) and accepts plain `http` only for loopback hosts.

use crate::catalog::org_value::escape_for_message;
use crate::error::UserFacingError;
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

/// The largest body the assistant reads from a provider. Discovery documents and key sets
/// are a few kilobytes; anything near this is not an OpenID provider's answer.
pub const RESPONSE_SIZE_LIMIT: usize = 1024 * 1024;

/// A response, read whole (up to the cap). The body is zeroized when dropped (a token
/// response holds tokens) and never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct FetchedResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Zeroizing<Vec<u8>>,
    /// How long the server asked to wait before the next request, on a 429 or 503 answer:
    /// `Retry-After` in seconds (RFC 9110 §10.2.3; Microsoft Graph), or Okta's
    /// `X-Rate-Limit-Reset` (the second, since 1970, when its limit resets).
    pub retry_after: Option<RetryAfter>,
}

impl std::fmt::Debug for FetchedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchedResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("{} bytes, not shown", self.body.len()))
            .finish()
    }
}

/// Appends to a zeroizing buffer without leaving copies behind: `Vec` growth moves the bytes
/// to a new allocation and frees the old one unwiped, so the buffer grows here instead, into
/// a new zeroizing buffer, and the old one is wiped as it is dropped.
pub fn extend_zeroizing(buffer: &mut Zeroizing<Vec<u8>>, bytes: &[u8]) {
    let needed = buffer.len() + bytes.len();
    if needed > buffer.capacity() {
        let mut larger = Zeroizing::new(Vec::with_capacity(needed.max(buffer.capacity() * 2).max(1024)));
        larger.extend_from_slice(buffer);
        *buffer = larger;
    }
    buffer.extend_from_slice(bytes);
}

/// A header value that holds a secret: its bytes are wiped when reqwest drops the request,
/// and it is marked sensitive, so HTTP/2 never puts it in the HPACK table and `Debug` hides it.
fn secret_header_value(value: Zeroizing<Vec<u8>>) -> Result<reqwest::header::HeaderValue, FetchError> {
    let mut header =
        reqwest::header::HeaderValue::from_maybe_shared(bytes::Bytes::from_owner(value)).map_err(|_| {
            FetchError::ReadFailed { url: "(request)".into(), reason: "a header value with a line break".into() }
        })?;
    header.set_sensitive(true);
    Ok(header)
}

/// Why a document could not be fetched. Each variant names the URL and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{url} uses http; only https is accepted for a provider that is not on this computer")]
    InsecureScheme { url: String },
    #[error("{url} is not an http or https URL")]
    UnsupportedScheme { url: String },
    #[error("the host name in {url} could not be found (DNS)")]
    HostNotFound { url: String },
    #[error("could not connect to {url}: {reason}")]
    ConnectionFailed { url: String, reason: String },
    #[error("the TLS certificate of {url} was not accepted: {reason}")]
    TlsRejected { url: String, reason: String },
    #[error("{url} did not answer within {seconds} seconds")]
    TimedOut { url: String, seconds: u64 },
    #[error("{url} redirected to {location}; sso-setup follows no redirects from a provider")]
    Redirected { url: String, status: u16, location: String },
    #[error("{url} answered with HTTP status {status}: {body_start}")]
    HttpStatus { url: String, status: u16, body_start: String },
    #[error("{url} sent more than {limit} bytes; a provider's document is a few kilobytes")]
    TooLarge { url: String, limit: usize },
    #[error("reading {url} failed: {reason}")]
    ReadFailed { url: String, reason: String },
}

impl UserFacingError for FetchError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            FetchError::InsecureScheme { .. } => crate::error::ErrorCode::FetchInsecureScheme,
            FetchError::UnsupportedScheme { .. } => crate::error::ErrorCode::FetchUnsupportedScheme,
            FetchError::HostNotFound { .. } => crate::error::ErrorCode::FetchHostNotFound,
            FetchError::ConnectionFailed { .. } => crate::error::ErrorCode::FetchConnectionFailed,
            FetchError::TlsRejected { .. } => crate::error::ErrorCode::FetchTlsRejected,
            FetchError::TimedOut { .. } => crate::error::ErrorCode::FetchTimedOut,
            FetchError::Redirected { .. } => crate::error::ErrorCode::FetchRedirected,
            FetchError::HttpStatus { .. } => crate::error::ErrorCode::FetchHttpStatus,
            FetchError::TooLarge { .. } => crate::error::ErrorCode::FetchTooLarge,
            FetchError::ReadFailed { .. } => crate::error::ErrorCode::FetchReadFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            FetchError::InsecureScheme { .. } => "use the provider's https URL".into(),
            FetchError::UnsupportedScheme { .. } => "give the issuer as an https URL, e.g. https://login.example.com".into(),
            FetchError::HostNotFound { .. } => "check the spelling of the host, and that this computer can reach it (VPN, proxy)".into(),
            FetchError::ConnectionFailed { .. } => "check that the provider is up and reachable from this computer (firewall, proxy, VPN)".into(),
            FetchError::TlsRejected { .. } => "if your network inspects TLS, install its root certificate in the operating system's trust store; sso-setup never skips certificate checks".into(),
            FetchError::TimedOut { .. } => "try again; if it persists, check the network path to the provider (proxy, VPN, firewall)".into(),
            FetchError::Redirected { location, .. } => format!("if {location} is the provider's real address, use that as the issuer"),
            FetchError::HttpStatus { status: 404, .. } => "check the issuer: the discovery document is at <issuer>/.well-known/openid-configuration".into(),
            FetchError::HttpStatus { status: 401, .. } => "Okta answers 401 (E0000015) for /oauth2/default without API Access Management: use the org issuer https://<your-domain>".into(),
            FetchError::HttpStatus { .. } => "check the issuer URL, then try again later".into(),
            FetchError::TooLarge { .. } => "check that the URL points at the provider's discovery document, not a file download".into(),
            FetchError::ReadFailed { .. } => "try again; if it persists, check the network path to the provider".into(),
        })
    }
}

/// Reads a URL. Implemented by [`HardenedHttpClient`] and by test fakes.
/// `Sync`: the flow shares one client between its steps, across awaits, in `Send` futures.
pub trait HttpFetch: Sync {
    fn get(&self, url: &Url) -> impl std::future::Future<Output = Result<FetchedResponse, FetchError>> + Send;

    /// POSTs an already-encoded `application/x-www-form-urlencoded` body (the token request
    /// that the openidconnect crate builds), with an optional `Authorization` header value.
    /// Both arrive in zeroizing memory and are wiped when the request is dropped. Any HTTP
    /// status is returned as a response: a token endpoint answers errors with 400 and a JSON
    /// body that the caller reads.
    fn post_encoded_form(
        &self,
        url: &Url,
        authorization: Option<Zeroizing<Vec<u8>>>,
        body: Zeroizing<Vec<u8>>,
    ) -> impl std::future::Future<Output = Result<FetchedResponse, FetchError>> + Send;

    /// Sends a JSON request (client registration, RFC 7591, and its management, RFC 7592;
    /// Microsoft Graph; the Okta Management API) with an optional credential (an initial or
    /// a registration access token, an admin's access or API token). The body never holds a
    /// secret. Any HTTP status is returned as a response.
    fn send_json(
        &self,
        method: JsonMethod,
        url: &Url,
        authorization: Option<ApiAuthorization<'_>>,
        body: Option<Vec<u8>>,
    ) -> impl std::future::Future<Output = Result<FetchedResponse, FetchError>> + Send;

    /// GETs with a bearer token (userinfo); any HTTP status is returned as a response.
    fn get_with_bearer(
        &self,
        url: &Url,
        token: &str,
    ) -> impl std::future::Future<Output = Result<FetchedResponse, FetchError>> + Send;
}

/// The methods of client registration and its management (RFC 7591 §3, RFC 7592 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum JsonMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// The `Authorization` header of a management request.
#[derive(Clone, Copy)]
pub enum ApiAuthorization<'a> {
    /// `Bearer <token>` (RFC 6750): registration tokens, OAuth access tokens.
    Bearer(&'a str),
    /// `SSWS <token>`: an Okta API token
    /// (https://developer.okta.com/docs/guides/create-an-api-token/main/).
    Ssws(&'a str),
}

impl std::fmt::Debug for ApiAuthorization<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ApiAuthorization::Bearer(_) => "Bearer [redacted]",
            ApiAuthorization::Ssws(_) => "SSWS [redacted]",
        })
    }
}

impl ApiAuthorization<'_> {
    fn header_value(self) -> Result<reqwest::header::HeaderValue, FetchError> {
        match self {
            ApiAuthorization::Bearer(token) => scheme_header_value("Bearer ", token),
            ApiAuthorization::Ssws(token) => scheme_header_value("SSWS ", token),
        }
    }
}

impl JsonMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonMethod::Get => "GET",
            JsonMethod::Post => "POST",
            JsonMethod::Put => "PUT",
            JsonMethod::Patch => "PATCH",
            JsonMethod::Delete => "DELETE",
        }
    }
}

fn bearer_header_value(token: &str) -> Result<reqwest::header::HeaderValue, FetchError> {
    scheme_header_value("Bearer ", token)
}

fn scheme_header_value(scheme: &str, token: &str) -> Result<reqwest::header::HeaderValue, FetchError> {
    let mut value = Zeroizing::new(Vec::with_capacity(scheme.len() + token.len()));
    value.extend_from_slice(scheme.as_bytes());
    value.extend_from_slice(token.as_bytes());
    secret_header_value(value)
}

/// What a 429 or 503 answer asks for (see [`FetchedResponse::retry_after`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// Okta's `X-Rate-Limit-Reset: <seconds since 1970>`.
    ResetAt(u64),
}

impl RetryAfter {
    /// The wait, given the time now (the caller's `Clock`: this module reads none); at
    /// least a second for a reset already past.
    pub fn wait(self, now_unix_seconds: u64) -> std::time::Duration {
        std::time::Duration::from_secs(match self {
            RetryAfter::Seconds(seconds) => seconds,
            RetryAfter::ResetAt(reset) => reset.saturating_sub(now_unix_seconds).max(1),
        })
    }
}

fn retry_after(status: u16, headers: &reqwest::header::HeaderMap) -> Option<RetryAfter> {
    if status != 429 && status != 503 {
        return None;
    }
    let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
    number("retry-after").map(RetryAfter::Seconds).or_else(|| number("x-rate-limit-reset").map(RetryAfter::ResetAt))
}

/// True for hosts that never leave this computer: `localhost`, 127.0.0.0/8 and `::1`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// https everywhere; http only for loopback hosts (local test providers).
pub fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(url) => Ok(()),
        "http" => Err(FetchError::InsecureScheme { url: url.to_string() }),
        _ => Err(FetchError::UnsupportedScheme { url: escape_for_message(url.as_str()) }),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub size_limit: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(20),
            size_limit: RESPONSE_SIZE_LIMIT,
        }
    }
}

/// The real HTTP client: reqwest with rustls and the OS trust store, no redirects, timeouts
/// and a size cap.
#[derive(Debug, Clone)]
pub struct HardenedHttpClient {
    client: reqwest::Client,
    limits: FetchLimits,
}

impl HardenedHttpClient {
    pub fn new(limits: FetchLimits) -> HardenedHttpClient {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            .https_only(false)
            .user_agent(concat!("sso-setup/", env!("CARGO_PKG_VERSION")));
        // The operating system's trust anchors, read on two threads (`trust_store`): the same
        // certificates reqwest's own loading would give, in less of the start-up time.
        #[cfg(all(unix, not(target_os = "macos")))]
        let client =
            super::trust_store::read_trust_anchors(&super::trust_store::TrustStoreLocations::of_this_computer())
                .into_iter()
                .filter_map(|anchor| reqwest::Certificate::from_der(anchor.as_ref()).ok())
                .fold(client.tls_built_in_native_certs(false), reqwest::ClientBuilder::add_root_certificate);
        let client = client
            .build()
            // Building fails only when the TLS backend cannot start at all (no usable
            // root store is not a failure: every https request then fails clearly).
            .expect("the HTTP client starts");
        HardenedHttpClient { client, limits }
    }

    /// What went wrong, classified by the errors' types (reqwest's own kinds, rustls's
    /// certificate errors anywhere in the chain), not by their wording.
    fn describe_send_error(&self, url: &Url, error: &reqwest::Error) -> FetchError {
        let url_text = url.to_string();
        if error.is_timeout() {
            return FetchError::TimedOut { url: url_text, seconds: self.limits.total_timeout.as_secs().max(1) };
        }
        let reason = cut(&root_cause(error), 200);
        if let Some(tls) = tls_error_in_chain(error) {
            return FetchError::TlsRejected { url: url_text, reason: explain_tls_problem(tls, reason) };
        }
        if error.is_connect()
            && url.scheme() == "https"
            && io_error_kind_in_chain(error) == Some(std::io::ErrorKind::UnexpectedEof)
        {
            // The server (or a proxy in between) hung up before the handshake finished.
            return FetchError::TlsRejected {
                url: url_text,
                reason: format!("the server closed the connection during the TLS handshake ({reason})"),
            };
        }
        if error.is_connect() {
            // hyper-util reports a failed name lookup as a connect error whose own message is
            // "dns error" (its error type is private, so this one case is read from the text).
            if connect_error_messages(error).any(|message| message == "dns error") {
                return FetchError::HostNotFound { url: url_text };
            }
            return FetchError::ConnectionFailed { url: url_text, reason };
        }
        FetchError::ReadFailed { url: url_text, reason }
    }
}

/// The rustls error that ended the handshake, wherever it sits in the chain: reqwest wraps
/// it in hyper's error and in `std::io::Error`s nested in each other (whose `source` skips
/// the error they wrap, so each is opened with `get_ref`).
fn tls_error_in_chain<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(inner) = current {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        current = match inner.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(wrapped) => Some(wrapped as &(dyn std::error::Error + 'static)),
            None => inner.source(),
        };
    }
    None
}

/// The kind of the first `std::io::Error` in the chain, opening nested ones.
fn io_error_kind_in_chain(error: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut kind = None;
    while let Some(inner) = current {
        current = match inner.downcast_ref::<std::io::Error>() {
            Some(io) => {
                kind = Some(io.kind());
                io.get_ref().map(|wrapped| wrapped as &(dyn std::error::Error + 'static))
            }
            None => inner.source(),
        };
    }
    kind
}

/// The messages of each error in the chain, outermost first (each layer's own `Display`).
fn connect_error_messages<'e>(error: &'e (dyn std::error::Error + 'static)) -> impl Iterator<Item = String> + 'e {
    std::iter::successors(Some(error), |inner| inner.source()).map(|inner| inner.to_string())
}

impl Default for HardenedHttpClient {
    fn default() -> Self {
        HardenedHttpClient::new(FetchLimits::default())
    }
}

/// rustls names certificate problems in its own terms (`UnknownIssuer`); say them in an
/// admin's words first, and keep the library's text after it for a search.
fn explain_tls_problem(error: &rustls::Error, reason: String) -> String {
    use rustls::CertificateError;
    let plain = match error {
        rustls::Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
            "the certificate has expired"
        }
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the certificate is not from an authority this computer trusts (self-signed, or a corporate CA that is not installed)"
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "the certificate was issued for another host name",
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
        ) => "the certificate is not valid yet (check this computer's clock)",
        _ => return reason,
    };
    format!("{plain} ({reason})")
}

/// The innermost cause, which says what actually happened ("Connection refused"); the outer
/// layers only repeat the URL.
fn root_cause(error: &dyn std::error::Error) -> String {
    let mut innermost = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        innermost = inner.to_string();
        source = inner.source();
    }
    innermost
}

/// The first `limit` characters of a provider's text, escaped, for a message.
pub fn cut(text: &str, limit: usize) -> String {
    crate::catalog::org_value::escape_text(text, limit)
}

impl HardenedHttpClient {
    /// Sends a request and reads the whole answer under the deadline and the size cap.
    /// Redirects are refused; with `accept_any_status`, error statuses are returned.
    async fn execute(
        &self,
        url: &Url,
        request: reqwest::RequestBuilder,
        accept_any_status: bool,
    ) -> Result<FetchedResponse, FetchError> {
        check_scheme(url)?;
        let deadline = tokio::time::Instant::now() + self.limits.total_timeout;
        let timed_out =
            || FetchError::TimedOut { url: url.to_string(), seconds: self.limits.total_timeout.as_secs().max(1) };
        let mut response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|error| self.describe_send_error(url, &error))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|value| cut(&String::from_utf8_lossy(value.as_bytes()), 200))
                .unwrap_or_else(|| "(no Location header)".into());
            return Err(FetchError::Redirected { url: url.to_string(), status, location });
        }
        let retry_after = retry_after(status, response.headers());
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        if response.content_length().is_some_and(|length| length > self.limits.size_limit as u64) {
            return Err(FetchError::TooLarge { url: url.to_string(), limit: self.limits.size_limit });
        }
        let expected = response.content_length().map_or(0, |length| length as usize);
        let mut body = Zeroizing::new(Vec::with_capacity(expected.min(self.limits.size_limit)));
        loop {
            // Chunks are read under the overall deadline, so a slow-loris server cannot keep
            // the read going past the total timeout.
            let chunk = tokio::time::timeout_at(deadline, response.chunk()).await.map_err(|_| timed_out())?;
            match chunk.map_err(|error| self.describe_send_error(url, &error))? {
                Some(bytes) => {
                    if body.len() + bytes.len() > self.limits.size_limit {
                        return Err(FetchError::TooLarge { url: url.to_string(), limit: self.limits.size_limit });
                    }
                    extend_zeroizing(&mut body, &bytes);
                }
                None => break,
            }
        }
        if !accept_any_status && !(200..300).contains(&status) {
            return Err(FetchError::HttpStatus {
                url: url.to_string(),
                status,
                body_start: cut(&String::from_utf8_lossy(&body), 200),
            });
        }
        Ok(FetchedResponse { status, content_type, body, retry_after })
    }
}

impl HttpFetch for HardenedHttpClient {
    async fn get(&self, url: &Url) -> Result<FetchedResponse, FetchError> {
        self.execute(url, self.client.get(url.clone()), false).await
    }

    async fn post_encoded_form(
        &self,
        url: &Url,
        authorization: Option<Zeroizing<Vec<u8>>>,
        body: Zeroizing<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        // The body holds the code, the PKCE verifier and, with client_secret_post, the
        // secret: it is handed to reqwest without a copy and wiped when reqwest drops it.
        let mut request = self
            .client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(reqwest::Body::from(bytes::Bytes::from_owner(body)));
        if let Some(value) = authorization {
            request = request.header(reqwest::header::AUTHORIZATION, secret_header_value(value)?);
        }
        self.execute(url, request, true).await
    }

    async fn get_with_bearer(&self, url: &Url, token: &str) -> Result<FetchedResponse, FetchError> {
        let request = self.client.get(url.clone()).header(reqwest::header::AUTHORIZATION, bearer_header_value(token)?);
        self.execute(url, request, true).await
    }

    async fn send_json(
        &self,
        method: JsonMethod,
        url: &Url,
        authorization: Option<ApiAuthorization<'_>>,
        body: Option<Vec<u8>>,
    ) -> Result<FetchedResponse, FetchError> {
        let method = match method {
            JsonMethod::Get => reqwest::Method::GET,
            JsonMethod::Post => reqwest::Method::POST,
            JsonMethod::Put => reqwest::Method::PUT,
            JsonMethod::Patch => reqwest::Method::PATCH,
            JsonMethod::Delete => reqwest::Method::DELETE,
        };
        let mut request = self.client.request(method, url.clone());
        if let Some(authorization) = authorization {
            request = request.header(reqwest::header::AUTHORIZATION, authorization.header_value()?);
        }
        if let Some(body) = body {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        }
        self.execute(url, request, true).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_throttled_answer_says_how_long_to_wait() {
        // Microsoft Graph: Retry-After in seconds (https://learn.microsoft.com/graph/throttling).
        let graph = headers(&[("retry-after", "7".into())]);
        assert_eq!(retry_after(429, &graph), Some(RetryAfter::Seconds(7)));
        assert_eq!(RetryAfter::Seconds(7).wait(1_000), std::time::Duration::from_secs(7));
        // Okta: X-Rate-Limit-Reset, the second the limit resets
        // (https://developer.okta.com/docs/reference/rl-best-practices/).
        let okta = headers(&[("x-rate-limit-reset", "1030".into())]);
        assert_eq!(retry_after(429, &okta), Some(RetryAfter::ResetAt(1030)));
        assert_eq!(RetryAfter::ResetAt(1030).wait(1_000), std::time::Duration::from_secs(30));
        // A reset already past still waits a second; a success never waits.
        assert_eq!(RetryAfter::ResetAt(995).wait(1_000), std::time::Duration::from_secs(1));
        assert_eq!(retry_after(200, &graph), None);
        assert_eq!(retry_after(429, &HeaderMap::new()), None);
    }

    #[test]
    fn an_api_credential_never_shows_in_debug_output() {
        let shown = format!("{:?} {:?}", ApiAuthorization::Bearer("tok-1"), ApiAuthorization::Ssws("00abc"));
        assert_eq!(shown, "Bearer [redacted] SSWS [redacted]");
    }
}
