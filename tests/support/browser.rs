//! A stand-in for the system browser in flow tests: plain HTTP/1.1 GETs that follow
//! redirects and keep cookies per host, until a response is not a redirect (the loopback
//! listener's page). Enough for the providers' own sign-in redirects; no JavaScript.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

/// Follows `url` through redirects; returns the final response's status line and body.
pub fn browse_with_cookies(url: &str) -> (String, String) {
    let mut cookies: HashMap<String, String> = HashMap::new();
    let mut current = url::Url::parse(url).unwrap();
    for _ in 0..20 {
        let host = current.host_str().unwrap().to_owned();
        let port = current.port_or_known_default().unwrap();
        let mut stream = TcpStream::connect((host.as_str(), port)).unwrap();
        let target = match current.query() {
            Some(query) => format!("{}?{query}", current.path()),
            None => current.path().to_owned(),
        };
        let cookie_header = if cookies.is_empty() {
            String::new()
        } else {
            format!("Cookie: {}\r\n", cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
        };
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n{cookie_header}Connection: close\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let response = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.lines().next().unwrap_or_default().to_owned();
        let mut location = None;
        for line in head.lines().skip(1) {
            let Some((name, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("set-cookie") {
                if let Some((pair, _)) = value.split_once(';').or(Some((value, ""))) {
                    if let Some((key, cookie_value)) = pair.split_once('=') {
                        cookies.insert(key.trim().to_owned(), cookie_value.trim().to_owned());
                    }
                }
            } else if name.eq_ignore_ascii_case("location") {
                location = Some(value.to_owned());
            }
        }
        match location {
            Some(next) => current = current.join(&next).unwrap(),
            None => return (status, body.to_owned()),
        }
    }
    panic!("too many redirects");
}
