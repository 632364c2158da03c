//! A stand-in for the system browser in flow tests: plain HTTP/1.1 GETs that follow
//! redirects and keep cookies per host, until a response is not a redirect (the loopback
//! listener's page). Enough for the providers' own sign-in redirects; no JavaScript.

// Shared with the desktop shell's tests, which use only a part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

/// Follows `url` through redirects; returns the final response's status line and body.
pub fn browse_with_cookies(url: &str) -> (String, String) {
    let mut cookies: HashMap<String, String> = HashMap::new();
    let mut current = url::Url::parse(url).unwrap();
    for _ in 0..20 {
        let (status, location, body) = request(&mut cookies, "GET", &current, None);
        match location {
            Some(next) => current = current.join(&next).unwrap(),
            None => return (status, body),
        }
    }
    panic!("too many redirects");
}

/// One HTTP/1.1 request with the cookies so far; returns the status line, the headers and
/// the body, and keeps the cookies the answer sets.
fn request(
    cookies: &mut HashMap<String, String>,
    method: &str,
    url: &url::Url,
    form: Option<&str>,
) -> (String, Option<String>, String) {
    let host = url.host_str().unwrap().to_owned();
    let port = url.port_or_known_default().unwrap();
    let mut stream = TcpStream::connect((host.as_str(), port)).unwrap();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let cookie_header = if cookies.is_empty() {
        String::new()
    } else {
        format!("Cookie: {}\r\n", cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    };
    let body_headers = form
        .map(|form| format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", form.len()))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {host}:{port}\r\n{cookie_header}{body_headers}Connection: close\r\n\r\n{}",
        form.unwrap_or_default()
    )
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
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((key, cookie_value)) = pair.split_once('=') {
                cookies.insert(key.trim().to_owned(), cookie_value.trim().to_owned());
            }
        } else if name.eq_ignore_ascii_case("location") {
            location = Some(value.to_owned());
        }
    }
    (status, location, body.to_owned())
}

/// The action and the inputs of the form with `form_id` (or the first form) in an HTML page,
/// as an encoded form body.
fn hidden_inputs(page: &str, form_id: Option<&str>) -> Option<(String, String)> {
    let form_start = match form_id {
        Some(id) => page[..page.find(&format!("id=\"{id}\""))?].rfind("<form")?,
        None => page.find("<form")?,
    };
    let form = &page[form_start..form_start + page[form_start..].find("</form>")?];
    let action = form.split("action=\"").nth(1)?.split('"').next()?.to_owned();
    let mut encoded = url::form_urlencoded::Serializer::new(String::new());
    for input in form.split("<input").skip(1) {
        let attribute = |name: &str| input.split(&format!("{name}=\"")).nth(1).and_then(|rest| rest.split('"').next());
        if let (Some(name), Some(value)) = (attribute("name"), attribute("value")) {
            encoded.append_pair(name, value);
        }
    }
    Some((action, encoded.finish()))
}

/// The admin approving a device code (RFC 8628 §3.3) at the certified provider: opens the
/// complete verification URI, submits its confirm form (oidc-provider's
/// `op.deviceInputForm`, then `op.deviceConfirmForm`), and follows the sign-in (the provider's interaction route signs
/// in by itself). Returns the last page.
pub fn approve_device_code(verification_uri_complete: &str) -> String {
    let mut cookies = HashMap::new();
    let mut current = url::Url::parse(verification_uri_complete).unwrap();
    let mut method = "GET";
    let mut form: Option<String> = None;
    for _ in 0..20 {
        let (status, location, body) = request(&mut cookies, method, &current, form.as_deref());
        if let Some(next) = location {
            current = current.join(&next).unwrap();
            method = "GET";
            form = None;
            continue;
        }
        // The page that posts the code on (submitted by script in a browser), the code-input
        // page, then the confirm page.
        match hidden_inputs(&body, Some("op.deviceConfirmForm"))
            .or_else(|| hidden_inputs(&body, Some("op.deviceInputForm")))
            .or_else(|| hidden_inputs(&body, None))
        {
            Some((action, fields)) => {
                current = current.join(&action).unwrap();
                method = "POST";
                form = Some(fields);
            }
            None => return format!("{status}\n{body}"),
        }
    }
    panic!("too many steps");
}

/// The system browser's stand-in for a journey's sign-in test: each URL opened is followed
/// (`browse_with_cookies`) on a thread of its own, as a browser would while the test waits.
pub struct FollowingBrowser;

impl sso_setup::journeys::BrowserOpener for FollowingBrowser {
    fn open(&self, url: &url::Url) -> Result<(), sso_setup::platform::system_browser::BrowserError> {
        let url = url.to_string();
        std::thread::spawn(move || browse_with_cookies(&url));
        Ok(())
    }
}
