//! A private Xvfb X server for tests that need a display (the clipboard, the desktop app).
//! Each test gets its own display number, so tests never share a clipboard or a window.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct XServer {
    child: Child,
    pub display: String,
}

impl Drop for XServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Xvfb on the first free display from :140, with a screen of `size` (`1280x800x24`).
pub fn start_x_server(size: &str) -> XServer {
    for number in 140..200 {
        if std::path::Path::new(&format!("/tmp/.X{number}-lock")).exists() {
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
