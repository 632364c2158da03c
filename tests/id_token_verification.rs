//! ID token verification against section A of the security catalogue (#2–#21), as data: each
//! case mints a token with test keys (tests/fixtures/keys) and says which outcome it must get.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sso_setup::error::UserFacingError;
use sso_setup::oidc::id_token::{verify_id_token, IdTokenExpectation};

const ISSUER: &str = "https://idp.example.com";
const CLIENT: &str = "client-1";
const NONCE: &str = "nonce-abc";
const NOW: i64 = 1_800_000_000;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn jwk(name: &str) -> Value {
    let keys: Value = serde_json::from_str(&fixture("test-keys.jwk.json")).unwrap();
    keys[name].clone()
}

fn good_claims() -> Value {
    json!({"iss": ISSUER, "sub": "user-1", "aud": CLIENT, "exp": NOW + 300, "iat": NOW - 5, "nonce": NONCE,
           "email": "ada@example.com"})
}

fn sign(algorithm: Algorithm, kid: Option<&str>, claims: &Value) -> String {
    let key = match algorithm {
        Algorithm::RS256 | Algorithm::PS256 => EncodingKey::from_rsa_pem(fixture("test-rsa.pem").as_bytes()).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(fixture("test-ec.pem").as_bytes()).unwrap(),
        _ => unreachable!(),
    };
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    encode(&header, claims, &key).unwrap()
}

fn with(changes: &[(&str, Value)]) -> Value {
    let mut claims = good_claims();
    for (name, value) in changes {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(*name);
        } else {
            claims[*name] = value.clone();
        }
    }
    claims
}

fn unsigned(claims: &Value) -> String {
    use base64::Engine as _;
    let encode = |value: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.", encode(&json!({"alg": "none"})), encode(claims))
}

fn hs256_with_public_key(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("rsa-1".into());
    encode(&header, claims, &EncodingKey::from_secret(fixture("test-rsa.pub.pem").as_bytes())).unwrap()
}

fn flip_signature(token: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut signature: Vec<char> = parts[2].chars().collect();
    signature[10] = if signature[10] == 'A' { 'B' } else { 'A' };
    parts[2] = signature.into_iter().collect();
    parts.join(".")
}

struct Case {
    number: &'static str,
    token: String,
    keys: Value,
    advertised: Vec<&'static str>,
    /// `Ok` or the error code the case must end with.
    expect: &'static str,
}

