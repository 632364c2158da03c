//! The loopback redirect listener against the cases of section C of the security catalogue
//! (shared/docs/security-catalogue.md, #36-#50): raw HTTP requests from this test play the
//! browser, a local attacker and a confused provider.

use sso_setup::loopback::{CallbackExpectation, IgnoredRequest, LoopbackError, LoopbackListener, LoopbackPlan};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const STATE: &str = "state-Zk2x9";
const ISSUER: &str = "https://idp.example.com";

fn expectation(require_iss: bool) -> CallbackExpectation {
    CallbackExpectation { state: STATE.into(), issuer: ISSUER.into(), require_iss }
}

/// Sends a raw request and returns the whole response.
fn send(port: u16, raw: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the listener accepts");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

fn get(port: u16, target: &str) -> String {
    send(port, &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"))
}

struct Run {
    port: u16,
    redirect_uri: String,
    ignored: Arc<Mutex<Vec<IgnoredRequest>>>,
    result: std::thread::JoinHandle<Result<sso_setup::loopback::AuthorizationCode, LoopbackError>>,
}

/// Starts a listener on an ephemeral port in a background runtime.
fn start(require_iss: bool, timeout: Duration) -> Run {
    let (ready_sender, ready) = std::sync::mpsc::channel();
    let ignored = Arc::new(Mutex::new(Vec::new()));
    let ignored_in_thread = ignored.clone();
    let result = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = LoopbackListener::bind(LoopbackPlan::on_port(0)).await.unwrap();
            ready_sender.send((listener.local_address(), listener.redirect_uri().to_owned())).unwrap();
            listener
                .wait_for_callback(&expectation(require_iss), timeout, |reason| {
                    ignored_in_thread.lock().unwrap().push(reason)
                })
                .await
        })
    });
    let (address, redirect_uri) = ready.recv().unwrap();
    assert!(address.ip().is_loopback(), "#36: bound to loopback only, not {address}");
    Run { port: address.port(), redirect_uri, ignored, result }
}

#[test]
fn an_ephemeral_port_is_in_the_redirect_uri() {
    let run = start(false, Duration::from_secs(10));
    assert_ne!(run.port, 0);
    assert_eq!(run.redirect_uri, format!("http://127.0.0.1:{}/callback", run.port), "#37");
    get(run.port, &format!("/callback?state={STATE}&code=c1"));
    assert_eq!(run.result.join().unwrap().unwrap().code.as_str(), "c1");
}

