//! The browser for `sso-setup test-flow` in the flow-test benchmark (`make bench`,
//! `BROWSER=stand_in_browser`): opens the demo provider's sign-in page, clicks "Sign in" and
//! follows the redirect to the tool's loopback callback, as a browser tab would. Only std and
//! `url`: no TLS roots, no async runtime, so its own start costs the tool's figure as little
//! as it can. Against `sso-setup demo-idp` only.

/// The href of the demo provider's "Sign in" link.
fn approve_link(page: &str) -> String {
    page.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a sign-in link").replace("&amp;", "&")
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

fn main() {
    match std::env::args().nth(1) {
        Some(url) => browse(&url),
        None => {
            eprintln!("usage: stand_in_browser URL");
            std::process::exit(2);
        }
    }
}
