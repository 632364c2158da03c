//! A small, honest OpenID provider on 127.0.0.1 for the flow tests: discovery, JWKS, an
//! authorization endpoint that signs the user in at once and redirects with `code`, `state`
//! and `iss`, a token endpoint that checks client authentication, the redirect URI and the
//! PKCE verifier, and userinfo. ID tokens are signed with the RS256 test key
//! (tests/fixtures/keys). It records the requests it saw, so tests can assert what the
//! client sent and what it did not.

use base64::Engine as _;
use sha2::Digest as _;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct ProviderConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Put given_name and family_name in the ID token.
    pub include_names: bool,
    /// Hostile variants: userinfo answers another user's sub (#22); the token response has
    /// no id_token (#24).
    pub userinfo_sub: Option<String>,
    pub omit_id_token: bool,
    /// Catalogue #19: which key signs, and what the JWKS publishes.
    pub keys: KeyRotation,
    /// Catalogue #28/#30: replaces the body of a successful token or userinfo answer.
    pub token_body: Option<String>,
    pub userinfo_body: Option<String>,
    /// Catalogue #35: `code_challenge_methods_supported` as advertised (`None`: left out).
    pub pkce_methods: Option<Vec<String>>,
    /// Catalogue #32: the token endpoint answers 307 to this URL instead of tokens.
    pub token_redirect_to: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyRotation {
    /// rsa-1 signs and is published.
    None,
    /// rsa-2 signs, and the JWKS publishes it only from the moment the token is issued: a
    /// client that fetched the key set before the token (at discovery) has the old set.
    RotatedBeforeSigning,
    /// rsa-2 signs and is never published.
    NeverPublished,
}

impl ProviderConfig {
    /// The honest provider: `client_id` with `client_secret`, names in the ID token.
    pub fn honest(client_id: &str, client_secret: &str) -> ProviderConfig {
        ProviderConfig {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            include_names: true,
            userinfo_sub: None,
            omit_id_token: false,
            keys: KeyRotation::None,
            token_body: None,
            userinfo_body: None,
            pkce_methods: Some(vec!["S256".into()]),
            token_redirect_to: None,
        }
    }
}

struct Grant {
    challenge: String,
    nonce: String,
    redirect_uri: String,
}

#[derive(Default)]
pub struct Seen {
    pub token_requests: usize,
    pub jwks_requests: usize,
    /// How many JWKS requests had been made when the token was issued.
    pub jwks_requests_before_token: Option<usize>,
    pub authorization_headers: Vec<String>,
    pub token_bodies: Vec<String>,
    /// The `code_challenge_method` of each authorization request.
    pub challenge_methods: Vec<String>,
    /// Every access token issued.
    pub access_tokens: Vec<String>,
}

pub struct MiniProvider {
    pub port: u16,
    pub seen: Arc<Mutex<Seen>>,
}

impl MiniProvider {
    pub fn start(config: ProviderConfig) -> MiniProvider {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let grants: Arc<Mutex<HashMap<String, Grant>>> = Arc::default();
        let seen_in_thread = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, port, &config, &grants, &seen_in_thread);
            }
        });
        MiniProvider { port, seen }
    }

    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn read_request(stream: &mut TcpStream) -> (String, String, HashMap<String, String>, String) {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let count = stream.read(&mut buffer).unwrap_or(0);
        if count == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..count]);
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let count = stream.read(&mut buffer).unwrap_or(0);
                if count == 0 {
                    break;
                }
                data.extend_from_slice(&buffer[..count]);
            }
            let body = String::from_utf8_lossy(&data[end + 4..]).into_owned();
            let mut lines = head.lines();
            let mut request_line = lines.next().unwrap_or_default().split(' ');
            let method = request_line.next().unwrap_or_default().to_owned();
            let target = request_line.next().unwrap_or_default().to_owned();
            let headers = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
                .collect();
            return (method, target, headers, body);
        }
    }
    Default::default()
}

