//! `check` against the certified `oidc-provider` (tests/oidc-provider/server.js) on loopback:
//! a healthy connection passes, a wrong secret fails naming the secret (`invalid_client` for a
//! deliberately invalid code), an expiry in 10 days warns with the date, a past one fails, a
//! stopped provider fails at once, and two dozen connections are checked concurrently, in a
//! stable order; the desktop's run one after the other reports its progress, and the
//! reminders follow its results. The secret store is in memory (the OS keychain has its own tests).

#[allow(dead_code)]
mod support;

use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::connections::connection::{Connection, ConnectionFolder, CONNECTION_SCHEMA_VERSION};
use sso_setup::connections::keychain::InMemorySecretStore;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::journeys::health_check::{
    check_connections, check_connections_in_turn, CheckProgress, ConnectionsToCheck, HealthReport,
};
use sso_setup::journeys::reminders::reminders_of_saved_connections;
use sso_setup::journeys::{NoBrowser, SideEffects, SystemClock};
use sso_setup::oidc::discovery::CheckStatus;
use sso_setup::platform::calendar_date::CalendarDate;

const SECRET: &str = "certified-provider-secret-Hc4";

type OverlapCountingHttp = support::counting_http::CountingHttp;

fn today_plus(days: i64) -> CalendarDate {
    let today = sso_setup::journeys::Clock::today(&SystemClock);
    CalendarDate::from_days_since_epoch(today.days_since_epoch() + days)
}

fn save(effects: &SideEffects, name: &str, issuer: &str, secret: &str, expires: Option<CalendarDate>) {
    let connection = Connection {
        schema_version: CONNECTION_SCHEMA_VERSION,
        name: name.into(),
        vendor: "peerpanda".into(),
        idp: IdentityProviderId::Generic,
        region: None,
        org: Some("acme".into()),
        issuer: issuer.into(),
        client_id: "client-basic".into(),
        secret_expires: expires,
        last_test_report: None,
        check_history: Vec::new(),
        secret_for: None,
        management: None,
    };
    effects.connections.save(&connection, Some(&ClientSecret::new(secret.into())), effects.secrets.as_ref()).unwrap();
}

fn effects(folder: &std::path::Path) -> SideEffects {
    SideEffects {
        secrets: Box::new(InMemorySecretStore::default()),
        clock: Box::new(SystemClock),
        browser: Box::new(NoBrowser),
        connections: ConnectionFolder::new(folder.to_owned()),
    }
}

fn check_all(http: &OverlapCountingHttp, effects: &SideEffects) -> HealthReport {
    let catalog = Catalog::built_in().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(check_connections(http, &catalog, effects, ConnectionsToCheck::All, 16)).unwrap()
}

fn status_of(report: &HealthReport, connection: &str, id: &str) -> (CheckStatus, String) {
    let health = report.connections.iter().find(|health| health.connection == connection).unwrap();
    let check = health
        .checks
        .iter()
        .find(|check| check.id == id)
        .unwrap_or_else(|| panic!("{connection}: no {id} in {health:#?}"));
    (check.status, check.detail.clone())
}

