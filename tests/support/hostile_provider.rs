//! A small OpenID provider on 127.0.0.1 that serves a good discovery document and every
//! broken variant the assistant must survive: issuer mismatch, http endpoints, redirects,
//! huge and endless bodies, a server that never answers, slow-loris, malformed JSON, HTML,
//! and key sets with no usable key. Each variant lives under its own path prefix, so one
//! server serves them all. The server thread stops when the test process ends; it only
//! ever listens on loopback.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

pub struct HostileProvider {
    pub port: u16,
}

impl HostileProvider {
    pub fn start() -> HostileProvider {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port is free");
        let port = listener.local_addr().unwrap().port();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                thread::spawn(move || serve(stream, port));
            }
        });
        HostileProvider { port }
    }

    pub fn issuer(&self, variant: &str) -> String {
        format!("http://127.0.0.1:{}/{variant}", self.port)
    }
}

fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buffer = [0u8; 8192];
    let mut request = Vec::new();
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&request);
    text.lines().next()?.split_whitespace().nth(1).map(str::to_owned)
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn discovery_document(issuer: &str, base: &str) -> String {
    serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": ["sub", "email", "given_name", "family_name"],
    })
    .to_string()
}

/// How often the `moving-jwks` discovery document was served, and which key sets were fetched.
pub static MOVING_JWKS_RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
pub static MOVING_JWKS_FETCHED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

const GOOD_JWKS: &str = r#"{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}"#;

fn serve(mut stream: TcpStream, port: u16) {
    let Some(path) = read_request_path(&mut stream) else { return };
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let variant = parts.next().unwrap_or_default().to_owned();
    let rest = parts.next().unwrap_or_default();
    let base = format!("http://127.0.0.1:{port}/{variant}");
    let is_discovery = rest == ".well-known/openid-configuration";
    let json = "application/json";
    match (variant.as_str(), is_discovery, rest) {
        ("good", true, _) | ("no-usable-key", true, _) => {
            respond(&mut stream, "200 OK", json, &discovery_document(&base, &base))
        }
        ("good", false, "jwks") => respond(&mut stream, "200 OK", json, GOOD_JWKS),
        // #26: a jwks_uri that is new on every fetch of the discovery document.
        ("moving-jwks", true, _) => {
            let run = MOVING_JWKS_RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let document = discovery_document(&base, &base).replace(&format!("{base}/jwks"), &format!("{base}/jwks-{run}"));
            respond(&mut stream, "200 OK", json, &document)
        }
        ("moving-jwks", false, key_set) if key_set.starts_with("jwks-") => {
            MOVING_JWKS_FETCHED.lock().unwrap().push(key_set.to_owned());
            respond(&mut stream, "200 OK", json, GOOD_JWKS)
        }
        // #30: a good discovery document whose key set is an endless body.
        ("huge-jwks", true, _) => respond(&mut stream, "200 OK", json, &discovery_document(&base, &base)),
        ("huge-jwks", false, "jwks") => {
            let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{{\"keys\": [\"");
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..(64 * 16) {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        ("no-usable-key", false, "jwks") => respond(
            &mut stream,
            "200 OK",
            json,
            r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"RSA","use":"enc","n":"x","e":"AQAB"}]}"#,
        ),
        ("issuer-trailing-slash", true, _) => {
            respond(&mut stream, "200 OK", json, &discovery_document(&format!("{base}/"), &base))
        }
        ("entra-common", true, _) => respond(
            &mut stream,
            "200 OK",
            json,
            &discovery_document("https://login.microsoftonline.com/{tenantid}/v2.0", &base),
        ),
        ("http-endpoints", true, _) => {
            let document =
                discovery_document(&base, &base).replace(&format!("{base}/token"), "http://idp.example.com/token");
            respond(&mut stream, "200 OK", json, &document)
        }
        ("redirect", true, _) => {
            let _ = write!(stream, "HTTP/1.1 302 Found\r\nLocation: https://evil.example/.well-known/openid-configuration\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        ("huge", true, _) => {
            // An endless body with no length: the client must stop at its cap.
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{{\"issuer\": \""
            );
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..(64 * 16) {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        ("never-answers", true, _) => thread::sleep(Duration::from_secs(60)),
        ("slow-loris", true, _) => {
            let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
            for _ in 0..120 {
                if stream.write_all(b" ").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(500));
            }
        }
        ("malformed", true, _) => respond(&mut stream, "200 OK", json, r#"{"issuer": "#),
        ("html", true, _) => respond(
            &mut stream,
            "200 OK",
            "text/html",
            "<html><head><style>body{color:red}</style></head><body><script>alert('captive portal')</script><h1>Sign in to the \u{1b}[31mWi-Fi</h1></body></html>",
        ),
        ("not-found", true, _) => respond(&mut stream, "404 Not Found", "text/plain", "no such tenant"),
        _ => respond(&mut stream, "404 Not Found", "text/plain", "not found"),
    }
}