#[test]
fn stray_requests_are_refused_and_the_flow_keeps_waiting() {
    let run = start(false, Duration::from_secs(20));
    let port = run.port;
    assert!(get(port, "/callback?state=wrong&code=stolen").starts_with("HTTP/1.1 400"), "#39 wrong state");
    assert!(get(port, "/callback?code=stolen").starts_with("HTTP/1.1 400"), "#40 no state");
    assert!(
        get(port, "/callback?state=wrong&error=access_denied").starts_with("HTTP/1.1 400"),
        "#42 error with the wrong state"
    );
    let rebinding = send(port, &format!("GET /callback?state={STATE}&code=x HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
    assert!(rebinding.starts_with("HTTP/1.1 421"), "#47 DNS rebinding: {rebinding}");
    assert!(
        send(port, "POST /callback HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").starts_with("HTTP/1.1 405"),
        "#48 POST"
    );
    assert!(get(port, "/other").starts_with("HTTP/1.1 404"), "#48 another path");
    let long_line = format!("GET /callback?{} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", "a".repeat(9000));
    assert!(send(port, &long_line).starts_with("HTTP/1.1 431"), "#48 an 8 KiB+ request");
    // A good callback after all that still ends the flow: the state was not consumed.
    let good = get(port, &format!("/callback?state={STATE}&code=the-code"));
    assert!(good.starts_with("HTTP/1.1 200"), "{good}");
    let code = run.result.join().unwrap().unwrap();
    assert_eq!(code.code.as_str(), "the-code");
    assert!(!format!("{code:?}").contains("the-code"), "the code is never in Debug output");
    let ignored = run.ignored.lock().unwrap().clone();
    assert_eq!(ignored.len(), 7, "{ignored:?}");
    // #45: the listener is closed after the good callback.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "#45 the port is closed");
}

#[test]
fn a_provider_error_with_the_right_state_is_reported_escaped() {
    let run = start(false, Duration::from_secs(10));
    let page = get(
        run.port,
        &format!("/callback?state={STATE}&error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    );
    assert!(page.contains("&lt;script&gt;"), "#49 escaped in the page: {page}");
    assert!(!page.contains("<script>"), "#49");
    for header in
        ["Referrer-Policy: no-referrer", "Cache-Control: no-store", "Content-Security-Policy: default-src 'none'"]
    {
        assert!(page.contains(header), "#49 {header}");
    }
    match run.result.join().unwrap() {
        Err(LoopbackError::ProviderError { error, description }) => {
            assert_eq!(error, "access_denied", "#41");
            assert_eq!(description.as_deref(), Some("<script>alert(1)</script>"));
        }
        other => panic!("#41 expected the provider's error, got {other:?}"),
    }
}

#[test]
fn rfc_9207_iss_is_compared_and_required_when_advertised() {
    let run = start(false, Duration::from_secs(10));
    get(run.port, &format!("/callback?state={STATE}&code=c&iss=https%3A%2F%2Fevil.example"));
    assert!(matches!(run.result.join().unwrap(), Err(LoopbackError::IssuerMismatch { .. })), "#43");

    let run = start(true, Duration::from_secs(10));
    get(run.port, &format!("/callback?state={STATE}&code=c"));
    assert!(matches!(run.result.join().unwrap(), Err(LoopbackError::MissingIssuer)), "#44");

    let run = start(true, Duration::from_secs(10));
    get(run.port, &format!("/callback?state={STATE}&code=c&iss=https%3A%2F%2Fidp.example.com"));
    assert_eq!(run.result.join().unwrap().unwrap().iss.as_deref(), Some(ISSUER));
}

#[test]
fn a_user_who_never_finishes_times_out_and_frees_the_port() {
    let run = start(false, Duration::from_secs(1));
    let port = run.port;
    // #48: headers that never finish do not hold the flow past its timeout.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET /callback?state=").unwrap();
    assert!(matches!(run.result.join().unwrap(), Err(LoopbackError::TimedOut { seconds: 1 })), "#46");
    drop(slow);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let again = runtime.block_on(LoopbackListener::bind(LoopbackPlan::on_port(port)));
    assert!(again.is_ok(), "#46 the port is free again");
}

#[test]
fn a_fixed_port_in_use_gives_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match runtime.block_on(LoopbackListener::bind(LoopbackPlan::on_port(port))) {
        Err(error @ LoopbackError::PortInUse { .. }) => {
            assert!(error.to_string().contains(&port.to_string()), "#38 names the port: {error}");
        }
        Err(other) => panic!("#38 expected PortInUse, got {other:?}"),
        Ok(_) => panic!("#38 expected PortInUse, got a listener"),
    }
}

#[test]
fn only_loopback_redirect_uris_are_accepted() {
    for good in ["http://127.0.0.1:8400/callback", "http://[::1]:8400/cb", "http://localhost/callback"] {
        assert!(LoopbackPlan::from_redirect_uri(good).is_ok(), "{good}");
    }
    let localhost = LoopbackPlan::from_redirect_uri("http://localhost/callback").unwrap();
    assert!(localhost.bind_address.is_loopback(), "#50 localhost is served on the loopback address");
    for bad in [
        "https://127.0.0.1/cb",
        "http://0.0.0.0:80/cb",
        "http://192.168.1.2/cb",
        "http://evil.example/cb",
        "http://127.0.0.1/cb?x=1",
    ] {
        assert!(LoopbackPlan::from_redirect_uri(bad).is_err(), "{bad}");
    }
}
