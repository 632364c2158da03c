//! `sso-setup demo-idp`: a small OpenID provider on 127.0.0.1 for rehearsing the whole
//! journey without an IdP account. It is a rehearsal aid, not a production IdP: one demo user,
//! one confidential client with a secret made for this run, ES256 keys made at start, state
//! in memory, and it listens on loopback only.
//!
//! It behaves like a strict provider all the same: PKCE S256 is required, the redirect URI
//! must be a loopback `http://127.0.0.1:<any port>/callback` (RFC 8252 §7.3), the code is
//! single-use and bound to the client, the redirect URI and the verifier, and the callback
//! carries `iss` (RFC 9207).

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const DEMO_CLIENT_ID: &str = "sso-setup-demo";

/// What `demo-idp` prints for the admin.
pub struct DemoProviderDetails {
    pub issuer: String,
    pub client_id: String,
    /// A secret made for this run only; printing it is the point of a rehearsal provider.
    pub client_secret: String,
}

struct PendingSignIn {
    redirect_uri: String,
    state: String,
    nonce: String,
    challenge: String,
}

struct IssuedCode {
    redirect_uri: String,
    nonce: String,
    challenge: String,
}

struct DemoState {
    issuer: String,
    client_secret: String,
    signing_key: Vec<u8>,
    public_jwk: Value,
    pending: HashMap<String, PendingSignIn>,
    codes: HashMap<String, IssuedCode>,
    access_tokens: Vec<String>,
}

fn random_text(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system's random generator works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub struct DemoProvider {
    listener: TcpListener,
    state: Arc<Mutex<DemoState>>,
}

impl DemoProvider {
    /// Binds 127.0.0.1 (port 0 for any free port) and makes this run's key and secret.
    pub async fn start(port: u16) -> std::io::Result<(DemoProvider, DemoProviderDetails)> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let random = SystemRandom::new();
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &random)
            .map_err(|_| std::io::Error::other("could not make a signing key"))?;
        let key_pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, document.as_ref(), &random)
            .map_err(|_| std::io::Error::other("could not read the signing key"))?;
        let point = key_pair.public_key().as_ref();
        let public_jwk = json!({"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "demo-es256",
                                "x": b64(&point[1..33]), "y": b64(&point[33..65])});
        let client_secret = random_text(24);
        let state = DemoState {
            issuer: issuer.clone(),
            client_secret: client_secret.clone(),
            signing_key: document.as_ref().to_vec(),
            public_jwk,
            pending: HashMap::new(),
            codes: HashMap::new(),
            access_tokens: Vec::new(),
        };
        let details = DemoProviderDetails { issuer, client_id: DEMO_CLIENT_ID.into(), client_secret };
        Ok((DemoProvider { listener, state: Arc::new(Mutex::new(state)) }, details))
    }

    /// Serves until the process ends.
    pub async fn serve(self) {
        loop {
            let Ok((stream, _)) = self.listener.accept().await else { continue };
            let state = self.state.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(std::time::Duration::from_secs(10), handle(stream, state)).await;
            });
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<(String, String, HashMap<String, String>, String)> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let count = stream.read(&mut buffer).await.ok()?;
        if count == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..count]);
        if data.len() > 64 * 1024 {
            return None;
        }
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let mut lines = head.lines();
            let mut request_line = lines.next()?.split(' ');
            let method = request_line.next()?.to_owned();
            let target = request_line.next()?.to_owned();
            let headers: HashMap<String, String> = lines
                .filter_map(|line| line.split_once(':'))
                .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
                .collect();
            let length: usize =
                headers.get("content-length").and_then(|value| value.parse().ok()).unwrap_or(0).min(64 * 1024);
            while data.len() < end + 4 + length {
                let count = stream.read(&mut buffer).await.ok()?;
                if count == 0 {
                    break;
                }
                data.extend_from_slice(&buffer[..count]);
            }
            let body = String::from_utf8_lossy(&data[end + 4..]).into_owned();
            return Some((method, target, headers, body));
        }
    }
}

