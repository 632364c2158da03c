//! What needs the admin's attention among the saved connections, for the desktop app's
//! notification (at start and after "Check all") and its home screen: a secret inside its
//! warning window or past its date, and a connection whose last check failed.
//!
//! The decision reads only the connection files and the caller's clock (no network, no
//! keychain), so it is cheap at start-up and its rules are tested with a fixed clock. The
//! face only shows the text this module writes.

use super::{boxed, JourneyError, SideEffects};
use crate::connections::connection::{Connection, SecretExpiry};
use crate::platform::calendar_date::CalendarDate;
use serde::Serialize;

/// Why a connection needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ReminderReason {
    /// The client secret's expiry date has passed: sign-ins through this app fail.
    SecretExpired { days_ago: i64 },
    /// The secret expires inside the warning window (`EXPIRY_WARNING_DAYS`).
    SecretExpiresSoon { days_left: i64, on: String },
    /// The last `check` of this connection failed; `failed` names the checks.
    LastCheckFailed { at: String, failed: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub connection: String,
    #[serde(flatten)]
    pub reason: ReminderReason,
}

impl Reminder {
    /// One line of plain text: `acme-okta: the client secret expires in 10 days (2026-12-13)`.
    pub fn text(&self) -> String {
        let what = match &self.reason {
            ReminderReason::SecretExpired { days_ago: 0 } => "the client secret expired today".to_owned(),
            ReminderReason::SecretExpired { days_ago } => {
                format!("the client secret expired {days_ago} {} ago", days(*days_ago))
            }
            ReminderReason::SecretExpiresSoon { days_left: 0, on } => {
                format!("the client secret expires today ({on})")
            }
            ReminderReason::SecretExpiresSoon { days_left, on } => {
                format!("the client secret expires in {days_left} {} ({on})", days(*days_left))
            }
            ReminderReason::LastCheckFailed { at, failed } if failed.is_empty() => {
                format!("the last check failed ({})", day_of(at))
            }
            ReminderReason::LastCheckFailed { at, failed } => {
                format!("the last check failed ({}): {}", day_of(at), failed.join(", "))
            }
        };
        format!("{}: {what}", self.connection)
    }
}

fn days(count: i64) -> &'static str {
    if count == 1 {
        "day"
    } else {
        "days"
    }
}

/// `2026-12-02T07:00:00Z` → `2026-12-02`.
fn day_of(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// The reminders due `today` for these connections, in their order; at most one for the
/// secret and one for the last check per connection.
pub fn reminders_due(connections: &[Connection], today: CalendarDate) -> Vec<Reminder> {
    let mut due = Vec::new();
    for connection in connections {
        let reminder = |reason| Reminder { connection: connection.name.clone(), reason };
        match connection.secret_expiry(today) {
            SecretExpiry::Expired { days_ago } => due.push(reminder(ReminderReason::SecretExpired { days_ago })),
            SecretExpiry::ExpiresSoon { days_left } => due.push(reminder(ReminderReason::SecretExpiresSoon {
                days_left,
                on: connection.secret_expires.map(|date| date.to_string()).unwrap_or_default(),
            })),
            SecretExpiry::Valid { .. } | SecretExpiry::Unknown => {}
        }
        if let Some(last) = connection.check_history.last().filter(|last| !last.ok) {
            due.push(reminder(ReminderReason::LastCheckFailed { at: last.at.clone(), failed: last.failed.clone() }));
        }
    }
    due
}

/// The reminders due for the saved connections (files that cannot be read are left to the
/// home screen, which names them).
pub fn reminders_of_saved_connections(effects: &SideEffects) -> Result<Vec<Reminder>, JourneyError> {
    let connections: Vec<Connection> =
        effects.connections.list().map_err(boxed)?.into_iter().filter_map(Result::ok).collect();
    Ok(reminders_due(&connections, effects.clock.today()))
}

/// A desktop notification: plain text only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub title: String,
    pub body: String,
}

/// The most reminders a notification lists; the rest are counted.
pub const REMINDERS_PER_NOTIFICATION: usize = 4;

