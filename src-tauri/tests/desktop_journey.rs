//! The desktop app end to end, in its real webview: the built `sso-setup-assistant` binary
//! driven over WebDriver (`tauri-driver` in front of WebKitWebDriver) on a private Xvfb
//! display, with a private D-Bus session and an unlocked GNOME Keyring, against the core's
//! demo OpenID provider on loopback. The `BROWSER` stand-in records the sign-in URL and the
//! test completes the sign-in the way a browser would.
//!
//! One journey, from "New setup" to an exported bundle, asserting what an admin relies on:
//! the exact redirect URI on the clipboard (read back with `xclip`), the secret in the
//! keychain (read back with `secret-tool`) and in no file, the sign-in result with its claims,
//! and a bundle that Debian's `age` decrypts. A second test holds the window while a provider
//! never answers: the window keeps responding and Cancel ends the test at once. A third has
//! the app create the IdP app itself ("Create it for me") at the certified `oidc-provider`
//! with standard client registration, then run the sign-in test with a loopback URI that it
//! registers for that test alone, then write the bundle.
//!
//! The first journey goes on at home: "Check all", the reminder it shows as a desktop
//! notification (seen on the test's bus), and the setup report, rendered by WebKitGTK.
//!
//! Each screen is saved as a PNG under `target/tmp/desktop-screenshots/`.

// Two of the root crate's test helpers, by path (the others need crates this one lacks).
#[path = "../../tests/support/browser.rs"]
mod browser;
#[path = "../../tests/support/certified_provider.rs"]
mod certified_provider;
#[path = "../../tests/support/saved_files.rs"]
mod saved_files;
#[allow(dead_code)]
#[path = "../../tests/support/stand_in.rs"]
mod stand_in;
#[path = "../../tests/support/x_server.rs"]
mod x_server;

use fantoccini::{Client, ClientBuilder, Locator};
use saved_files::assert_no_file_holds;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use x_server::{start_x_server, XServer};

/// Tests here start a whole desktop each; running two at once on a small machine only makes
/// both slower.
static ONE_DESKTOP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The app under test: this package's build, or another build of it (`make bench` passes the
/// release binary to measure its memory after the journey).
fn app_binary() -> String {
    std::env::var("SSO_SETUP_E2E_APP").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sso-setup-assistant").to_owned())
}

/// Every process below `root`, from /proc.
fn descendants(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // The fields after the command name (which may hold spaces) start after the last ')'.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let parent: u32 = after.split_whitespace().nth(1).unwrap().parse().unwrap();
        parents.push((pid, parent));
    }
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(next) = frontier.pop() {
        for (pid, parent) in &parents {
            if *parent == next {
                found.push(*pid);
                frontier.push(*pid);
            }
        }
    }
    found
}

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("VmRSS:").map(|rest| rest.trim().trim_end_matches(" kB").trim().parse().unwrap())
            })
        })
        .unwrap_or(0)
}

