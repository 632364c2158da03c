//! The README's rehearsal: `sso-setup demo-idp` in one process, `sso-setup test-flow
//! --no-browser` in another, and a stand-in browser that opens the printed URL and clicks
//! "Sign in". The whole run must pass, for a vendor that needs claims in the ID token.

#[allow(dead_code)]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn value_after<'a>(lines: &'a [String], prefix: &str) -> &'a str {
    lines.iter().find_map(|line| line.strip_prefix(prefix)).unwrap_or_else(|| panic!("no '{prefix}' line in {lines:?}"))
}

#[test]
fn demo_idp_and_test_flow_complete_a_full_run() {
    let mut demo = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .arg("demo-idp")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut demo_out = BufReader::new(demo.stdout.take().unwrap());
    let demo = Running(demo);
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        demo_out.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    let issuer = value_after(&lines, "issuer: ").to_owned();
    let client_id = value_after(&lines, "client ID: ").to_owned();
    let secret = value_after(&lines, "client secret: ").to_owned();
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");

    let mut flow = Command::new(env!("CARGO_BIN_EXE_sso-setup"))
        .args(["test-flow", "--issuer", &issuer, "--client-id", &client_id, "--client-secret-stdin"])
        .args(["--vendor", "peerpanda", "--no-browser", "--timeout", "30", "--json"])
        .env_remove("SSO_SETUP_CLIENT_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    flow.stdin.take().unwrap().write_all(format!("{secret}\n").as_bytes()).unwrap();
    let mut stderr = BufReader::new(flow.stderr.take().unwrap());
    let mut seen = String::new();
    let authorization_url = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no Open: line in {seen}");
        seen.push_str(&line);
        if let Some(url) = line.strip_prefix("Open: ") {
            break url.trim().to_owned();
        }
    };
    // The sign-in page, then a click on its "Sign in" link.
    let (status, page) = support::browser::browse_with_cookies(&authorization_url);
    assert!(status.contains("200"), "{status}: {page}");
    let href = page.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a sign-in link");
    let approve = url::Url::parse(&authorization_url).unwrap().join(href).unwrap();
    let (status, done) = support::browser::browse_with_cookies(approve.as_str());
    assert!(status.contains("200") && done.contains("Signed in"), "{status}: {done}");

    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    seen.push_str(&rest);
    let output = flow.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "stdout: {stdout}\nstderr: {seen}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["id_token_claims"]["family_name"], "Lovelace");
    assert!(!stdout.contains(&secret) && !seen.contains(&secret), "test-flow never prints the secret");
    drop(demo);
}
