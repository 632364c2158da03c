//! `sso-setup explain`: the cause and the fix for an IdP error code, error text or the URL
//! the browser ended on.

use crate::Failure;
use sso_setup::catalog::Catalog;
use sso_setup::error::UserFacingError;
use sso_setup::guidance::diagnosis::ExplainReport;
use sso_setup::journeys::explain_error::{explain_error, is_recognised, ExplainInput};
use sso_setup::journeys::open_catalog::built_in_diagnoses;

#[derive(Debug, thiserror::Error)]
#[error("sso-setup does not recognise this error")]
pub struct NotRecognised;

impl UserFacingError for NotRecognised {
    fn code(&self) -> sso_setup::error::ErrorCode {
        sso_setup::error::ErrorCode::ExplainNotRecognised
    }

    fn hint(&self) -> Option<String> {
        Some("paste the error code (e.g. AADSTS50011), the whole error text, or the URL the browser ended on; `sso-setup idps` lists the providers it knows".into())
    }
}

pub fn run_explain(catalog: &Catalog, input: ExplainInput<'_>, json: bool) -> Result<(), Failure> {
    let diagnoses = built_in_diagnoses();
    let report = explain_error(catalog, &diagnoses, input).map_err(Failure::from_journey)?;
    if json {
        crate::print_json(&report);
    } else if is_recognised(&report) {
        out!("{}", render(&report));
    }
    if is_recognised(&report) {
        Ok(())
    } else {
        Err(Failure::CheckFailed(Box::new(NotRecognised)))
    }
}

fn render(report: &ExplainReport) -> String {
    let mut out = String::new();
    if let Some(error) = &report.input.error {
        out.push_str(&format!("The provider answered error={error}"));
        if let Some(description) = &report.input.error_description {
            out.push_str(&format!(": {description}"));
        }
        out.push_str("\n\n");
    }
    if let Some(remark) = &report.remark {
        out.push_str(remark);
        out.push_str("\n\n");
    }
    for (index, explanation) in report.explanations.iter().enumerate() {
        if index > 0 {
            out.push_str("\nAlso possible:\n");
        }
        let provider = explanation.identity_provider.map(|id| format!(" ({id})")).unwrap_or_default();
        out.push_str(&format!("{}{provider}\n", explanation.title));
        out.push_str(&format!("  What it means: {}\n", explanation.meaning));
        out.push_str(&format!("  Likely cause: {}\n", explanation.likely_cause));
        out.push_str("  Fix:\n");
        for (step, line) in explanation.fix.iter().enumerate() {
            out.push_str(&format!("    {}. {line}\n", step + 1));
        }
        if let Some(url) = &explanation.reference_url {
            out.push_str(&format!("  Reference: {url}\n"));
        }
    }
    out
}
