//! The floor for the flow-test benchmark (`make bench`): the HTTP requests of an OIDC sign-in
//! made directly, with nothing checked: discovery, JWKS, authorize, the sign-in click, token,
//! userinfo. Against `sso-setup demo-idp` only.
//!
//! `raw_sign_in flow ISSUER CLIENT_ID CLIENT_SECRET` runs the requests and exits.
//! `raw_sign_in URL` is the stand-in browser for `sso-setup test-flow` in the same benchmark
//! (`BROWSER=raw_sign_in`): it opens the sign-in page, clicks "Sign in" and follows the
//! redirect to the loopback callback.

use base64::Engine as _;
use sha2::Digest as _;

fn random_text() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("random bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The href of the demo provider's "Sign in" link.
fn approve_link(page: &str) -> String {
    page.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a sign-in link").replace("&amp;", "&")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("an HTTP client")
}

/// One plain HTTP/1.1 GET on loopback: the status line, the Location header and the body.
/// The stand-in browser needs nothing more, and loads no TLS roots or async runtime, so its
/// own start costs the tool's measurement as little as a real browser tab would.
fn get(url: &url::Url) -> (String, Option<String>, String) {
    use std::io::{Read, Write};
    let host = url.host_str().expect("a host");
    let mut stream = std::net::TcpStream::connect((host, url.port_or_known_default().unwrap())).expect("a connection");
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    // As a browser does: the port is part of Host (the loopback listener checks it).
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let location = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("location")))
        .map(|(_, value)| value.trim().to_owned());
    (head.lines().next().unwrap_or_default().to_owned(), location, body.to_owned())
}

fn browse(url: &str) {
    let start = url::Url::parse(url).expect("a URL");
    let (_, _, page) = get(&start);
    let mut next = start.join(&approve_link(&page)).unwrap();
    // Follows the provider's redirect to the loopback listener, as a browser would.
    for _ in 0..5 {
        match get(&next) {
            (_, Some(location), _) => next = next.join(&location).unwrap(),
            _ => return,
        }
    }
}

async fn flow(issuer: &str, client_id: &str, secret: &str) {
    let http = client();
    let json = |text: String| -> serde_json::Value { serde_json::from_str(&text).expect("JSON") };
    let discovery = json(
        http.get(format!("{issuer}/.well-known/openid-configuration")).send().await.unwrap().text().await.unwrap(),
    );
    let endpoint = |name: &str| discovery[name].as_str().unwrap().to_owned();
    let _keys = json(http.get(endpoint("jwks_uri")).send().await.unwrap().text().await.unwrap());
    let verifier = random_text();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect_uri = "http://127.0.0.1:53999/callback";
    let mut authorize = url::Url::parse(&endpoint("authorization_endpoint")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", "openid email profile")
        .append_pair("state", &random_text())
        .append_pair("nonce", &random_text())
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let page = http.get(authorize.clone()).send().await.unwrap().text().await.unwrap();
    let approved = http.get(authorize.join(&approve_link(&page)).unwrap()).send().await.unwrap();
    let location = url::Url::parse(approved.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(name, _)| name == "code").expect("a code").1.into_owned();
    let tokens = json(
        http.post(endpoint("token_endpoint"))
            .basic_auth(client_id, Some(secret))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", &verifier),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let access_token = tokens["access_token"].as_str().expect("an access token");
    let userinfo = http.get(endpoint("userinfo_endpoint")).bearer_auth(access_token).send().await.unwrap();
    assert!(userinfo.status().is_success(), "userinfo answered {}", userinfo.status());
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.as_slice() {
        [mode, issuer, client_id, secret] if mode == "flow" => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(flow(issuer, client_id, secret));
        }
        [url] => browse(url),
        _ => {
            eprintln!("usage: raw_sign_in flow ISSUER CLIENT_ID CLIENT_SECRET | raw_sign_in URL");
            std::process::exit(2);
        }
    }
}