fn cases() -> Vec<Case> {
    let rsa = || json!({"keys": [jwk("rsa")]});
    let all = || json!({"keys": [jwk("rsa"), jwk("ec"), jwk("rsa_other")]});
    let rs = |claims: &Value| sign(Algorithm::RS256, Some("rsa-1"), claims);
    let case =
        |number, token, keys, expect| Case { number, token, keys, advertised: vec!["RS256", "ES256", "PS256"], expect };
    vec![
        case("#2 RS256", rs(&good_claims()), rsa(), "ok"),
        case("#3 bad RS256 signature", flip_signature(&rs(&good_claims())), rsa(), "id-token-bad-signature"),
        case(
            "#4 bad ES256 signature",
            flip_signature(&sign(Algorithm::ES256, Some("ec-1"), &good_claims())),
            all(),
            "id-token-bad-signature",
        ),
        case("#5 alg none", unsigned(&good_claims()), rsa(), "id-token-algorithm-refused"),
        case(
            "#6 HS256 with the public key as secret",
            hs256_with_public_key(&good_claims()),
            rsa(),
            "id-token-algorithm-refused",
        ),
        case("#7 ES256", sign(Algorithm::ES256, Some("ec-1"), &good_claims()), all(), "ok"),
        case("PS256", sign(Algorithm::PS256, Some("rsa-1"), &good_claims()), rsa(), "ok"),
        case("#8 wrong iss", rs(&with(&[("iss", json!("https://evil.example"))])), rsa(), "id-token-wrong-issuer"),
        case("#8 missing iss", rs(&with(&[("iss", Value::Null)])), rsa(), "id-token-missing-claim"),
        case("#9 wrong aud", rs(&with(&[("aud", json!("other-client"))])), rsa(), "id-token-wrong-audience"),
        case("#9 missing aud", rs(&with(&[("aud", Value::Null)])), rsa(), "id-token-missing-claim"),
        case(
            "#10 aud [client, other] without azp",
            rs(&with(&[("aud", json!([CLIENT, "other"]))])),
            rsa(),
            "id-token-untrusted-audience",
        ),
        // OpenID Connect Core §3.1.3.7 (3): a token that "contains additional audiences not
        // trusted by the Client" is rejected; this client trusts no other audience, so an azp
        // naming the client does not make [client, other] acceptable (it was accepted before).
        case(
            "#10 aud [client, other] with azp",
            rs(&with(&[("aud", json!([CLIENT, "other"])), ("azp", json!(CLIENT))])),
            rsa(),
            "id-token-untrusted-audience",
        ),
        case(
            "#10 aud [other, client] with azp other",
            rs(&with(&[("aud", json!(["other", CLIENT])), ("azp", json!("other"))])),
            rsa(),
            "id-token-untrusted-audience",
        ),
        case(
            "#10 single aud with an azp that is not the client",
            rs(&with(&[("azp", json!("other-client"))])),
            rsa(),
            "id-token-wrong-azp",
        ),
        case("#10 azp that is not a string", rs(&with(&[("azp", json!(7))])), rsa(), "id-token-wrong-azp"),
        case("#10 azp equal to the client", rs(&with(&[("azp", json!(CLIENT))])), rsa(), "ok"),
        case(
            "#10 aud [client, 42]: a non-string entry is refused, not dropped",
            rs(&with(&[("aud", json!([CLIENT, 42]))])),
            rsa(),
            "id-token-malformed-audience",
        ),
        case("#9 aud as a number", rs(&with(&[("aud", json!(42))])), rsa(), "id-token-malformed-audience"),
        case("#9 aud as an empty array", rs(&with(&[("aud", json!([]))])), rsa(), "id-token-missing-claim"),
        case("#11 aud as a one-element array", rs(&with(&[("aud", json!([CLIENT]))])), rsa(), "ok"),
        case("#12 missing iat", rs(&with(&[("iat", Value::Null)])), rsa(), "id-token-missing-claim"),
        case(
            "#13 iat an hour in the future",
            rs(&with(&[("iat", json!(NOW + 3600)), ("exp", json!(NOW + 7200))])),
            rsa(),
            "id-token-issued-in-future",
        ),
        case("#13 iat a week ago", rs(&with(&[("iat", json!(NOW - 7 * 86400))])), rsa(), "id-token-too-old"),
        case("#13 iat within the skew", rs(&with(&[("iat", json!(NOW + 60))])), rsa(), "ok"),
        case("#14 exp in the past", rs(&with(&[("exp", json!(NOW - 600))])), rsa(), "id-token-expired"),
        case("#14 missing exp", rs(&with(&[("exp", Value::Null)])), rsa(), "id-token-missing-claim"),
        case("#15 missing sub", rs(&with(&[("sub", Value::Null)])), rsa(), "id-token-missing-claim"),
        case("#16 wrong nonce", rs(&with(&[("nonce", json!("other"))])), rsa(), "id-token-wrong-nonce"),
        case("#16 missing nonce", rs(&with(&[("nonce", Value::Null)])), rsa(), "id-token-missing-claim"),
        case("#17 no kid, one key", sign(Algorithm::RS256, None, &good_claims()), rsa(), "ok"),
        case("#18 no kid, several keys", sign(Algorithm::RS256, None, &good_claims()), all(), "id-token-ambiguous-key"),
        case(
            "#19 unknown kid",
            sign(Algorithm::RS256, Some("rotated-away"), &good_claims()),
            rsa(),
            "id-token-unknown-key",
        ),
        case(
            "#20 unusable keys beside the real one",
            rs(&good_claims()),
            json!({"keys": [{"kty": "AKP", "alg": "ML-DSA-44", "pub": "x"}, {"kty": "made-up"}, jwk("rsa")]}),
            "ok",
        ),
        case(
            "#21 empty key set",
            sign(Algorithm::RS256, None, &good_claims()),
            json!({"keys": []}),
            "id-token-no-usable-key",
        ),
        case(
            "signed by another key with the same kid",
            {
                let other = EncodingKey::from_rsa_pem(fixture("test-rsa-other.pem").as_bytes()).unwrap();
                let mut header = Header::new(Algorithm::RS256);
                header.kid = Some("rsa-1".into());
                encode(&header, &good_claims(), &other).unwrap()
            },
            rsa(),
            "id-token-bad-signature",
        ),
        case("#14 exp 120 s ago, within the skew", rs(&with(&[("exp", json!(NOW - 120))])), rsa(), "ok"),
        case("#14 exp 121 s ago, past the skew", rs(&with(&[("exp", json!(NOW - 121))])), rsa(), "id-token-expired"),
        // RFC 8725 §3.11 and RFC 9068 §4: a JWT of another type (an access token) is not an
        // ID token, whoever signed it. Refused by the openidconnect crate's JOSE header rules.
        case(
            "an access token (typ at+jwt) presented as an ID token",
            {
                let mut header = Header::new(Algorithm::RS256);
                header.kid = Some("rsa-1".into());
                header.typ = Some("at+jwt".into());
                encode(&header, &good_claims(), &EncodingKey::from_rsa_pem(fixture("test-rsa.pem").as_bytes()).unwrap())
                    .unwrap()
            },
            rsa(),
            "id-token-malformed",
        ),
        // A standard claim of the wrong type (OpenID Connect Core §5.1: email_verified is a
        // boolean; "true" and "false" as strings are accepted, as some IdPs send them).
        case("email_verified as the string \"true\"", rs(&with(&[("email_verified", json!("true"))])), rsa(), "ok"),
        case("email_verified as \"yes\"", rs(&with(&[("email_verified", json!("yes"))])), rsa(), "id-token-malformed"),
        Case {
            number: "ES256 token from a provider that advertises RS256 only",
            token: sign(Algorithm::ES256, Some("ec-1"), &good_claims()),
            keys: all(),
            advertised: vec!["RS256"],
            expect: "id-token-algorithm-refused",
        },
    ]
}

