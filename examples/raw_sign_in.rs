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

fn client(follow_redirects: bool) -> reqwest::Client {
    let policy =
        if follow_redirects { reqwest::redirect::Policy::limited(5) } else { reqwest::redirect::Policy::none() };
    reqwest::Client::builder().redirect(policy).build().expect("an HTTP client")
}

async fn browse(url: &str) {
    let http = client(true);
    let base = url::Url::parse(url).expect("a URL");
    let page = http.get(url).send().await.expect("the sign-in page").text().await.unwrap();
    let approve = base.join(&approve_link(&page)).unwrap();
    // Follows the provider's redirect to the loopback listener, as a browser would.
    http.get(approve).send().await.expect("the callback").text().await.unwrap();
}

async fn flow(issuer: &str, client_id: &str, secret: &str) {
    let http = client(false);
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
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match arguments.as_slice() {
        [mode, issuer, client_id, secret] if mode == "flow" => runtime.block_on(flow(issuer, client_id, secret)),
        [url] => runtime.block_on(browse(url)),
        _ => {
            eprintln!("usage: raw_sign_in flow ISSUER CLIENT_ID CLIENT_SECRET | raw_sign_in URL");
            std::process::exit(2);
        }
    }
}
