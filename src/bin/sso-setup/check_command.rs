//! `sso-setup check [<connection> | --all]`: the health of saved connections, one line per
//! check (or only the problems with `--quiet`, for cron and systemd timers), or one JSON
//! document. The journey is the core's (`sso_setup::journeys::health_check`). And
//! `sso-setup report <connection>`, the setup report (`sso_setup::journeys::setup_report`).

use crate::Failure;
use sso_setup::catalog::Catalog;
use sso_setup::error::{ErrorCode, UserFacingError};
use sso_setup::journeys::health_check::{check_connections, ConnectionsToCheck, CONCURRENT_CHECKS};
use sso_setup::journeys::setup_report::prepare_setup_report;
use sso_setup::journeys::SideEffects;
use sso_setup::oidc::discovery::CheckStatus;
use sso_setup::oidc::http_fetch::HardenedHttpClient;
use sso_setup::platform::terminal_text::escape_for_terminal;

#[derive(Debug, thiserror::Error)]
pub enum CheckCommandError {
    #[error("{0} check(s) failed")]
    Unhealthy(usize),
}

impl UserFacingError for CheckCommandError {
    fn code(&self) -> ErrorCode {
        match self {
            CheckCommandError::Unhealthy(_) => ErrorCode::HealthCheckFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            CheckCommandError::Unhealthy(_) => "each failed check above says what to fix".into(),
        })
    }

    fn failure_kind(&self) -> sso_setup::error::FailureKind {
        match self {
            CheckCommandError::Unhealthy(_) => sso_setup::error::FailureKind::CheckFailed,
        }
    }
}

pub fn run(
    http: HardenedHttpClient,
    catalog: &Catalog,
    effects: &SideEffects,
    connection: Option<&str>,
    quiet: bool,
    json: bool,
) -> Result<(), Failure> {
    let which = connection.map_or(ConnectionsToCheck::All, ConnectionsToCheck::One);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the async runtime starts");
    let report = runtime
        .block_on(check_connections(&http, catalog, effects, which, CONCURRENT_CHECKS))
        .map_err(Failure::from_journey)?;
    if json {
        crate::print_json(&report);
    } else {
        let mut text = String::new();
        if report.connections.is_empty() && report.unreadable.is_empty() && !quiet {
            text.push_str("no saved connections to check\n");
        }
        for health in &report.connections {
            for check in &health.checks {
                let status = match check.status {
                    CheckStatus::Pass if quiet => continue,
                    CheckStatus::Pass => "pass",
                    CheckStatus::Warn => "warn",
                    CheckStatus::Fail => "FAIL",
                };
                text.push_str(&format!(
                    "{}  {status}  {}: {}\n",
                    health.connection,
                    check.id,
                    escape_for_terminal(&check.detail)
                ));
                if check.status != CheckStatus::Pass {
                    if let Some(hint) = &check.hint {
                        text.push_str(&format!(
                            "{}        hint: {}\n",
                            " ".repeat(health.connection.len()),
                            escape_for_terminal(hint)
                        ));
                    }
                }
            }
        }
        for problem in &report.unreadable {
            text.push_str(&format!("FAIL  {}\n", escape_for_terminal(&problem.message)));
        }
        out!("{text}");
    }
    let failed = report
        .connections
        .iter()
        .flat_map(|health| &health.checks)
        .filter(|check| check.status == CheckStatus::Fail)
        .count()
        + report.unreadable.len();
    if failed > 0 {
        return Err(Failure::CheckFailed(Box::new(CheckCommandError::Unhealthy(failed))));
    }
    Ok(())
}

/// Writes the setup report of a connection (atomically), or prints it.
pub fn run_report(
    catalog: &Catalog,
    effects: &SideEffects,
    connection: &str,
    output: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let report = prepare_setup_report(catalog, effects, connection).map_err(Failure::from_journey)?;
    match output {
        None => out!("{}", escape_for_terminal(&report.page)),
        Some(path) => {
            report.write_to(path).map_err(Failure::from_journey)?;
            out!("Wrote the setup report of {connection} to {}.\n", escape_for_terminal(&path.display().to_string()));
        }
    }
    Ok(())
}
