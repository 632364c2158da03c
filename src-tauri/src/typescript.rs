//! The TypeScript types of everything that crosses into the web view, generated from the
//! Rust types themselves (ts-rs): `ui/src/ipc/generated.ts` is this text, and
//! `src-tauri/tests/typescript_types.rs` fails when the checked-in file is stale. So the
//! UI cannot name a field the shell does not send, or branch on an error code the core
//! does not have.

use crate::dto::*;
use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::connections::connection::SecretExpiry;
use sso_setup::error::{ErrorCode, ErrorReport};
use sso_setup::oidc::discovery::{Check, CheckStatus};
use ts_rs::TS;

/// One declaration, exported, with its doc comment. Every integer crosses as a JSON number.
fn declaration<T: TS>() -> String {
    let config = ts_rs::Config::new().with_large_int("number");
    let docs = T::docs().map(|docs| format!("{}\n", docs.trim_end())).unwrap_or_default();
    format!("{docs}export {}\n", T::decl(&config))
}

/// The whole of `ui/src/ipc/generated.ts`.
pub fn typescript_declarations() -> String {
    let declarations = [
        // From the core.
        declaration::<ErrorCode>(),
        declaration::<ErrorReport>(),
        declaration::<IdentityProviderId>(),
        declaration::<CheckStatus>(),
        declaration::<Check>(),
        declaration::<SecretExpiry>(),
        // The shell's own shapes (`dto`).
        declaration::<IpcError>(),
        declaration::<ProgressEvent>(),
        declaration::<OrgValueSummary>(),
        declaration::<RegionSummary>(),
        declaration::<IdentityProviderSummary>(),
        declaration::<VendorSummary>(),
        declaration::<VendorUrisRequest>(),
        declaration::<VendorUrisResponse>(),
        declaration::<SetupGuide>(),
        declaration::<GuideValueView>(),
        declaration::<GuideStepView>(),
        declaration::<sso_setup::guidance::guide::GuideNote>(),
        declaration::<GuideRequestInput>(),
        declaration::<IssuerView>(),
        declaration::<ConnectionInput>(),
        declaration::<ConnectionView>(),
        declaration::<ConnectionList>(),
        declaration::<LastCheckView>(),
        declaration::<ConnectionHealthView>(),
        declaration::<HealthView>(),
        declaration::<CheckAllProgress>(),
        declaration::<ReminderView>(),
        declaration::<ReportWritten>(),
        declaration::<ProviderCheckView>(),
        declaration::<SignInReportView>(),
        declaration::<ClaimRow>(),
        declaration::<BundleInput>(),
        declaration::<BundleWritten>(),
        declaration::<ExplainInput>(),
        declaration::<ExplanationView>(),
        declaration::<ExplainView>(),
        declaration::<LoopbackAdviceView>(),
        declaration::<ProvisionRequestInput>(),
        declaration::<NamedValue>(),
        declaration::<PlannedRequestView>(),
        declaration::<RotationView>(),
        declaration::<ProvisionPlanView>(),
        declaration::<ProvisionedView>(),
        declaration::<TemporaryRedirectView>(),
        declaration::<AdminSignInRequest>(),
        declaration::<DeviceCodeView>(),
        declaration::<AdminSessionView>(),
        declaration::<ProvisionProgressView>(),
    ];
    let mut text = String::from(
        "// Generated from the Rust types by src-tauri/src/typescript.rs (ts-rs); do not edit.\n\
         // Regenerate: UPDATE_TYPESCRIPT=1 cargo test -p sso-setup-desktop --test typescript_types\n\n",
    );
    text.push_str(&declarations.join("\n"));
    text
}