async fn respond(stream: &mut TcpStream, status: &str, content_type: &str, extra: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         Referrer-Policy: no-referrer\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn form(text: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

fn is_loopback_callback(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|url| {
        url.scheme() == "http"
            && url.host_str() == Some("127.0.0.1")
            && url.path() == "/callback"
            && url.query().is_none()
    })
}

fn json_error(error: &str, description: &str) -> String {
    json!({"error": error, "error_description": description}).to_string()
}

fn sign_es256(state: &DemoState, claims: &Value) -> Option<String> {
    let header = b64(json!({"alg": "ES256", "typ": "JWT", "kid": "demo-es256"}).to_string().as_bytes());
    let payload = b64(claims.to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let random = SystemRandom::new();
    let key_pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &state.signing_key, &random).ok()?;
    let signature = key_pair.sign(&random, input.as_bytes()).ok()?;
    Some(format!("{input}.{}", b64(signature.as_ref())))
}

async fn handle(mut stream: TcpStream, shared: Arc<Mutex<DemoState>>) {
    let Some((method, target, headers, body)) = read_request(&mut stream).await else { return };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let json_type = "application/json";
    let issuer = shared.lock().unwrap().issuer.clone();
    match (method.as_str(), path) {
        ("GET", "/.well-known/openid-configuration") => {
            let document = json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "userinfo_endpoint": format!("{issuer}/userinfo"),
                "jwks_uri": format!("{issuer}/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["ES256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
                "claims_supported": ["sub", "email", "email_verified", "given_name", "family_name", "name"],
                "authorization_response_iss_parameter_supported": true,
            });
            respond(&mut stream, "200 OK", json_type, "", &document.to_string()).await;
        }
        ("GET", "/jwks") => {
            let keys = json!({"keys": [shared.lock().unwrap().public_jwk.clone()]});
            respond(&mut stream, "200 OK", json_type, "", &keys.to_string()).await;
        }
        ("GET", "/authorize") => {
            let parameters = form(query);
            let get = |key: &str| parameters.get(key).cloned().unwrap_or_default();
            let problem = if get("client_id") != DEMO_CLIENT_ID {
                Some("unknown client_id")
            } else if !is_loopback_callback(&get("redirect_uri")) {
                Some("redirect_uri must be http://127.0.0.1:<port>/callback")
            } else if get("response_type") != "code" {
                Some("response_type must be code")
            } else if get("code_challenge_method") != "S256" || get("code_challenge").is_empty() {
                Some("PKCE with S256 is required")
            } else {
                None
            };
            if let Some(problem) = problem {
                let page = format!("<!doctype html><title>Demo IdP</title><h1>Request refused</h1><p>{problem}</p>");
                return respond(&mut stream, "400 Bad Request", "text/html; charset=utf-8", "", &page).await;
            }
            let transaction = random_text(16);
            shared.lock().unwrap().pending.insert(
                transaction.clone(),
                PendingSignIn {
                    redirect_uri: get("redirect_uri"),
                    state: get("state"),
                    nonce: get("nonce"),
                    challenge: get("code_challenge"),
                },
            );
            let page = format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sso-setup demo IdP</title></head>\
                 <body style=\"font-family:sans-serif;margin:3em\"><h1>sso-setup demo IdP</h1>\
                 <p>A rehearsal identity provider on this computer. Signing in sends the test user back to sso-setup.</p>\
                 <p><a id=\"approve\" href=\"/approve?transaction={transaction}\">Sign in as Ada Lovelace</a></p></body></html>"
            );
            respond(&mut stream, "200 OK", "text/html; charset=utf-8", "", &page).await;
        }
        ("GET", "/approve") => {
            let transaction = form(query).get("transaction").cloned().unwrap_or_default();
            let pending = shared.lock().unwrap().pending.remove(&transaction);
            let Some(pending) = pending else {
                return respond(&mut stream, "400 Bad Request", "text/plain", "", "unknown or used sign-in").await;
            };
            let code = random_text(24);
            shared.lock().unwrap().codes.insert(
                code.clone(),
                IssuedCode {
                    redirect_uri: pending.redirect_uri.clone(),
                    nonce: pending.nonce,
                    challenge: pending.challenge,
                },
            );
            let encode = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
            let location = format!(
                "{}?code={code}&state={}&iss={}",
                pending.redirect_uri,
                encode(&pending.state),
                encode(&issuer)
            );
            respond(&mut stream, "302 Found", "text/plain", &format!("Location: {location}\r\n"), "").await;
        }
        ("POST", "/token") => {
            let parameters = form(&body);
            let get = |key: &str| parameters.get(key).cloned().unwrap_or_default();
            let basic =
                headers.get("authorization").and_then(|value| value.strip_prefix("Basic ")).and_then(|encoded| {
                    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
                    let text = String::from_utf8(decoded).ok()?;
                    let (id, secret) = text.split_once(':')?;
                    let decode = |part: &str| {
                        url::form_urlencoded::parse(format!("x={part}").as_bytes()).next().map(|(_, v)| v.into_owned())
                    };
                    Some((decode(id)?, decode(secret)?))
                });
            let posted = parameters.get("client_secret").map(|secret| (get("client_id"), secret.clone()));
            if basic.is_some() && posted.is_some() {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    json_type,
                    "",
                    &json_error("invalid_request", "Use one client authentication method."),
                )
                .await;
            }
            let expected_secret = shared.lock().unwrap().client_secret.clone();
            let authenticated =
                basic.or(posted).is_some_and(|(id, secret)| id == DEMO_CLIENT_ID && secret == expected_secret);
            if !authenticated {
                return respond(
                    &mut stream,
                    "401 Unauthorized",
                    json_type,
                    "",
                    &json_error("invalid_client", "Client authentication failed."),
                )
                .await;
            }
            let issued = shared.lock().unwrap().codes.remove(&get("code"));
            let Some(issued) = issued else {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    json_type,
                    "",
                    &json_error("invalid_grant", "The code is unknown or was used."),
                )
                .await;
            };
            let verifier_hash = b64(&Sha256::digest(get("code_verifier").as_bytes()));
            if verifier_hash != issued.challenge || get("redirect_uri") != issued.redirect_uri {
                return respond(
                    &mut stream,
                    "400 Bad Request",
                    json_type,
                    "",
                    &json_error("invalid_grant", "PKCE verification failed."),
                )
                .await;
            }
            let access_token = random_text(24);
            let now =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            let claims = json!({
                "iss": issuer, "sub": "demo-user-ada", "aud": DEMO_CLIENT_ID, "iat": now, "exp": now + 300,
                "nonce": issued.nonce, "at_hash": b64(&Sha256::digest(access_token.as_bytes())[..16]),
                "email": "ada@example.com", "email_verified": true, "given_name": "Ada", "family_name": "Lovelace",
                "name": "Ada Lovelace",
            });
            let signed = {
                let mut state = shared.lock().unwrap();
                let signed = sign_es256(&state, &claims);
                if signed.is_some() {
                    state.access_tokens.push(access_token.clone());
                }
                signed
            };
            let Some(id_token) = signed else {
                return respond(
                    &mut stream,
                    "500 Internal Server Error",
                    json_type,
                    "",
                    &json_error("server_error", "Signing failed."),
                )
                .await;
            };
            let answer =
                json!({"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token});
            respond(&mut stream, "200 OK", json_type, "", &answer.to_string()).await;
        }
        ("GET", "/userinfo") => {
            let token = headers
                .get("authorization")
                .and_then(|value| value.strip_prefix("Bearer "))
                .unwrap_or_default()
                .to_owned();
            if shared.lock().unwrap().access_tokens.contains(&token) {
                let info = json!({"sub": "demo-user-ada", "email": "ada@example.com", "email_verified": true,
                                  "given_name": "Ada", "family_name": "Lovelace", "name": "Ada Lovelace"});
                respond(&mut stream, "200 OK", json_type, "", &info.to_string()).await;
            } else {
                respond(
                    &mut stream,
                    "401 Unauthorized",
                    json_type,
                    "",
                    &json_error("invalid_token", "Unknown access token."),
                )
                .await;
            }
        }
        _ => respond(&mut stream, "404 Not Found", "text/plain", "", "not found").await,
    }
}
