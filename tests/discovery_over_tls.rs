//! Catalogue #34: a provider's TLS certificate is checked as a browser checks it, against the
//! OS trust store, and a bad one fails closed, naming the URL and the reason: expired,
//! self-signed (not from a trusted CA), or issued for another host. There is no option to
//! skip the check.
//!
//! The provider is a TLS server on 127.0.0.1 in this process with certificates made per test
//! (rcgen). The trust store is a test CA given through `SSL_CERT_FILE`, which the OS-trust-store
//! loader (rustls-native-certs) honours, as corporate setups with their own CA do.

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, SanType};
use std::io::Write as _;
use std::net::IpAddr;
use std::process::{Command, Output};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct TestAuthority {
    certificate: rcgen::Certificate,
    key: KeyPair,
}

fn authority() -> TestAuthority {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, "sso-setup test CA");
    let key = KeyPair::generate().unwrap();
    TestAuthority { certificate: params.self_signed(&key).unwrap(), key }
}

enum Leaf {
    Good,
    Expired,
    OtherHost,
    SelfSigned,
}

/// A certificate (DER chain) and its key for the server.
fn leaf(authority: &TestAuthority, kind: Leaf) -> (Vec<rustls::pki_types::CertificateDer<'static>>, KeyPair) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = match kind {
        Leaf::OtherHost => vec![SanType::DnsName("idp.example.com".try_into().unwrap())],
        _ => vec![SanType::IpAddress("127.0.0.1".parse::<IpAddr>().unwrap())],
    };
    if let Leaf::Expired = kind {
        params.not_before = rcgen::date_time_ymd(2019, 1, 1);
        params.not_after = rcgen::date_time_ymd(2020, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let certificate = match kind {
        Leaf::SelfSigned => params.self_signed(&key).unwrap(),
        _ => params.signed_by(&key, &authority.certificate, &authority.key).unwrap(),
    };
    (vec![certificate.der().clone()], key)
}

/// Serves a discovery document over TLS on 127.0.0.1 until the test ends; returns the port.
fn serve_over_tls(chain: Vec<rustls::pki_types::CertificateDer<'static>>, key: KeyPair) -> u16 {
    let private_key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A refused handshake ends here, as it should.
                    let Ok(mut tls) = acceptor.accept(stream).await else { return };
                    let mut head = [0u8; 4096];
                    let _ = tls.read(&mut head).await;
                    let issuer = format!("https://127.0.0.1:{port}");
                    let body = serde_json::json!({
                        "issuer": issuer,
                        "authorization_endpoint": format!("{issuer}/authorize"),
                        "token_endpoint": format!("{issuer}/token"),
                        "jwks_uri": format!("{issuer}/jwks"),
                        "response_types_supported": ["code"],
                        "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    })
                    .to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
    });
    port
}

/// `sso-setup discover` against the server, trusting only `authority`.
fn discover(authority: &TestAuthority, port: u16) -> (Output, String) {
    let folder = tempfile::tempdir().unwrap();
    let trust = folder.path().join("ca.pem");
    std::fs::File::create(&trust).unwrap().write_all(authority.certificate.pem().as_bytes()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["discover", "--issuer", &format!("https://127.0.0.1:{port}")])
        .env("SSL_CERT_FILE", &trust)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output, text)
}

#[test]
fn a_certificate_from_a_trusted_authority_for_this_host_is_accepted() {
    let authority = authority();
    let (chain, key) = leaf(&authority, Leaf::Good);
    let (_, text) = discover(&authority, serve_over_tls(chain, key));
    // The document arrived: the issuer check ran. (The JWKS is not served, so the run fails
    // later, at the keys, which is not what this test is about.)
    assert!(!text.contains("TLS certificate"), "{text}");
    assert!(text.contains("issuer is https://127.0.0.1:"), "{text}");
}

#[test]
fn expired_self_signed_and_other_host_certificates_fail_closed() {
    let authority = authority();
    for (kind, reason) in [
        (Leaf::Expired, "the certificate has expired"),
        (Leaf::SelfSigned, "not from an authority this computer trusts"),
        (Leaf::OtherHost, "issued for another host name"),
    ] {
        let (chain, key) = leaf(&authority, kind);
        let port = serve_over_tls(chain, key);
        let (output, text) = discover(&authority, port);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(
            text.contains(&format!(
                "the TLS certificate of https://127.0.0.1:{port}/.well-known/openid-configuration was not accepted"
            )),
            "{text}"
        );
        assert!(text.to_lowercase().contains(&reason.to_lowercase()), "expected '{reason}' in: {text}");
        assert!(text.contains("hint:"), "{text}");
    }
}

#[test]
fn there_is_no_option_to_skip_the_certificate_check() {
    for command in [["discover", "--help"], ["test-flow", "--help"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_sso-setup")).args(command).output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout).to_lowercase();
        for word in ["insecure", "skip-verify", "no-verify", "danger"] {
            assert!(!help.contains(word), "`sso-setup {}` offers '{word}'", command.join(" "));
        }
    }
}

/// A server (or a proxy in between) that hangs up in the middle of the TLS handshake is a
/// TLS failure, said as one, not a generic "could not connect".
#[test]
fn a_server_that_hangs_up_during_the_handshake_is_a_tls_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            // Read the ClientHello, then close without a word.
            if let Ok(mut stream) = stream {
                let mut hello = [0u8; 512];
                let _ = std::io::Read::read(&mut stream, &mut hello);
            }
        }
    });
    let authority = authority();
    let (output, text) = discover(&authority, port);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("was not accepted") && text.contains("closed the connection during the TLS handshake"),
        "{text}"
    );
}