#[test]
fn each_connection_gets_its_verdict_and_none_shows_a_secret() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": SECRET }));
    let stopped = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    let folder = tempfile::tempdir().unwrap();
    let effects = effects(folder.path());
    save(&effects, "a-healthy", &provider.issuer, SECRET, Some(today_plus(200)));
    save(&effects, "b-wrong-secret", &provider.issuer, "not-the-secret-Qz", None);
    save(&effects, "c-expires-soon", &provider.issuer, SECRET, Some(today_plus(10)));
    save(&effects, "d-expired", &provider.issuer, SECRET, Some(today_plus(-3)));
    save(&effects, "e-provider-down", &stopped, SECRET, None);
    let http = OverlapCountingHttp::default();
    let report = check_all(&http, &effects);

    let names: Vec<&str> = report.connections.iter().map(|health| health.connection.as_str()).collect();
    assert_eq!(names, ["a-healthy", "b-wrong-secret", "c-expires-soon", "d-expired", "e-provider-down"]);
    let healthy = &report.connections[0];
    assert!(healthy.ok, "{healthy:#?}");
    let (status, detail) = status_of(&report, "a-healthy", "client-secret");
    assert_eq!(status, CheckStatus::Pass);
    assert!(detail.contains("invalid_grant"), "{detail}");

    let (status, detail) = status_of(&report, "b-wrong-secret", "client-secret");
    assert_eq!(status, CheckStatus::Fail);
    assert!(detail.contains("refused the client secret (invalid_client"), "{detail}");
    assert!(!report.connections[1].ok);

    let (status, detail) = status_of(&report, "c-expires-soon", "secret-expiry");
    assert_eq!(status, CheckStatus::Warn);
    assert!(detail.contains(&today_plus(10).to_string()), "the date is named: {detail}");
    assert!(report.connections[2].ok, "a warning alone is healthy");

    assert_eq!(status_of(&report, "d-expired", "secret-expiry").0, CheckStatus::Fail);
    let down = &report.connections[4];
    assert!(!down.ok && down.checks.iter().any(|check| check.status == CheckStatus::Fail), "{down:#?}");
    assert!(!report.ok);

    let shown = serde_json::to_string(&report).unwrap();
    assert!(!shown.contains(SECRET) && !shown.contains("not-the-secret-Qz"), "no secret in the report");

    // Each result is kept with its connection, bounded: a month of daily checks.
    let history = |name: &str| effects.connections.load(name).unwrap().check_history;
    let kept = history("b-wrong-secret");
    assert_eq!(kept.len(), 1);
    assert!(!kept[0].ok && kept[0].failed == ["client-secret"], "{kept:?}");
    assert!(history("a-healthy")[0].ok && history("c-expires-soon")[0].warned.contains(&"secret-expiry".to_owned()));
    for _ in 0..sso_setup::connections::connection::CHECK_HISTORY_LENGTH {
        let record = sso_setup::connections::connection::CheckRecord {
            at: "2026-12-02T00:00:00Z".into(),
            ok: true,
            failed: vec![],
            warned: vec![],
        };
        effects.connections.record_check("b-wrong-secret", record).unwrap();
    }
    let kept = history("b-wrong-secret");
    assert_eq!(kept.len(), sso_setup::connections::connection::CHECK_HISTORY_LENGTH, "the oldest is dropped");
    assert!(kept.iter().all(|record| record.ok), "the failed first run was the oldest");
    let file = std::fs::read_to_string(folder.path().join("b-wrong-secret.json")).unwrap();
    assert!(!file.contains("not-the-secret-Qz"));
}

#[test]
fn two_dozen_connections_are_checked_concurrently_in_a_stable_order() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": SECRET }));
    let folder = tempfile::tempdir().unwrap();
    let effects = effects(folder.path());
    let names: Vec<String> = (0..24).map(|number| format!("vendor-{number:02}")).collect();
    for name in &names {
        save(&effects, name, &provider.issuer, SECRET, None);
    }
    let http = OverlapCountingHttp::default();
    let report = check_all(&http, &effects);
    assert!(report.ok, "{:#?}", report.connections.iter().find(|health| !health.ok));
    let checked: Vec<&str> = report.connections.iter().map(|health| health.connection.as_str()).collect();
    assert_eq!(checked, names.iter().map(String::as_str).collect::<Vec<_>>(), "in the order of their names");
    let most = http.most_at_once();
    assert!(most > 1, "the provider saw overlapping requests ({most} at most at once)");
    assert!(most <= 16 * 2, "bounded by the pool ({most})");
}

