//! A private Xvfb X server for tests that need a display (the clipboard, the desktop app).
//! Each test gets its own display number, so tests never share a clipboard or a window.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct XServer {
    child: Child,
    pub display: String,
}

impl Drop for XServer {
    /// SIGTERM, so Xvfb removes its lock file and socket (SIGKILL would leave them behind and
    /// use up display numbers run after run); SIGKILL only if it does not stop.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// True when display `number` is held by a live X server. A lock file whose process is gone
/// is stale: Xvfb replaces it itself.
fn display_in_use(number: u32) -> bool {
    match std::fs::read_to_string(format!("/tmp/.X{number}-lock")) {
        Ok(text) => text.trim().parse::<u32>().is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists()),
        Err(_) => false,
    }
}

/// Starts Xvfb on the first free display from :140, with a screen of `size` (`1280x800x24`).
pub fn start_x_server(size: &str) -> XServer {
    for number in 140..200 {
        if display_in_use(number) {
            continue;
        }
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", size, "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (scripts/install-system-packages.sh)");
        let mut server = XServer { child, display };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::path::Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
                return server;
            }
            if server.child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = server.child.kill();
    }
    panic!("no Xvfb display could be started");
}