struct Stopped(Child, &'static str);

impl Drop for Stopped {
    fn drop(&mut self) {
        // SIGTERM first: tauri-driver stops WebKitWebDriver (and so the app) only from its
        // signal handler.
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.1);
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn tauri_driver() -> PathBuf {
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    match in_cargo_home.filter(|path| path.exists()) {
        Some(path) => path,
        None => panic!(
            "tauri-driver is not installed; `make test` installs it (cargo install tauri-driver --version '^2' --locked)"
        ),
    }
}

/// Everything the app runs in: its own X display, D-Bus session, keyring, config folder,
/// `BROWSER` stand-in, and the WebDriver server in front of it.
struct Desktop {
    folder: tempfile::TempDir,
    driver_pid: u32,
    x_server: XServer,
    bus_address: String,
    driver_port: u16,
    // Dropped in reverse order of start: driver (and app) first, then the bus monitor, the
    // keyring, the bus.
    _driver: Stopped,
    _monitor: Stopped,
    _keyring: Stopped,
    _bus: Stopped,
}

impl Desktop {
    fn start() -> Desktop {
        let folder = tempfile::tempdir().unwrap();
        for sub in ["config", "data", "runtime", "out"] {
            std::fs::create_dir_all(folder.path().join(sub)).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder.path().join("runtime"), std::fs::Permissions::from_mode(0o700)).unwrap();
        let x_server = start_x_server("1280x800x24");

        // No service activation on this bus (see the fixture): nothing can start behind the
        // test's back.
        let bus_config = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/dbus-session-without-activation.conf");
        let mut bus = Command::new("dbus-daemon")
            .args([&format!("--config-file={bus_config}"), "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed (scripts/install-system-packages.sh)");
        let mut bus_address = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut bus_address).unwrap();
        let bus_address = bus_address.trim().to_owned();
        let bus = Stopped(bus, "dbus-daemon");

        let keyring = start_unlocked_keyring(folder.path(), &bus_address, &x_server.display);
        let monitor = start_bus_monitor(folder.path(), &bus_address);
        let browser = folder.path().join("browser.sh");
        std::fs::write(
            &browser,
            format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened_urls(folder.path()).display()),
        )
        .unwrap();
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();

        let driver_port = free_port();
        let native_port = free_port();
        let driver = Command::new(tauri_driver())
            .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .envs(session_environment(folder.path(), &bus_address, &x_server.display))
            .env("BROWSER", &browser)
            .env(sso_setup_desktop::SAVE_PATH_OVERRIDE_VARIABLE, bundle_path(folder.path()))
            .env(sso_setup_desktop::REPORT_PATH_OVERRIDE_VARIABLE, report_path(folder.path()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let driver_pid = driver.id();
        let driver = Stopped(driver, "tauri-driver");
        wait_until("tauri-driver listens", Duration::from_secs(15), || {
            std::net::TcpStream::connect(("127.0.0.1", driver_port)).is_ok()
        });
        Desktop {
            folder,
            driver_pid,
            x_server,
            bus_address,
            driver_port,
            _driver: driver,
            _monitor: monitor,
            _keyring: keyring,
            _bus: bus,
        }
    }

    async fn open_app(&self) -> Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("tauri:options".into(), serde_json::json!({ "application": app_binary() }));
        // tauri-driver listens before the WebKitWebDriver it starts for the session does; on
        // a loaded machine the first session request can meet a native driver that is not up
        // yet and be cut off ("IncompleteMessage", seen once in a full `make test`). A
        // session that could not be created is asked for again, three times at most.
        let mut last_error = None;
        for attempt in 0..3 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{}", self.driver_port))
                .await
            {
                Ok(client) => return client,
                Err(error) => last_error = Some(error),
            }
        }
        panic!("a WebDriver session with the app: {:?}", last_error.expect("three attempts were made"));
    }

    /// Resident memory of the app and of each of its web processes, in KiB, by process name.
    fn app_memory_kib(&self) -> Vec<(String, u64)> {
        let app = std::fs::canonicalize(app_binary()).unwrap();
        let below_driver = descendants(self.driver_pid);
        let app_pid = below_driver
            .iter()
            .copied()
            .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app))
            .expect("the app runs below tauri-driver");
        std::iter::once(app_pid)
            .chain(descendants(app_pid))
            .map(|pid| {
                let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
                (name.trim().to_owned(), resident_kib(pid))
            })
            .collect()
    }

    fn config(&self) -> PathBuf {
        self.folder.path().join("config")
    }
}

