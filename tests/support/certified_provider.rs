//! The certified `oidc-provider` npm package (tests/oidc-provider/server.js) as a test
//! provider on 127.0.0.1: started per test with its settings as JSON, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct CertifiedProvider {
    child: Child,
    pub issuer: String,
}

impl Drop for CertifiedProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider with `settings` (see server.js: `secret`, `registration`).
pub fn start(settings: serde_json::Value) -> CertifiedProvider {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // From the core's tests and from the desktop shell's (src-tauri/tests), one folder down.
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = [manifest.join("tests/oidc-provider"), manifest.join("../tests/oidc-provider")]
        .into_iter()
        .find(|folder| folder.join("server.js").exists())
        .expect("tests/oidc-provider is in the repository");
    assert!(folder.join("node_modules/oidc-provider").exists(), "run `npm ci` in tests/oidc-provider (make test does)");
    let mut child = Command::new("node")
        .arg("server.js")
        .arg(port.to_string())
        .arg(settings.to_string())
        .current_dir(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node is installed");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("ready "), "the provider started: {line}");
    // Keep reading what the provider prints later: a closed pipe would kill it (EPIPE).
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stdout.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    CertifiedProvider { child, issuer: line.trim().trim_start_matches("ready ").to_owned() }
}
