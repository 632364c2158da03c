//! The floor for the flow-test benchmark (`make bench`): the HTTP requests of an OIDC sign-in
//! made directly, with nothing checked: discovery, JWKS, authorize, the sign-in click, the
//! redirect to a loopback callback, token, userinfo. Against `sso-setup demo-idp` only.
//!
//! `raw_sign_in ISSUER CLIENT_ID CLIENT_SECRET` runs the requests and exits. The tool's side
//! of the same benchmark uses `stand_in_browser` as its browser.

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

/// The loopback end of the sign-in, as small as it can be: accepts the one callback request,
/// answers 200 and returns its request line.
fn one_callback(listener: std::net::TcpListener) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        use std::io::{BufRead, Write};
        let (stream, _) = listener.accept().expect("the callback");
        let mut reader = std::io::BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        reader.get_mut().write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        request_line
    })
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
    // Like the tool, the sign-in ends at a loopback listener, which the browser reaches by
    // following the provider's redirect.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let redirect_uri = &format!("http://127.0.0.1:{}/callback", listener.local_addr().unwrap().port());
    let callback = one_callback(listener);
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
    http.get(location.clone()).send().await.unwrap();
    assert!(callback.join().unwrap().contains("code="), "the callback carries the code");
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
        [issuer, client_id, secret] => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(flow(issuer, client_id, secret));
        }
        _ => {
            eprintln!("usage: raw_sign_in ISSUER CLIENT_ID CLIENT_SECRET");
            std::process::exit(2);
        }
    }
}
