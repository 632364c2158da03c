//! The stand-ins for admin APIs that cannot be reached from here (tests/stand-ins/*.js: each
//! names the documentation pages it follows), started per test on 127.0.0.1 with its
//! settings as JSON, and stopped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

pub struct StandIn {
    child: Child,
    /// The API's base address, e.g. `http://127.0.0.1:41234/v1.0`.
    pub base: String,
    port: u16,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tests/stand-ins/<script>` with `settings`.
pub fn start(script: &str, settings: serde_json::Value) -> StandIn {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = [manifest.join("tests/stand-ins"), manifest.join("../tests/stand-ins")]
        .into_iter()
        .find(|folder| folder.join(script).exists())
        .expect("tests/stand-ins is in the repository");
    let mut child = Command::new("node")
        .arg(script)
        .arg(port.to_string())
        .arg(settings.to_string())
        .current_dir(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node is installed");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("ready "), "the stand-in started: {line}");
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stdout.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    StandIn { child, base: line.trim().trim_start_matches("ready ").to_owned(), port }
}

impl StandIn {
    /// The requests the stand-in has seen: `{method, path, body}` each, never a credential.
    pub fn log(&self) -> Vec<serde_json::Value> {
        self.inspect("log")
    }

    /// The client secrets the stand-in made and still holds.
    pub fn secrets(&self) -> Vec<serde_json::Value> {
        self.inspect("secrets")
    }

    fn inspect(&self, what: &str) -> Vec<serde_json::Value> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /_stand-in/{what} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let body = answer.split_once("\r\n\r\n").expect("an HTTP answer").1;
        serde_json::from_str(body).expect("the log is JSON")
    }
}