/// One notification for all the reminders, or none when nothing is due.
///
/// The body is plain text. Some notification servers read a subset of markup in the body
/// (the Desktop Notifications Specification's `body-markup`), so `<`, `>` and `&` never
/// reach it: connection names and check IDs cannot hold them, and anything else is dropped.
pub fn notification_for(reminders: &[Reminder]) -> Option<Notification> {
    if reminders.is_empty() {
        return None;
    }
    let mut connections: Vec<&str> = reminders.iter().map(|reminder| reminder.connection.as_str()).collect();
    connections.dedup();
    let title = match connections.len() {
        1 => format!("{} needs attention", connections[0]),
        count => format!("{count} SSO connections need attention"),
    };
    let mut lines: Vec<String> = reminders.iter().take(REMINDERS_PER_NOTIFICATION).map(Reminder::text).collect();
    if reminders.len() > REMINDERS_PER_NOTIFICATION {
        lines.push(format!("and {} more: open the SSO Setup Assistant", reminders.len() - REMINDERS_PER_NOTIFICATION));
    }
    let plain = |text: String| text.chars().filter(|character| !matches!(character, '<' | '>' | '&')).collect();
    Some(Notification { title: plain(title), body: plain(lines.join("\n")) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::connection::CheckRecord;

    fn today() -> CalendarDate {
        CalendarDate::new(2026, 12, 3).unwrap()
    }

    fn connection(name: &str, expires: Option<&str>, last_check: Option<CheckRecord>) -> Connection {
        let mut connection: Connection = serde_json::from_value(serde_json::json!({
            "schema_version": crate::connections::connection::CONNECTION_SCHEMA_VERSION,
            "name": name,
            "vendor": "peerpanda",
            "idp": "okta",
            "region": null,
            "org": "acme",
            "issuer": "https://acme.okta.com",
            "client_id": "0oa1",
            "secret_expires": null,
        }))
        .unwrap();
        connection.secret_expires = expires.map(|text| CalendarDate::parse(text).unwrap());
        connection.check_history = last_check.into_iter().collect();
        connection
    }

    fn record(at: &str, ok: bool, failed: &[&str]) -> CheckRecord {
        CheckRecord { at: at.into(), ok, failed: failed.iter().map(|id| id.to_string()).collect(), warned: Vec::new() }
    }

    #[test]
    fn a_secret_inside_the_warning_window_or_past_its_date_is_due_and_one_outside_is_not() {
        let connections = [
            connection("far", Some("2027-01-02"), None),   // 30 days: outside the window
            connection("edge", Some("2027-01-01"), None),  // 29 days: inside
            connection("today", Some("2026-12-03"), None), // expires today
            connection("past", Some("2026-12-01"), None),  // 2 days ago
            connection("unknown", None, None),
        ];
        let due = reminders_due(&connections, today());
        let texts: Vec<String> = due.iter().map(Reminder::text).collect();
        assert_eq!(
            texts,
            [
                "edge: the client secret expires in 29 days (2027-01-01)",
                "today: the client secret expires today (2026-12-03)",
                "past: the client secret expired 2 days ago",
            ]
        );
    }

    #[test]
    fn the_same_connections_are_due_or_not_as_the_clock_moves() {
        let connections = [connection("acme", Some("2027-01-10"), None)];
        assert!(reminders_due(&connections, CalendarDate::new(2026, 12, 1).unwrap()).is_empty());
        assert_eq!(
            reminders_due(&connections, CalendarDate::new(2026, 12, 12).unwrap())[0].reason,
            ReminderReason::SecretExpiresSoon { days_left: 29, on: "2027-01-10".into() }
        );
        assert_eq!(
            reminders_due(&connections, CalendarDate::new(2027, 1, 11).unwrap())[0].reason,
            ReminderReason::SecretExpired { days_ago: 1 }
        );
    }

    #[test]
    fn only_a_failed_last_check_is_due_not_an_earlier_failure() {
        let mut recovered =
            connection("recovered", None, Some(record("2026-12-01T07:00:00Z", false, &["client-secret"])));
        recovered.check_history.push(record("2026-12-02T07:00:00Z", true, &[]));
        let failing =
            connection("failing", None, Some(record("2026-12-02T07:00:00Z", false, &["client-secret", "keys"])));
        let due = reminders_due(&[recovered, failing], today());
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].text(), "failing: the last check failed (2026-12-02): client-secret, keys");
    }

    #[test]
    fn one_notification_names_the_connection_or_counts_them_and_lists_at_most_four() {
        assert_eq!(notification_for(&[]), None);
        let one = notification_for(&reminders_due(&[connection("acme", Some("2026-12-13"), None)], today())).unwrap();
        assert_eq!(one.title, "acme needs attention");
        assert_eq!(one.body, "acme: the client secret expires in 10 days (2026-12-13)");

        let many: Vec<Connection> =
            (0..6).map(|index| connection(&format!("vendor-{index}"), Some("2026-12-01"), None)).collect();
        let notification = notification_for(&reminders_due(&many, today())).unwrap();
        assert_eq!(notification.title, "6 SSO connections need attention");
        assert_eq!(notification.body.lines().count(), 5);
        assert_eq!(notification.body.lines().last(), Some("and 2 more: open the SSO Setup Assistant"));
    }

    #[test]
    fn nothing_read_from_a_file_reaches_the_notification_as_markup() {
        let hostile = Reminder {
            connection: "acme".into(),
            reason: ReminderReason::LastCheckFailed {
                at: "2026-12-02T07:00:00Z".into(),
                failed: vec!["<a href=\"https://evil.example\">keys</a>&amp;".into()],
            },
        };
        let notification = notification_for(&[hostile]).unwrap();
        assert!(!notification.body.contains(['<', '>', '&']), "{}", notification.body);
    }
}