/// The variables the app, the keyring and the helpers share: no part of the developer's own
/// session (display, bus, keyring, config) leaks in.
fn session_environment(folder: &Path, bus_address: &str, display: &str) -> Vec<(String, String)> {
    [
        ("DISPLAY", display.to_owned()),
        ("DBUS_SESSION_BUS_ADDRESS", bus_address.to_owned()),
        ("HOME", folder.display().to_string()),
        ("XDG_CONFIG_HOME", folder.join("config").display().to_string()),
        ("XDG_DATA_HOME", folder.join("data").display().to_string()),
        ("XDG_RUNTIME_DIR", folder.join("runtime").display().to_string()),
        ("NO_AT_BRIDGE", "1".to_owned()),
        ("WAYLAND_DISPLAY", String::new()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// GNOME Keyring on the test's bus, unlocked with the password "pass" (creating the login
/// keyring). Ready means an item can be stored, not merely that the daemon answers; on a busy
/// machine a daemon that is not ready in 20 s is started once more. The daemon gets no
/// DISPLAY, so it can never wait on a password dialog; its log is in the panic message.
fn start_unlocked_keyring(folder: &Path, bus_address: &str, display: &str) -> Stopped {
    let log = folder.join("keyring.log");
    for attempt in 1..=2 {
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(session_environment(folder, bus_address, display))
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("gnome-keyring is installed (scripts/install-system-packages.sh)");
        keyring.stdin.take().unwrap().write_all(b"pass").unwrap();
        let keyring = Stopped(keyring, "gnome-keyring-daemon");
        let deadline = Instant::now() + Duration::from_secs(20);
        // Nothing may call the Secret Service before this daemon owns its name: the bus would
        // start a second, locked keyring through D-Bus activation ("another secret service is
        // running"). NameHasOwner asks without activating anything.
        while Instant::now() < deadline && !name_has_owner(bus_address, "org.freedesktop.secrets") {
            std::thread::sleep(Duration::from_millis(100));
        }
        while Instant::now() < deadline {
            if store_in_keyring(bus_address, "sso-setup-test-probe", "probe") {
                return keyring;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!("the keyring was not ready after 20 s (attempt {attempt})");
    }
    panic!("the keyring never stored an item; its log:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
}

/// Whether `name` has an owner on the bus, asked without starting anything.
fn name_has_owner(bus_address: &str, name: &str) -> bool {
    Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
        .args(["org.freedesktop.DBus.NameHasOwner", &format!("string:{name}")])
        .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains("boolean true"))
}

/// `secret-tool store` under the attributes the app uses; true when it worked. Each try may
/// take 5 s at most, so a stuck call cannot hang the test.
fn store_in_keyring(bus_address: &str, name: &str, secret: &str) -> bool {
    let Ok(mut child) = Command::new("timeout")
        .args([
            "5",
            "secret-tool",
            "store",
            &format!("--label=sso-setup {name}"),
            "service",
            "sso-setup",
            "username",
            name,
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let _ = child.stdin.take().unwrap().write_all(secret.as_bytes());
    child.wait().is_ok_and(|status| status.success())
}

/// `dbus-monitor` on the test's bus, writing every message to `bus-messages.log`: the app's
/// desktop notifications are method calls to `org.freedesktop.Notifications` (the Desktop
/// Notifications Specification, https://specifications.freedesktop.org/notification-spec/),
/// which the monitor sees whether or not a notification server owns that name.
fn start_bus_monitor(folder: &Path, bus_address: &str) -> Stopped {
    let log = bus_messages(folder);
    let monitor = Command::new("dbus-monitor")
        .args(["--address", bus_address])
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-monitor is installed (dbus-bin, with dbus-daemon)");
    // It is listening once it has reported its own name on the bus.
    wait_until("dbus-monitor listens", Duration::from_secs(10), || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("NameAcquired") || text.contains("NameLost"))
    });
    Stopped(monitor, "dbus-monitor")
}

fn bus_messages(folder: &Path) -> PathBuf {
    folder.join("bus-messages.log")
}

/// The desktop notifications the app sent: each `Notify` call as the monitor printed it (its
/// arguments one per line: app name, replaces ID, icon, `string "<summary>"`, `string "<body>"`).
fn notify_calls(folder: &Path) -> Vec<String> {
    let log = std::fs::read_to_string(bus_messages(folder)).unwrap_or_default();
    log.split("method call ")
        .filter(|call| call.contains("interface=org.freedesktop.Notifications; member=Notify"))
        .map(str::to_owned)
        .collect()
}

fn report_path(folder: &Path) -> PathBuf {
    folder.join("out").join("setup-report.html")
}

/// The setup report the app wrote, rendered by WebKitGTK itself: WebKitWebDriver starts
/// WebKitGTK's MiniBrowser (the engine the app's web view uses) on the test's display, opens
/// the file, and the page is saved as a screenshot. Returns the text it showed and the number
/// of elements that could run or fetch anything.
async fn render_report_in_webkit(display: &str, report: &Path) -> (String, u64) {
    let port = free_port();
    let driver = Command::new("/usr/bin/WebKitWebDriver")
        .arg(format!("--port={port}"))
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("WebKitWebDriver is installed (webkit2gtk-driver)");
    let _driver = Stopped(driver, "WebKitWebDriver");
    wait_until("WebKitWebDriver listens", Duration::from_secs(15), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "MiniBrowser".into());
    capabilities.insert(
        "webkitgtk:browserOptions".into(),
        serde_json::json!({
            "binary": "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
            "args": ["--automation"],
        }),
    );
    let client = ClientBuilder::native()
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with WebKitGTK's MiniBrowser (libwebkit2gtk-4.1-0)");
    let address = url::Url::from_file_path(report).unwrap();
    client.goto(address.as_str()).await.unwrap();
    let text = client.execute("return document.body.innerText", vec![]).await.unwrap();
    let active = client
        .execute(
            "return document.querySelectorAll('script, iframe, object, embed, img, link[rel=stylesheet]').length",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&client, "15-setup-report", "h1").await;
    client.close().await.unwrap();
    (text.as_str().unwrap_or_default().to_owned(), active.as_u64().unwrap_or(u64::MAX))
}

fn opened_urls(folder: &Path) -> PathBuf {
    folder.join("opened-urls")
}

fn bundle_path(folder: &Path) -> PathBuf {
    folder.join("out").join("peerpanda-bundle.age")
}

fn wait_until(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting until {what}");
}

fn screenshot_folder() -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("desktop-screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Saves the window as painted, with `focus` (a CSS selector) scrolled into view: two
/// animation frames first, or the shot can show the previous paint.
async fn screenshot(client: &Client, name: &str, focus: &str) {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             document.querySelector(arguments[0])?.scrollIntoView({ block: 'center' });
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![serde_json::Value::String(focus.to_owned())],
        )
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshot_folder().join(format!("{name}.png")), png).unwrap();
}

/// From the home screen to "Create it for me" for Peerpanda (org acme) at `idp`, with the
/// issuer typed in.
async fn open_create_it_for_me(client: &Client, idp: &str, issuer: &str) {
    click(client, &button("New setup")).await;
    click(client, "//label[contains(@class,'vendor-card')][.//span[normalize-space()='Peerpanda']]").await;
    click(client, &button("Next: organisation and IdP")).await;
    type_into(client, "#org-input", "acme").await;
    click(client, &format!("//label[contains(@class,'choice')][.//input[@value='{idp}']]")).await;
    text_of(client, "[data-testid='redirect-uri']", Duration::from_secs(10)).await;
    click(client, &button("Next: set up the IdP app")).await;
    click(client, "//label[contains(@class,'choice')][contains(normalize-space(),'Create it for me')]").await;
    type_into(client, "#create-issuer", issuer).await;
}

fn button(text: &str) -> String {
    format!("//button[normalize-space()='{text}']")
}

/// The page's text, for a failure message: what the admin would have seen.
async fn page_text(client: &Client) -> String {
    client.execute("return document.body.innerText", vec![]).await.map(|value| value.to_string()).unwrap_or_default()
}

async fn click(client: &Client, xpath: &str) {
    match client.wait().at_most(Duration::from_secs(20)).for_element(Locator::XPath(xpath)).await {
        Ok(element) => element.click().await.unwrap(),
        Err(error) => panic!("no element {xpath}: {error}\nthe window shows: {}", page_text(client).await),
    }
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let element = client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.unwrap();
    element.clear().await.unwrap();
    element.send_keys(text).await.unwrap();
}

async fn text_of(client: &Client, css: &str, limit: Duration) -> String {
    match client.wait().at_most(limit).for_element(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap(),
        Err(error) => panic!("no element {css}: {error}\nthe window shows: {}", page_text(client).await),
    }
}

/// The text of `css` once it contains `needle` (a result that arrives after a while).
async fn wait_for_text(client: &Client, css: &str, needle: &str, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    loop {
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(needle) {
            return text;
        }
        if Instant::now() > deadline {
            panic!("{css} never showed {needle:?}\nthe window shows: {}", page_text(client).await);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn xclip_paste(display: &str) -> Vec<u8> {
    let output = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .expect("xclip is installed (scripts/install-system-packages.sh)");
    output.stdout
}

/// Starts the core's demo provider on loopback, in this process.
/// The bundle the app wrote, opened by Debian's `age` with the vendor's identity.
fn open_bundle_with_age(folder: &Path, identity: &[u8]) -> serde_json::Value {
    let identity_file = folder.join("vendor-key.txt");
    std::fs::write(&identity_file, identity).unwrap();
    let opened = Command::new("age")
        .args(["-d", "-i"])
        .arg(&identity_file)
        .arg(bundle_path(folder))
        .output()
        .expect("age is installed (scripts/install-system-packages.sh)");
    assert!(opened.status.success(), "age -d: {}", String::from_utf8_lossy(&opened.stderr));
    serde_json::from_slice(&opened.stdout).unwrap()
}

async fn start_demo_provider() -> sso_setup::oidc::demo_provider::DemoProviderDetails {
    let (provider, details) = sso_setup::oidc::demo_provider::DemoProvider::start(0).await.unwrap();
    tokio::spawn(provider.serve());
    details
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_goes_from_new_setup_to_an_encrypted_bundle() {
    let _one = ONE_DESKTOP_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let demo = start_demo_provider().await;
    let desktop = Desktop::start();
    let client = desktop.open_app().await;

    // Home.
    click(&client, &button("New setup")).await;
    screenshot(&client, "01-choose-vendor", "h2").await;

    // The vendor: Peerpanda works with a generic OIDC provider such as the demo one, and
    // needs the name and email claims in the ID token.
    click(&client, "//label[contains(@class,'vendor-card')][.//span[normalize-space()='Peerpanda']]").await;
    click(&client, &button("Next: organisation and IdP")).await;

    // The org value, checked as it is typed, and the IdP.
    type_into(&client, "#org-input", "Acme").await;
    let refused = text_of(&client, "[data-error-code]", Duration::from_secs(10)).await;
    assert!(refused.contains("uppercase"), "{refused}");
    type_into(&client, "#org-input", "acme").await;
    click(&client, "//label[contains(@class,'choice')][.//input[@value='generic']]").await;
    let redirect_uri = text_of(&client, "[data-testid='redirect-uri']", Duration::from_secs(10)).await;
    let expected_uri = sso_setup::catalog::redirect_uri::build_vendor_uris(
        &sso_setup::catalog::Catalog::built_in().unwrap().vendor("peerpanda").unwrap().profile,
        sso_setup::catalog::redirect_uri::UriRequest {
            region: None,
            identity_provider: Some(sso_setup::catalog::identity_provider::IdentityProviderId::Generic),
            org: "acme",
        },
    )
    .unwrap()
    .redirect_uri;
    assert_eq!(redirect_uri, expected_uri);
    click(&client, "//button[@aria-label='Copy Sign-in redirect URI']").await;
    click(&client, &button("Copied")).await;
    assert_eq!(xclip_paste(&desktop.x_server.display), expected_uri.as_bytes(), "the clipboard holds the URI exactly");
    screenshot(&client, "02-organisation-and-idp", "[data-testid='redirect-uri']").await;
    click(&client, &button("Next: set up the IdP app")).await;

    // The guided steps, ticked as the admin goes.
    let first_box = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".guide-step input[type='checkbox']"))
        .await
        .unwrap();
    first_box.click().await.unwrap();
    screenshot(&client, "03-guided-steps", "h2").await;
    click(&client, &button("Next: enter the credentials")).await;

    // Credentials: the secret goes to the keychain.
    type_into(&client, "#client-id", &demo.client_id).await;
    type_into(&client, "#issuer", &demo.issuer).await;
    let normalised = text_of(&client, "[data-testid='normalised-issuer']", Duration::from_secs(10)).await;
    assert_eq!(normalised, demo.issuer);
    type_into(&client, "#client-secret", &demo.client_secret).await;
    type_into(&client, "#connection-name", "peerpanda-demo").await;
    // The secret expires in 10 days: inside the warning window, so "Check all" reminds of it.
    let today = sso_setup::journeys::Clock::today(&sso_setup::journeys::SystemClock);
    let expires =
        sso_setup::platform::calendar_date::CalendarDate::from_days_since_epoch(today.days_since_epoch() + 10);
    client
        .execute(
            "const field = document.querySelector('#secret-expires');
             field.value = arguments[0];
             field.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::Value::String(expires.to_string())],
        )
        .await
        .unwrap();
    screenshot(&client, "04-credentials", "h2").await;
    click(&client, &button("Save to keychain and continue")).await;

    // The provider check.
    click(&client, &button("Check the provider")).await;
    let provider = text_of(&client, "[data-testid='provider-result']", Duration::from_secs(30)).await;
    assert_eq!(provider, "The provider is ready for the sign-in test.");
    screenshot(&client, "05-check-provider", "[data-testid='provider-result']").await;
    click(&client, &button("Next: test the sign-in")).await;

    // The sign-in: the BROWSER stand-in gets the URL, the test signs in like a browser.
    click(&client, &button("Start the sign-in test")).await;
    let urls = opened_urls(desktop.folder.path());
    wait_until("the app opens the browser", Duration::from_secs(30), || urls.exists());
    let authorization_url = std::fs::read_to_string(&urls).unwrap().trim().to_owned();
    assert!(authorization_url.starts_with(&demo.issuer), "{authorization_url}");
    screenshot(&client, "06-waiting-for-sign-in", ".notice[role='status']").await;
    let signed_in = tokio::task::spawn_blocking(move || {
        let (status, page) = browser::browse_with_cookies(&authorization_url);
        assert!(status.contains("200"), "{status}: {page}");
        let href = page.split("href=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a sign-in link");
        let approve = url::Url::parse(&authorization_url).unwrap().join(&href.replace("&amp;", "&")).unwrap();
        browser::browse_with_cookies(approve.as_str())
    })
    .await
    .unwrap();
    assert!(signed_in.0.contains("200"), "{signed_in:?}");
    let result = text_of(&client, "[data-testid='sign-in-result']", Duration::from_secs(30)).await;
    assert_eq!(result, "The sign-in works: Peerpanda will be able to sign your users in.");
    let claims = text_of(&client, "table.claims", Duration::from_secs(5)).await;
    assert!(claims.contains("family_name") && claims.contains("Lovelace"), "{claims}");
    screenshot(&client, "07-sign-in-result", "table.claims").await;
    click(&client, "//button[starts-with(normalize-space(),'Next: send to')]").await;

    // The bundle, for a vendor key made for this test.
    let (identity, recipient) = sso_setup::connections::bundle::generate_identity("2026-11-23T00:00:00Z");
    type_into(&client, "#recipient-keys", &recipient).await;
    click(&client, &button("Save the encrypted bundle…")).await;
    let written = text_of(&client, "[data-testid='bundle-written']", Duration::from_secs(30)).await;
    assert!(written.contains(&bundle_path(desktop.folder.path()).display().to_string()), "{written}");
    screenshot(&client, "08-send-to-vendor", "[data-testid='bundle-written']").await;

    // Back home: the connection with its status.
    click(&client, &button("Back to your connections")).await;
    let home = text_of(&client, "li.connection", Duration::from_secs(10)).await;
    assert!(home.contains("Last sign-in test passed"), "{home}");
    screenshot(&client, "09-home-with-connection", "h2").await;
    assert!(notify_calls(desktop.folder.path()).is_empty(), "no reminder was due at start");

    // "Check all": each connection's checks without a browser, the result kept with it, and
    // what needs attention (the secret expires in 10 days) on the screen and as a desktop
    // notification (notify-rust, on the bus).
    click(&client, &button("Check all")).await;
    let checked = wait_for_text(&client, "li.connection", "Checked ", Duration::from_secs(60)).await;
    assert!(
        checked.contains(&format!("Checked {today}, with warnings: ")) && checked.contains("secret-expiry"),
        "{checked}"
    );
    let reminder = format!("peerpanda-demo: the client secret expires in 10 days ({expires})");
    let reminders = text_of(&client, "[data-testid='reminders']", Duration::from_secs(10)).await;
    assert!(reminders.contains(&reminder), "{reminders}");
    screenshot(&client, "14-home-with-health", "[data-testid='reminders']").await;
    let folder = desktop.folder.path().to_owned();
    wait_until("the app sends the notification", Duration::from_secs(10), || !notify_calls(&folder).is_empty());
    let calls = notify_calls(&folder);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains("string \"peerpanda-demo needs attention\""), "{}", calls[0]);
    assert!(calls[0].contains(&format!("string \"{reminder}\"")), "{}", calls[0]);

    // The setup report: written where the save dialog would put it, rendered by WebKitGTK and
    // looked at (the screenshot), with no secret and nothing that runs or fetches.
    click(&client, &button("Setup report")).await;
    let saved = text_of(&client, "[data-testid='report-saved']", Duration::from_secs(10)).await;
    let report = report_path(desktop.folder.path());
    assert!(saved.contains(&report.display().to_string()), "{saved}");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(!page.contains(&demo.client_secret), "the report holds no secret");
    let (shown, active_elements) = render_report_in_webkit(&desktop.x_server.display, &report).await;
    assert!(shown.contains("SSO setup: Peerpanda with"), "{shown}");
    assert!(shown.contains(&demo.issuer) && shown.contains(&expected_uri), "{shown}");
    assert!(shown.contains(&today.to_string()), "the check history is shown: {shown}");
    assert_eq!(active_elements, 0, "no script, frame, image or stylesheet link in the report");

    // The explain box, on a pasted Entra error.
    click(&client, &button("Explain an error")).await;
    type_into(&client, "#explain-input", "AADSTS50011: The redirect URI specified in the request does not match").await;
    click(&client, &button("Explain")).await;
    let explained = text_of(&client, "[data-testid='explanations']", Duration::from_secs(10)).await;
    assert!(explained.to_lowercase().contains("redirect uri"), "{explained}");
    screenshot(&client, "10-explain-an-error", "[data-testid='explanations']").await;
    // The memory of the app and its web processes after the whole journey; `make bench`
    // reads it from the file it names.
    // One line per process: its name and its resident KiB.
    let memory = desktop.app_memory_kib();
    if let Some(report) = std::env::var_os("SSO_SETUP_E2E_MEMORY_REPORT") {
        let lines: String = memory.iter().map(|(name, kib)| format!("{name}\t{kib}\n")).collect();
        std::fs::write(report, lines).unwrap();
    }
    client.close().await.unwrap();

    // What landed outside the window: the keychain entry, no secret in any file, the bundle.
    let stored = Command::new("secret-tool")
        .args(["lookup", "service", "sso-setup", "username", "peerpanda-demo"])
        .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus_address)
        .output()
        .expect("secret-tool is installed (scripts/install-system-packages.sh)");
    assert_eq!(String::from_utf8_lossy(&stored.stdout), demo.client_secret, "the keychain holds the secret");
    // The whole of the app's HOME, not only its config folder: HOME/.cache (WebKit's disk
    // cache), XDG_DATA_HOME (the web view's local storage, IndexedDB and session state, and
    // the keyring's own encrypted file) and XDG_RUNTIME_DIR all live under it.
    let home = desktop.folder.path();
    assert!(home.join("config").is_dir() && home.join("data").is_dir(), "the app wrote where this walk looks");
    assert_no_file_holds(home, &demo.client_secret);
    let payload = open_bundle_with_age(desktop.folder.path(), identity.as_bytes());
    assert_eq!(payload["client_secret"], demo.client_secret.as_str());
    assert_eq!(payload["redirect_uris"][0], expected_uri.as_str());
    assert_eq!(payload["test_report"]["ok"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_keeps_responding_while_a_provider_never_answers_and_cancel_ends_the_test() {
    let _one = ONE_DESKTOP_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // A provider that accepts connections and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let desktop = Desktop::start();
    // A saved connection to it, as `sso-setup connection save` would leave it, with a secret
    // in the keychain (the test reads it before it contacts the provider).
    let connection = sso_setup::connections::connection::Connection {
        schema_version: sso_setup::connections::connection::CONNECTION_SCHEMA_VERSION,
        name: "pelanor-silent".into(),
        vendor: "pelanor".into(),
        idp: sso_setup::catalog::identity_provider::IdentityProviderId::Okta,
        region: Some("us".into()),
        org: Some("acme".into()),
        issuer: issuer.clone(),
        client_id: "silent-client".into(),
        secret_expires: None,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management: None,
    };
    assert!(store_in_keyring(&desktop.bus_address, "pelanor-silent", "not-a-real-secret"));
    // Saved "with" the secret, so the file records where it may be sent; the secret itself
    // went to the real keyring above (the store here only stands in for that step).
    let secret = sso_setup::connections::secret::ClientSecret::new("not-a-real-secret".into());
    sso_setup::connections::connection::ConnectionFolder::in_config_folder(&desktop.config())
        .save(&connection, Some(&secret), &sso_setup::connections::keychain::InMemorySecretStore::default())
        .unwrap();

    let client = desktop.open_app().await;
    click(&client, &button("Test again")).await;
    click(&client, &button("Start the sign-in test")).await;
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&button("Cancel"))).await.unwrap();

    // While the core waits on the silent provider, the window still answers: the explain box
    // works.
    click(&client, &button("Explain an error")).await;
    type_into(&client, "#explain-input", "invalid_client").await;
    click(&client, &button("Explain")).await;
    text_of(&client, "[data-testid='explanations']", Duration::from_secs(10)).await;
    screenshot(&client, "11-waiting-on-a-silent-provider", "h1").await;

    // Cancel, timed inside the page from the click to the message on screen.
    let elapsed = client
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            const cancel = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel');
            const started = performance.now();
            const observer = new MutationObserver(() => {
              if (document.querySelector('[data-error-code="sign-in-cancelled"]')) {
                observer.disconnect();
                done(performance.now() - started);
              }
            });
            observer.observe(document.body, { subtree: true, childList: true, attributes: true });
            cancel.click();
            "#,
            vec![],
        )
        .await
        .unwrap();
    let elapsed_ms = elapsed.as_f64().unwrap();
    assert!(elapsed_ms < 200.0, "Cancel took {elapsed_ms} ms to end the test");
    let message = text_of(&client, "[data-error-code='sign-in-cancelled']", Duration::from_secs(2)).await;
    assert!(message.contains("cancelled"), "{message}");
    // The listener closed with the test: the start button is back, ready for another try.
    client.find(Locator::XPath(&button("Start the sign-in test"))).await.unwrap();
    client.close().await.unwrap();
}

/// "Create it for me" at the certified provider (standard client registration with an initial
/// access token), the Credentials step already filled in, the sign-in test with a loopback
/// URI registered for it alone and removed after, and the bundle: the IdP's secret is in the
/// keychain and the bundle, and in no file, and the app at the IdP keeps only the vendor's URI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_it_for_me_then_a_temporary_loopback_uri_then_the_bundle() {
    let _one = ONE_DESKTOP_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let provider = certified_provider::start(serde_json::json!({
        "secret": "unused", "registration": { "initialAccessToken": "iat-webdriver-8Lm" },
    }));
    let desktop = Desktop::start();
    let client = desktop.open_app().await;

    // The guide offers to create the app; the plan comes first, as a list.
    open_create_it_for_me(&client, "generic", &provider.issuer).await;
    type_into(&client, "#create-admin-token", "iat-webdriver-8Lm").await;
    click(&client, &button("Show the plan")).await;
    let plan = text_of(&client, "[data-testid='provision-plan']", Duration::from_secs(20)).await;
    assert!(plan.contains("https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"), "{plan}");
    assert!(plan.contains(&format!("{}/reg", provider.issuer)), "{plan}");
    screenshot(&client, "11-create-it-for-me-plan", "[data-testid='provision-plan']").await;
    click(&client, &button("Create the app")).await;

    // Credentials, already filled in: the secret is in the keychain, so the field stays empty.
    let client_id = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#client-id"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(!client_id.is_empty(), "the client ID the provider issued is filled in");
    assert!(!page_text(&client).await.contains("iat-webdriver-8Lm"));
    screenshot(&client, "12-credentials-filled-in", "h2").await;
    click(&client, &button("Save to keychain and continue")).await;
    click(&client, &button("Check the provider")).await;
    let checked = text_of(&client, "[data-testid='provider-result']", Duration::from_secs(30)).await;
    assert_eq!(checked, "The provider is ready for the sign-in test.");
    click(&client, &button("Next: test the sign-in")).await;

    // The sign-in test registers its own loopback URI; the stand-in browser signs in.
    let checkbox = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//label[contains(normalize-space(),'for this test only')]/input"))
        .await
        .unwrap();
    assert_eq!(checkbox.prop("checked").await.unwrap().as_deref(), Some("true"));
    click(&client, &button("Start the sign-in test")).await;
    let urls = opened_urls(desktop.folder.path());
    wait_until("the app opens the browser", Duration::from_secs(30), || urls.exists());
    let authorization_url = std::fs::read_to_string(&urls).unwrap().trim().to_owned();
    assert!(authorization_url.starts_with(&provider.issuer), "{authorization_url}");
    tokio::task::spawn_blocking(move || browser::browse_with_cookies(&authorization_url)).await.unwrap();
    let result = text_of(&client, "[data-testid='sign-in-result']", Duration::from_secs(30)).await;
    assert_eq!(result, "The sign-in works: Peerpanda will be able to sign your users in.");
    let removed = text_of(&client, "[data-testid='temporary-redirect']", Duration::from_secs(10)).await;
    assert!(removed.contains("was removed from the app again"), "{removed}");
    screenshot(&client, "13-sign-in-with-temporary-uri", "[data-testid='temporary-redirect']").await;
    click(&client, "//button[starts-with(normalize-space(),'Next: send to')]").await;

    let (identity, recipient) = sso_setup::connections::bundle::generate_identity("2026-12-02T00:00:00Z");
    type_into(&client, "#recipient-keys", &recipient).await;
    click(&client, &button("Save the encrypted bundle…")).await;
    text_of(&client, "[data-testid='bundle-written']", Duration::from_secs(30)).await;
    client.close().await.unwrap();

    // The keychain holds the provider's secret and the management token; the app at the
    // provider has the vendor's URI only; no file holds either; the bundle has the secret.
    let lookup = |account: &str| {
        let output = Command::new("secret-tool")
            .args(["lookup", "service", "sso-setup", "username", account])
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus_address)
            .output()
            .expect("secret-tool is installed (scripts/install-system-packages.sh)");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let secret = lookup("peerpanda-acme-generic");
    let token = lookup("peerpanda-acme-generic#management");
    assert!(secret.len() > 20 && token.len() > 20, "both are in the keychain");
    let saved: serde_json::Value = serde_json::from_slice(
        &std::fs::read(desktop.config().join("sso-setup/connections/peerpanda-acme-generic.json")).unwrap(),
    )
    .unwrap();
    let client_uri = url::Url::parse(saved["management"]["registration_client_uri"].as_str().unwrap()).unwrap();
    let http = sso_setup::oidc::http_fetch::HardenedHttpClient::default();
    let answer = sso_setup::oidc::http_fetch::HttpFetch::send_json(
        &http,
        sso_setup::oidc::http_fetch::JsonMethod::Get,
        &client_uri,
        Some(sso_setup::oidc::http_fetch::ApiAuthorization::Bearer(&token)),
        None,
    )
    .await
    .unwrap();
    let at_provider: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        at_provider["client_secret"].as_str(),
        Some(secret.as_str()),
        "the keychain holds the provider's secret"
    );
    assert_eq!(
        at_provider["redirect_uris"],
        serde_json::json!(["https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/"]),
        "the test's loopback URI is gone"
    );
    for value in [secret.as_str(), token.as_str(), "iat-webdriver-8Lm"] {
        assert_no_file_holds(desktop.folder.path(), value);
    }
    let payload = open_bundle_with_age(desktop.folder.path(), identity.as_bytes());
    assert_eq!(payload["client_secret"], secret.as_str());
    assert_eq!(payload["test_report"]["ok"], true);
}

/// "Create it for me" at Okta with the admin's own sign-in instead of a pasted token, against
/// the Okta stand-in (tests/stand-ins/okta-management.js, whose org authorization server has
/// the admin's public client and the device authorization grant): the app shows the code as
/// text and opens the sign-in page in the browser (the `BROWSER` stand-in records it); the
/// admin approves there; the app is created with the token the shell holds, and the secret
/// Okta made is the one in the keychain. No token reaches the page or a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_it_for_me_at_okta_with_the_admins_device_code_sign_in() {
    let _one = ONE_DESKTOP_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let okta = stand_in::start(
        "okta-management.js",
        serde_json::json!({ "token": "00okta-unused-E2e", "adminClient": { "client_id": "0oaAdminPublic1", "redirect_uris": [] } }),
    );
    let desktop = Desktop::start();
    let client = desktop.open_app().await;

    open_create_it_for_me(&client, "okta", &okta.base).await;
    type_into(&client, "[data-testid='admin-sign-in'] input", "0oaAdminPublic1").await;
    click(&client, &button("Sign in with a code")).await;

    // The code is on the page, and the browser was sent to the page with the code in it.
    let code = text_of(&client, "[data-testid='admin-user-code']", Duration::from_secs(20)).await;
    let urls = opened_urls(desktop.folder.path());
    wait_until("the app opens the sign-in page", Duration::from_secs(20), || urls.exists());
    let page = std::fs::read_to_string(&urls).unwrap().trim().to_owned();
    assert_eq!(page, format!("{}/activate?user_code={code}", okta.base));
    screenshot(&client, "16-admin-sign-in-code", "[data-testid='admin-sign-in']").await;
    // The admin approves in the browser.
    tokio::task::spawn_blocking(move || browser::browse_with_cookies(&page)).await.unwrap();
    wait_for_text(&client, "[data-testid='admin-sign-in']", "Signed in as an IdP admin", Duration::from_secs(20)).await;
    assert!(client.find(Locator::Css("#create-admin-token")).await.is_err(), "signed in, no token is asked for");

    click(&client, &button("Show the plan")).await;
    let plan = text_of(&client, "[data-testid='provision-plan']", Duration::from_secs(20)).await;
    assert!(plan.contains(&format!("{}/api/v1/apps", okta.base)), "{plan}");
    click(&client, &button("Create the app")).await;
    let created = match client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#client-id")).await {
        Ok(field) => field,
        Err(_) => panic!("no Credentials step; the window shows: {}\nlog: {:?}", page_text(&client).await, okta.log()),
    };
    let client_id = created.prop("value").await.unwrap().unwrap_or_default();
    assert!(client_id.starts_with("0oa"), "the client ID Okta issued is filled in: {client_id}");
    client.close().await.unwrap();

    let output = Command::new("secret-tool")
        .args(["lookup", "service", "sso-setup", "username", "peerpanda-acme-okta"])
        .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus_address)
        .output()
        .expect("secret-tool is installed (scripts/install-system-packages.sh)");
    let secret = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(okta.secrets(), [serde_json::json!(secret)], "the keychain holds the secret Okta made");
    assert_no_file_holds(desktop.folder.path(), &secret);
}