/// The desktop's "Check all": one connection after the other, each announced before its checks
/// and after its result is kept; then the reminders (read from the files alone) name what
/// needs attention: the failed check and the secret about to expire.
#[test]
fn in_turn_each_connection_is_announced_and_the_reminders_follow_its_result() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": SECRET }));
    let folder = tempfile::tempdir().unwrap();
    let effects = effects(folder.path());
    save(&effects, "a-healthy", &provider.issuer, SECRET, None);
    save(&effects, "b-wrong-secret", &provider.issuer, "not-the-secret-Qz", None);
    save(&effects, "c-expires-soon", &provider.issuer, SECRET, Some(today_plus(10)));
    let catalog = Catalog::built_in().unwrap();
    let http = OverlapCountingHttp::default();
    let mut heard = Vec::new();
    let mut progress = |event: CheckProgress<'_>| {
        heard.push(match event {
            CheckProgress::Checking { connection, position, total } => {
                // The result of the one before is already kept when the next is announced.
                let kept = position == 1
                    || !effects.connections.list().unwrap()[position - 2].as_ref().unwrap().check_history.is_empty();
                format!("checking {position}/{total} {connection} (earlier kept: {kept})")
            }
            CheckProgress::Checked { health, position, total } => {
                format!("checked {position}/{total} {} ok={}", health.connection, health.ok)
            }
        })
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let report = runtime.block_on(check_connections_in_turn(&http, &catalog, &effects, &mut progress)).unwrap();
    assert_eq!(
        heard,
        [
            "checking 1/3 a-healthy (earlier kept: true)",
            "checked 1/3 a-healthy ok=true",
            "checking 2/3 b-wrong-secret (earlier kept: true)",
            "checked 2/3 b-wrong-secret ok=false",
            "checking 3/3 c-expires-soon (earlier kept: true)",
            "checked 3/3 c-expires-soon ok=true",
        ]
    );
    assert_eq!(http.most_at_once(), 1, "one request at a time");
    assert!(!report.ok);

    let reminders: Vec<String> =
        reminders_of_saved_connections(&effects).unwrap().iter().map(|reminder| reminder.text()).collect();
    let day = &report.checked_at[..10];
    assert_eq!(
        reminders,
        [
            format!("b-wrong-secret: the last check failed ({day}): client-secret"),
            format!("c-expires-soon: the client secret expires in 10 days ({})", today_plus(10)),
        ]
    );
}

/// How many keychain reads were in flight at once.
#[derive(Default)]
struct ReadCounter {
    in_flight: std::sync::atomic::AtomicUsize,
    most_at_once: std::sync::atomic::AtomicUsize,
}

/// A keychain whose every read takes a while (a Secret Service read is a D-Bus exchange with
/// an encrypted session of its own), counting overlapping reads.
struct SlowKeychain {
    inner: InMemorySecretStore,
    counter: std::sync::Arc<ReadCounter>,
}

impl sso_setup::connections::keychain::SecretStore for SlowKeychain {
    fn put(&self, account: &str, secret: &ClientSecret) -> Result<(), sso_setup::connections::keychain::KeychainError> {
        self.inner.put(account, secret)
    }

    fn get(&self, account: &str) -> Result<Option<ClientSecret>, sso_setup::connections::keychain::KeychainError> {
        use std::sync::atomic::Ordering;
        let now = self.counter.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.counter.most_at_once.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(40));
        self.counter.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.inner.get(account)
    }

    fn delete(&self, account: &str) -> Result<bool, sso_setup::connections::keychain::KeychainError> {
        self.inner.delete(account)
    }
}

/// `check --all` reads the secrets of many connections side by side: read inside each check,
/// the blocking keychain reads ran one after the other on the command line's single thread,
/// so a hundred connections took a hundred reads in a row (`make bench`).
#[test]
fn the_secrets_of_many_connections_are_read_side_by_side() {
    let provider = support::certified_provider::start(serde_json::json!({ "secret": SECRET }));
    let folder = tempfile::tempdir().unwrap();
    let counter = std::sync::Arc::new(ReadCounter::default());
    let keychain = SlowKeychain { inner: InMemorySecretStore::default(), counter: counter.clone() };
    let effects = SideEffects { secrets: Box::new(keychain), ..effects(folder.path()) };
    for number in 0..12 {
        save(&effects, &format!("vendor-{number:02}"), &provider.issuer, SECRET, None);
    }
    let report = check_all(&OverlapCountingHttp::default(), &effects);
    assert!(report.ok, "{:#?}", report.connections.iter().find(|health| !health.ok));
    let most = counter.most_at_once.load(std::sync::atomic::Ordering::SeqCst);
    assert!(most > 1, "the keychain reads overlapped ({most} at most at once)");
    assert!(most <= 16, "bounded by the pool ({most})");
}
