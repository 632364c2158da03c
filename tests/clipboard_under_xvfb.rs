//! The clipboard for real: a private Xvfb X server, the core's `SystemClipboard` (arboard),
//! and `xclip` reading back what another program would paste. One test, so that nothing
//! else touches this X server's clipboard meanwhile; the server is stopped at the end.

use sso_setup::connections::secret::ClientSecret;
use sso_setup::platform::clipboard::{
    clear_if_still_ours, copy_secret, copy_secret_then_clear, copy_value, SystemClipboard,
};
use std::sync::{Arc, Mutex};
#[allow(dead_code)]
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::x_server::start_x_server;

fn xclip(display: &str, arguments: &[&str]) -> (bool, Vec<u8>) {
    let output = Command::new("xclip")
        .args(arguments)
        .env("DISPLAY", display)
        .stderr(Stdio::null())
        .output()
        .expect("xclip is installed (scripts/install-system-packages.sh)");
    (output.status.success(), output.stdout)
}

fn paste(display: &str) -> Option<Vec<u8>> {
    let (ok, bytes) = xclip(display, &["-o", "-selection", "clipboard"]);
    ok.then_some(bytes)
}

#[test]
fn values_and_secrets_on_a_real_x_clipboard() {
    let server = start_x_server("640x480x24");
    // arboard reads DISPLAY when the clipboard opens; this test owns its process's DISPLAY.
    std::env::set_var("DISPLAY", &server.display);
    let mut clipboard = SystemClipboard::open().expect("the clipboard opens on the Xvfb display");

    // A redirect URI arrives byte-exact: no newline, no smart quotes, trailing slash kept.
    let uri = "https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/";
    copy_value(&mut clipboard, uri).unwrap();
    assert_eq!(paste(&server.display).as_deref(), Some(uri.as_bytes()));

    // A secret is offered with the password-manager hint that clipboard managers honour.
    let secret = ClientSecret::new("clipboard-secret-~9".into());
    copy_secret(&mut clipboard, &secret).unwrap();
    assert_eq!(paste(&server.display).as_deref(), Some("clipboard-secret-~9".as_bytes()));
    let (_, targets) = xclip(&server.display, &["-o", "-selection", "clipboard", "-t", "TARGETS"]);
    let targets = String::from_utf8_lossy(&targets);
    assert!(targets.contains("x-kde-passwordManagerHint"), "the secret carries the history-exclusion hint: {targets}");

    // Cleared when it is still ours...
    assert!(clear_if_still_ours(&mut clipboard, secret.expose()).unwrap());
    let after_clear = paste(&server.display).unwrap_or_default();
    assert!(after_clear.is_empty(), "the secret is gone: {:?}", String::from_utf8_lossy(&after_clear));

    // ...and left alone when the admin has copied something else since.
    copy_secret(&mut clipboard, &secret).unwrap();
    let mut other = Command::new("xclip")
        .args(["-i", "-selection", "clipboard"])
        .env("DISPLAY", &server.display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        other.stdin.take().unwrap().write_all(b"copied by the admin since").unwrap();
    }
    other.wait().unwrap();
    // xclip forks a process that serves its selection; give the ownership change a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while paste(&server.display).as_deref() != Some(b"copied by the admin since".as_slice())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!clear_if_still_ours(&mut clipboard, secret.expose()).unwrap(), "someone else's value is not cleared");
    assert_eq!(paste(&server.display).as_deref(), Some(b"copied by the admin since".as_slice()));
    drop(clipboard);

    // #65: the timed clear. The secret is on the clipboard, then gone after the delay...
    let clipboard = Arc::new(Mutex::new(SystemClipboard::open().unwrap()));
    let clearing = copy_secret_then_clear(clipboard.clone(), &secret, Duration::from_millis(800)).unwrap();
    assert_eq!(paste(&server.display).as_deref(), Some("clipboard-secret-~9".as_bytes()), "copied at once");
    assert!(clearing.join().unwrap().unwrap(), "cleared after the delay");
    let after = paste(&server.display).unwrap_or_default();
    assert!(after.is_empty(), "the secret is gone: {:?}", String::from_utf8_lossy(&after));
    // ...but what the admin copied in the meantime stays.
    let clearing = copy_secret_then_clear(clipboard.clone(), &secret, Duration::from_millis(1500)).unwrap();
    copy_with_xclip(&server.display, b"copied during the delay");
    assert!(!clearing.join().unwrap().unwrap(), "someone else's value is not cleared");
    assert_eq!(paste(&server.display).as_deref(), Some(b"copied during the delay".as_slice()));
    drop(clipboard);
}

/// Puts `text` on the clipboard with xclip, as another program would, and waits until it
/// owns the selection.
fn copy_with_xclip(display: &str, text: &[u8]) {
    let mut other = Command::new("xclip")
        .args(["-i", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        other.stdin.take().unwrap().write_all(text).unwrap();
    }
    other.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while paste(display).as_deref() != Some(text) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}