fn respond(stream: &mut TcpStream, status: &str, extra: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
}

fn form(text: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

fn serve(
    mut stream: TcpStream,
    port: u16,
    config: &ProviderConfig,
    grants: &Mutex<HashMap<String, Grant>>,
    seen: &Mutex<Seen>,
) {
    let (method, target, headers, body) = read_request(&mut stream);
    let issuer = format!("http://127.0.0.1:{port}");
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let keys_file = format!("{}/tests/fixtures/keys/test-keys.jwk.json", env!("CARGO_MANIFEST_DIR"));
    match (method.as_str(), path) {
        ("GET", "/.well-known/openid-configuration") => {
            let mut document = serde_json::json!({
                "issuer": issuer, "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"), "userinfo_endpoint": format!("{issuer}/userinfo"),
                "jwks_uri": format!("{issuer}/jwks"), "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"], "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
                "authorization_response_iss_parameter_supported": true,
            });
            match &config.pkce_methods {
                Some(methods) => document["code_challenge_methods_supported"] = serde_json::json!(methods),
                None => {
                    document.as_object_mut().unwrap().remove("code_challenge_methods_supported");
                }
            }
            respond(&mut stream, "200 OK", "", &document.to_string());
        }
        ("GET", "/jwks") => {
            let keys: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(keys_file).unwrap()).unwrap();
            let (earlier_requests, before_token) = {
                let mut seen = seen.lock().unwrap();
                seen.jwks_requests += 1;
                (seen.jwks_requests - 1, seen.jwks_requests_before_token)
            };
            // With a rotation, the new key is published when the token is signed.
            let new_key_visible = before_token.is_some_and(|before| earlier_requests >= before);
            let published = match config.keys {
                KeyRotation::RotatedBeforeSigning if new_key_visible => {
                    vec![keys["rsa"].clone(), keys["rsa_other"].clone()]
                }
                _ => vec![keys["rsa"].clone()],
            };
            respond(&mut stream, "200 OK", "", &serde_json::json!({ "keys": published }).to_string());
        }
        ("GET", "/authorize") => {
            let parameters = form(query);
            let method = parameters.get("code_challenge_method").cloned().unwrap_or_default();
            seen.lock().unwrap().challenge_methods.push(method.clone());
            if method != "S256" {
                return respond(&mut stream, "400 Bad Request", "", "the test provider accepts only S256");
            }
            let code = format!("code-{}", rand_suffix());
            grants.lock().unwrap().insert(
                code.clone(),
                Grant {
                    challenge: parameters["code_challenge"].clone(),
                    nonce: parameters["nonce"].clone(),
                    redirect_uri: parameters["redirect_uri"].clone(),
                },
            );
            let location = format!(
                "{}?code={code}&state={}&iss={}",
                parameters["redirect_uri"],
                url::form_urlencoded::byte_serialize(parameters["state"].as_bytes()).collect::<String>(),
                url::form_urlencoded::byte_serialize(issuer.as_bytes()).collect::<String>()
            );
            respond(&mut stream, "302 Found", &format!("Location: {location}\r\n"), "");
        }
        ("POST", "/token") => {
            let parameters = form(&body);
            {
                let mut seen = seen.lock().unwrap();
                seen.token_requests += 1;
                seen.authorization_headers.push(headers.get("authorization").cloned().unwrap_or_default());
                seen.token_bodies.push(body.clone());
            }
            if let Some(target) = &config.token_redirect_to {
                return respond(&mut stream, "307 Temporary Redirect", &format!("Location: {target}\r\n"), "");
            }
            let basic = headers.get("authorization").and_then(|value| value.strip_prefix("Basic ")).map(|encoded| {
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap()
            });
            let posted = parameters
                .get("client_secret")
                .map(|secret| format!("{}:{secret}", parameters.get("client_id").cloned().unwrap_or_default()));
            if basic.is_some() && posted.is_some() {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    "",
                    r#"{"error":"invalid_request","error_description":"Cannot supply multiple client credentials."}"#,
                );
            }
            let expected = format!("{}:{}", config.client_id, config.client_secret);
            if basic.or(posted).as_deref() != Some(expected.as_str()) {
                return respond(
                    &mut stream,
                    "401 Unauthorized",
                    "",
                    r#"{"error":"invalid_client","error_description":"Client authentication failed. access_token=eyJhbGciOiJ-planted-token"}"#,
                );
            }
            let Some(grant) = grants.lock().unwrap().remove(&parameters["code"]) else {
                return respond(&mut stream, "400 Bad Request", "", r#"{"error":"invalid_grant"}"#);
            };
            let verifier_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(parameters["code_verifier"].as_bytes()));
            if verifier_hash != grant.challenge || parameters["redirect_uri"] != grant.redirect_uri {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    "",
                    r#"{"error":"invalid_grant","error_description":"PKCE verification failed."}"#,
                );
            }
            {
                let mut seen = seen.lock().unwrap();
                seen.jwks_requests_before_token = Some(seen.jwks_requests);
            }
            let access_token = format!("access-{}", rand_suffix());
            seen.lock().unwrap().access_tokens.push(access_token.clone());
            let at_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(&sha2::Sha256::digest(access_token.as_bytes())[..16]);
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
            let mut claims = serde_json::json!({
                "iss": issuer, "sub": "user-1", "aud": config.client_id, "exp": now + 300, "iat": now,
                "nonce": grant.nonce, "email": "ada@example.com", "at_hash": at_hash,
            });
            if config.include_names {
                claims["given_name"] = "Ada".into();
                claims["family_name"] = "Lovelace".into();
            }
            let (key_file, kid) = match config.keys {
                KeyRotation::None => ("test-rsa.pem", "rsa-1"),
                KeyRotation::RotatedBeforeSigning | KeyRotation::NeverPublished => ("test-rsa-other.pem", "rsa-2"),
            };
            let pem = std::fs::read_to_string(format!("{}/tests/fixtures/keys/{key_file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            header.kid = Some(kid.into());
            let id_token = jsonwebtoken::encode(
                &header,
                &claims,
                &jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            )
            .unwrap();
            let mut answer = serde_json::json!({"access_token": access_token, "token_type": "bearer", "expires_in": 300, "id_token": id_token});
            if config.omit_id_token {
                answer.as_object_mut().unwrap().remove("id_token");
            }
            respond(&mut stream, "200 OK", "", config.token_body.as_deref().unwrap_or(&answer.to_string()));
        }
        ("GET", "/userinfo") => {
            if headers.get("authorization").is_some_and(|value| value.starts_with("Bearer access-")) {
                let sub = config.userinfo_sub.clone().unwrap_or_else(|| "user-1".into());
                let honest = serde_json::json!({"sub": sub, "email": "ada@example.com"}).to_string();
                respond(&mut stream, "200 OK", "", config.userinfo_body.as_deref().unwrap_or(&honest));
            } else {
                respond(&mut stream, "401 Unauthorized", "", r#"{"error":"invalid_token"}"#);
            }
        }
        _ => respond(&mut stream, "404 Not Found", "", "{}"),
    }
}

fn rand_suffix() -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).unwrap();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A stand-in for the browser: follows the authorization URL's redirect to the loopback
/// listener, as a browser would.
pub fn browse(url: &str) {
    let mut current = url::Url::parse(url).unwrap();
    for _ in 0..5 {
        let mut stream = TcpStream::connect((current.host_str().unwrap(), current.port().unwrap())).unwrap();
        let target = match current.query() {
            Some(query) => format!("{}?{query}", current.path()),
            None => current.path().to_owned(),
        };
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}:{}\r\nConnection: close\r\n\r\n",
            current.host_str().unwrap(),
            current.port().unwrap()
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let location = response.lines().find_map(|line| line.strip_prefix("Location: ").map(str::to_owned));
        match location {
            Some(next) => current = url::Url::parse(&next).unwrap(),
            None => return,
        }
    }
}