#[test]
fn every_section_a_case_gets_its_documented_outcome() {
    let mut mismatches = Vec::new();
    for case in cases() {
        let advertised: Vec<String> = case.advertised.iter().map(|alg| alg.to_string()).collect();
        let issuer_url = openidconnect::IssuerUrl::new(ISSUER.to_owned()).unwrap();
        let client_id = openidconnect::ClientId::new(CLIENT.to_owned());
        let expectation = IdTokenExpectation {
            issuer: &issuer_url,
            client_id: &client_id,
            nonce: NONCE,
            advertised_algorithms: &advertised,
            now: NOW,
            access_token: None,
        };
        let outcome = match verify_id_token(&case.token, &case.keys, &expectation) {
            Ok(claims) => {
                assert_eq!(claims["email"], "ada@example.com", "{}: the decoded claims are returned", case.number);
                "ok".to_owned()
            }
            Err(error) => {
                assert!(
                    !error.to_string().contains(&case.token),
                    "{}: the raw token is never in a message",
                    case.number
                );
                error.code().to_string()
            }
        };
        if outcome != case.expect {
            mismatches.push(format!("{}: expected {}, got {outcome}", case.number, case.expect));
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn a_mistyped_claim_is_named_and_its_value_never_shown() {
    let advertised = vec!["RS256".to_owned()];
    let token = sign(Algorithm::RS256, Some("rsa-1"), &with(&[("email_verified", json!("yes-secret-value"))]));
    let issuer_url = openidconnect::IssuerUrl::new(ISSUER.to_owned()).unwrap();
    let client_id = openidconnect::ClientId::new(CLIENT.to_owned());
    let expectation = IdTokenExpectation {
        issuer: &issuer_url,
        client_id: &client_id,
        nonce: NONCE,
        advertised_algorithms: &advertised,
        now: NOW,
        access_token: None,
    };
    let error = verify_id_token(&token, &json!({"keys": [jwk("rsa")]}), &expectation).unwrap_err();
    assert!(error.to_string().contains("email_verified"), "{error}");
    assert!(!error.to_string().contains("yes-secret-value"), "{error}");
}

#[test]
fn a_clock_minutes_off_says_check_the_system_clock() {
    let advertised = vec!["RS256".to_owned()];
    let token = sign(Algorithm::RS256, Some("rsa-1"), &with(&[("exp", json!(NOW - 3600)), ("iat", json!(NOW - 3700))]));
    let issuer_url = openidconnect::IssuerUrl::new(ISSUER.to_owned()).unwrap();
    let client_id = openidconnect::ClientId::new(CLIENT.to_owned());
    let expectation = IdTokenExpectation {
        issuer: &issuer_url,
        client_id: &client_id,
        nonce: NONCE,
        advertised_algorithms: &advertised,
        now: NOW,
        access_token: None,
    };
    let error = verify_id_token(&token, &json!({"keys": [jwk("rsa")]}), &expectation).unwrap_err();
    assert!(error.hint().unwrap().contains("system clock"), "{error}: {:?}", error.hint());
}

#[test]
fn at_hash_is_checked_when_present() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let access_token = "access-token-value";
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    let at_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    let advertised = vec!["RS256".to_owned()];
    let keys = json!({"keys": [jwk("rsa")]});
    let issuer_url = openidconnect::IssuerUrl::new(ISSUER.to_owned()).unwrap();
    let client_id = openidconnect::ClientId::new(CLIENT.to_owned());
    let expectation = |token: Option<&'static str>| IdTokenExpectation {
        issuer: &issuer_url,
        client_id: &client_id,
        nonce: NONCE,
        advertised_algorithms: &advertised,
        now: NOW,
        access_token: token,
    };
    let token = sign(Algorithm::RS256, Some("rsa-1"), &with(&[("at_hash", json!(at_hash))]));
    assert!(verify_id_token(&token, &keys, &expectation(Some(access_token))).is_ok());
    let error = verify_id_token(&token, &keys, &expectation(Some("another-token"))).unwrap_err();
    assert_eq!(error.code(), "id-token-wrong-at-hash");
}
