//! The setup guide for one vendor and one IdP, with every value filled in.
//!
//! [`build_guide`] turns catalog data into a [`Guide`] value; the renderers turn that into
//! text or markdown, and the JSON form is the value itself, which is what the desktop app
//! renders. So the steps read the same in every face.
//!
//! This version renders the vendor's own steps (with the IdP-specific ones where the
//! vendor's guide has them), the values to paste, what to send, and the IdP's known traps.
//! Click-by-click console steps for each IdP are not in the catalog yet, and the guide
//! says so rather than inventing them.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::identity_provider_guide::{IdentityProviderStep, SetupPhase, StepCondition};
use crate::catalog::redirect_uri::{
    build_vendor_uris, display_template, org_placeholder, resolve_region, RedirectUriError, UriRequest,
};
use crate::catalog::vendor_profile::{StepOwner, UriKind, VendorProfile, VendorStep};
use crate::catalog::Catalog;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub vendor: String,
    pub vendor_name: String,
    pub identity_provider: IdentityProviderId,
    pub identity_provider_name: String,
    pub region: String,
    /// The region's name, or None when the vendor has one region only.
    pub region_name: Option<String>,
    /// The org value, when the admin gave one; the values below are then exact.
    pub org: Option<String>,
    /// The vendor's name for the org value, when it was not given and the values need it.
    pub missing_org_value: Option<String>,
    pub values: Vec<GuideValue>,
    pub steps: Vec<GuideStep>,
    pub send_to_vendor: Vec<String>,
    pub sign_in: Vec<String>,
    pub notes: Vec<GuideNote>,
    /// Facts about the IdP that commonly break a setup.
    pub identity_provider_traps: Vec<String>,
    /// Where the IdP's steps come from, said plainly.
    pub coverage: String,
    /// The file of a custom vendor profile (not part of sso-setup); absent for built-ins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_profile_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideValue {
    pub id: String,
    /// The vendor's label for the value.
    pub label: String,
    pub value: String,
    /// True when `value` is final and can be pasted; false when it is a template with the
    /// vendor's placeholder, or a note that the vendor supplies it.
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideStep {
    pub number: usize,
    pub title: String,
    pub owner: StepOwner,
    pub phase: SetupPhase,
    /// Where in the IdP's console, when known.
    pub console_path: Option<String>,
    pub lines: Vec<String>,
    /// Values to copy back from this screen.
    pub copy_back: Vec<String>,
    /// Whose words these are: the vendor's guide or the IdP guide.
    pub origin: StepOrigin,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOrigin {
    Vendor,
    IdentityProvider,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct GuideNote {
    pub title: String,
    pub text: String,
}

/// What the admin asked for.
#[derive(Debug, Clone, Copy)]
pub struct GuideRequest<'a> {
    pub identity_provider: IdentityProviderId,
    pub region: Option<&'a str>,
    pub org: Option<&'a str>,
}

pub fn build_guide(
    catalog: &Catalog,
    profile: &VendorProfile,
    request: GuideRequest<'_>,
) -> Result<Guide, RedirectUriError> {
    let region = resolve_region(profile, request.region)?;
    let supported = profile.supported_identity_provider(request.identity_provider).ok_or_else(|| {
        RedirectUriError::UnsupportedIdentityProvider {
            vendor: profile.name.clone(),
            identity_provider: request.identity_provider,
            supported: profile.identity_provider_list(),
        }
    })?;
    let idp_info = catalog.identity_provider(request.identity_provider);
    let idp_name = idp_info.map_or_else(|| request.identity_provider.to_string(), |info| info.name.clone());

    // Exact URIs when the org value is known; otherwise the templates as the guide writes them.
    let exact_uris = match request.org {
        Some(org) => Some(build_vendor_uris(
            profile,
            UriRequest { region: Some(&region.id), identity_provider: Some(request.identity_provider), org },
        )),
        None => None,
    };
    let exact_uris = match exact_uris {
        Some(Ok(uris)) => Some(uris),
        // A vendor that supplies its redirect URI still has a guide; the value says so.
        Some(Err(RedirectUriError::SuppliedByVendor { .. })) => None,
        Some(Err(error)) => return Err(error),
        None => None,
    };
    let mut values = Vec::new();
    for (kind, spec) in profile.uri_specs() {
        let id =
            serde_json::to_value(kind).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default();
        let (value, exact) = match (&spec.template, &exact_uris) {
            (None, _) => (format!("supplied by {} (ask them for it)", profile.name), false),
            (Some(_), Some(uris)) => {
                let exact = match kind {
                    UriKind::Redirect => Some(uris.redirect_uri.clone()),
                    UriKind::SignOut => uris.sign_out_uri.clone(),
                    UriKind::InitiateLogin => uris.initiate_login_uri.clone(),
                    UriKind::LoginUrl => uris.login_url.clone(),
                };
                (exact.unwrap_or_default(), true)
            }
            (Some(template), None) => {
                let shown = display_template(template, &region.host, org_placeholder(profile))
                    .replace("{idp}", supported.slug.as_deref().unwrap_or("{idp}"));
                let exact = !shown.contains(org_placeholder(profile));
                (shown, exact)
            }
        };
        values.push(GuideValue { id, label: spec.label.clone(), value, exact });
    }
    let value_of = |id: &str| values.iter().find(|value| value.id == id).map(|value| value.value.clone());
    let org_text = request.org.map(str::to_owned).unwrap_or_else(|| org_placeholder(profile).to_owned());
    let required_claims =
        profile.oidc.required_claims.iter().map(|claim| claim.name.as_str()).collect::<Vec<_>>().join(", ");
    let auth_methods = if profile.oidc.token_endpoint_auth_methods.is_empty() {
        "client_secret_basic or client_secret_post".to_owned()
    } else {
        profile.oidc.token_endpoint_auth_methods.iter().map(|method| method.as_str()).collect::<Vec<_>>().join(" or ")
    };
    let text_values = crate::catalog::placeholders::GuideTextValues {
        vendor: profile.name.clone(),
        redirect_uri: value_of("redirect"),
        sign_out_uri: value_of("sign_out"),
        initiate_login_uri: value_of("initiate_login"),
        login_url: value_of("login_url"),
        scopes: profile.oidc.scopes.join(" "),
        required_claims,
        auth_methods,
        org: org_text,
        org_name: profile.org.as_ref().map_or_else(String::new, |org| org.name.clone()),
    };
    let fill = |line: &str| text_values.fill(line);

    let idp_steps: Vec<&IdentityProviderStep> = catalog
        .identity_provider_guide(request.identity_provider)
        .map(|guide| guide.steps.iter().filter(|step| condition_holds(step.when, profile)).collect())
        .unwrap_or_default();
    let merged = merge_steps(profile, request.identity_provider, &idp_steps);
    let steps: Vec<GuideStep> = merged
        .into_iter()
        .enumerate()
        .map(|(index, step)| match step {
            MergedStep::Vendor(step) => GuideStep {
                number: index + 1,
                title: step.title.clone(),
                owner: step.owner,
                phase: step.phase,
                console_path: step.console_path.clone(),
                lines: step.lines.iter().map(|line| fill(line)).collect(),
                copy_back: Vec::new(),
                origin: StepOrigin::Vendor,
                sources: vec![profile
                    .sources
                    .first()
                    .map_or_else(|| profile.name.clone(), |source| source.title.clone())],
            },
            MergedStep::IdentityProvider(step) => GuideStep {
                number: index + 1,
                title: step.title.clone(),
                owner: StepOwner::Admin,
                phase: step.phase,
                console_path: step.console_path.clone(),
                lines: step.lines.iter().map(|line| fill(line)).collect(),
                copy_back: step.copy_back.clone(),
                origin: StepOrigin::IdentityProvider,
                sources: step.sources.clone(),
            },
        })
        .collect();
    let vendor_has_idp_steps =
        profile.steps.iter().any(|step| step.identity_providers.contains(&request.identity_provider));
    let coverage = match (vendor_has_idp_steps, idp_steps.is_empty()) {
        (true, false) => format!(
            "Steps marked \"{}'s guide\" are its own wording, including its {idp_name} steps; the others are sso-setup's {idp_name} steps, with sources.",
            profile.name
        ),
        (false, false) => format!(
            "{}'s guide gives the same steps for every IdP; the {idp_name} steps are sso-setup's, with sources.",
            profile.name
        ),
        (_, true) => format!("sso-setup has no {idp_name} steps; the steps are {}'s own.", profile.name),
    };

    let missing_org_value = match (&profile.org, request.org) {
        (Some(spec), None) if values.iter().any(|value| value.value.contains(&spec.placeholder)) => {
            Some(spec.name.clone())
        }
        _ => None,
    };
    let sign_in = profile.sign_in.steps.iter().map(|line| fill(line)).collect();
    Ok(Guide {
        vendor: profile.id.clone(),
        vendor_name: profile.name.clone(),
        identity_provider: request.identity_provider,
        identity_provider_name: idp_name,
        region: region.id.clone(),
        region_name: (profile.regions.len() > 1).then(|| region.name.clone()),
        org: request.org.map(str::to_owned),
        missing_org_value,
        values,
        steps,
        send_to_vendor: profile.send_to_vendor.iter().map(|item| item.label.clone()).collect(),
        sign_in,
        notes: profile
            .notes
            .iter()
            .filter(|note| {
                note.identity_providers.is_empty() || note.identity_providers.contains(&request.identity_provider)
            })
            .map(|note| GuideNote { title: note.title.clone(), text: note.text.clone() })
            .collect(),
        identity_provider_traps: idp_info.map(|info| info.traps.clone()).unwrap_or_default(),
        coverage,
        custom_profile_file: catalog
            .vendor(&profile.id)
            .ok()
            .and_then(|vendor| vendor.custom_profile_file())
            .map(|path| path.display().to_string()),
    })
}

/// A step of the merged guide, from either source.
enum MergedStep<'a> {
    Vendor(&'a VendorStep),
    IdentityProvider(&'a IdentityProviderStep),
}

fn condition_holds(condition: StepCondition, profile: &VendorProfile) -> bool {
    let has_uri = |spec: &Option<crate::catalog::vendor_profile::UriSpec>| spec.is_some();
    match condition {
        StepCondition::Always => true,
        StepCondition::VendorHasSignOutUri => has_uri(&profile.uris.sign_out),
        StepCondition::VendorHasInitiateLoginUri => has_uri(&profile.uris.initiate_login),
        StepCondition::VendorRequiresClaims => !profile.oidc.required_claims.is_empty(),
        StepCondition::VendorRequiresIdTokenClaims => {
            profile.oidc.required_claims.iter().any(|claim| claim.in_id_token)
        }
        StepCondition::VendorNamesAuthMethods => !profile.oidc.token_endpoint_auth_methods.is_empty(),
        StepCondition::VendorMentionsRefreshToken => {
            profile.oidc.grant_types.iter().any(|grant| grant.id == "refresh_token")
        }
    }
}

/// Merges the vendor's steps with the IdP's, keeping the vendor's order.
///
/// Per phase, the vendor's steps for this IdP replace its general ones. The IdP's steps of
/// a phase follow the vendor's last step of that phase, unless a vendor step for this IdP
/// names a console path there (the vendor's wording wins for the same screen). IdP phases
/// the vendor does not mention are placed before the first vendor step of a later phase.
fn merge_steps<'a>(
    profile: &'a VendorProfile,
    identity_provider: IdentityProviderId,
    idp_steps: &[&'a IdentityProviderStep],
) -> Vec<MergedStep<'a>> {
    let applies =
        |step: &VendorStep| step.identity_providers.is_empty() || step.identity_providers.contains(&identity_provider);
    let specific_in = |phase: SetupPhase| {
        profile.steps.iter().any(|step| step.phase == phase && step.identity_providers.contains(&identity_provider))
    };
    let vendor_steps: Vec<&VendorStep> = profile
        .steps
        .iter()
        .filter(|step| applies(step))
        .filter(|step| !step.identity_providers.is_empty() || !specific_in(step.phase))
        .collect();
    let replaced = |phase: SetupPhase| {
        vendor_steps
            .iter()
            .any(|step| step.phase == phase && !step.identity_providers.is_empty() && step.console_path.is_some())
    };
    let idp_of = |phase: SetupPhase| -> Vec<MergedStep<'a>> {
        if replaced(phase) {
            return Vec::new();
        }
        idp_steps.iter().filter(|step| step.phase == phase).map(|step| MergedStep::IdentityProvider(step)).collect()
    };
    let vendor_phases: Vec<SetupPhase> = vendor_steps.iter().map(|step| step.phase).collect();
    let mut emitted: Vec<SetupPhase> = Vec::new();
    let mut merged = Vec::new();
    for (index, step) in vendor_steps.iter().enumerate() {
        for phase in SetupPhase::ALL.iter().copied().filter(|phase| *phase < step.phase) {
            if !vendor_phases.contains(&phase) && !emitted.contains(&phase) {
                merged.extend(idp_of(phase));
                emitted.push(phase);
            }
        }
        merged.push(MergedStep::Vendor(step));
        let last_of_phase = !vendor_steps[index + 1..].iter().any(|later| later.phase == step.phase);
        if last_of_phase && !emitted.contains(&step.phase) {
            merged.extend(idp_of(step.phase));
            emitted.push(step.phase);
        }
    }
    for phase in SetupPhase::ALL {
        if !emitted.contains(&phase) {
            merged.extend(idp_of(phase));
        }
    }
    merged
}

fn heading(guide: &Guide) -> String {
    match &guide.region_name {
        Some(region) => format!("{} with {} ({region})", guide.vendor_name, guide.identity_provider_name),
        None => format!("{} with {}", guide.vendor_name, guide.identity_provider_name),
    }
}

fn origin_mark(step: &GuideStep, guide: &Guide) -> String {
    match (step.origin, step.owner) {
        (StepOrigin::Vendor, StepOwner::Admin) => format!(", {}'s guide", guide.vendor_name),
        _ => String::new(),
    }
}

fn owner_label(owner: StepOwner, vendor_name: &str) -> String {
    match owner {
        StepOwner::Admin => "you".to_owned(),
        StepOwner::Vendor => vendor_name.to_owned(),
    }
}

/// The guide as plain text for a terminal.
/// The line every rendering of a custom profile's guide starts with.
fn custom_profile_warning(guide: &Guide) -> Option<String> {
    guide.custom_profile_file.as_ref().map(|file| {
        format!(
            "Custom vendor profile from {file}: not part of sso-setup. Check that it came from {} before you follow it.",
            guide.vendor_name
        )
    })
}

pub fn render_text(guide: &Guide) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", heading(guide));
    if let Some(warning) = custom_profile_warning(guide) {
        let _ = writeln!(out, "{warning}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Values");
    for value in &guide.values {
        let _ = writeln!(out, "  {}: {}", value.label, value.value);
    }
    if let Some(name) = &guide.missing_org_value {
        let _ = writeln!(out, "  (add --org <{name}> to fill in the values)");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Steps");
    for step in &guide.steps {
        let who = owner_label(step.owner, &guide.vendor_name);
        let _ = writeln!(out, "  {}. {} ({who}{})", step.number, step.title, origin_mark(step, guide));
        if let Some(path) = &step.console_path {
            let _ = writeln!(out, "     Where: {path}");
        }
        for line in &step.lines {
            let _ = writeln!(out, "     {line}");
        }
        if !step.copy_back.is_empty() {
            let _ = writeln!(out, "     Copy: {}", step.copy_back.join(", "));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Send to {}", guide.vendor_name);
    for item in &guide.send_to_vendor {
        let _ = writeln!(out, "  - {item}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Signing in");
    for line in &guide.sign_in {
        let _ = writeln!(out, "  - {line}");
    }
    if !guide.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Notes");
        for note in &guide.notes {
            let _ = writeln!(out, "  {}: {}", note.title, note.text);
        }
    }
    if !guide.identity_provider_traps.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} traps", guide.identity_provider_name);
        for trap in &guide.identity_provider_traps {
            let _ = writeln!(out, "  - {trap}");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", guide.coverage);
    out
}

/// The guide as markdown, for pasting into a ticket or a wiki.
pub fn render_markdown(guide: &Guide) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", heading(guide));
    if let Some(warning) = custom_profile_warning(guide) {
        let _ = writeln!(out);
        let _ = writeln!(out, "> **{warning}**");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Values");
    let _ = writeln!(out);
    for value in &guide.values {
        let _ = writeln!(out, "- **{}**: `{}`", value.label, value.value);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Steps");
    let _ = writeln!(out);
    for step in &guide.steps {
        let who = owner_label(step.owner, &guide.vendor_name);
        let _ = writeln!(out, "{}. **{}** ({who}{})", step.number, step.title, origin_mark(step, guide));
        if let Some(path) = &step.console_path {
            let _ = writeln!(out, "   - Where: {path}");
        }
        for line in &step.lines {
            let _ = writeln!(out, "   - {line}");
        }
        if !step.copy_back.is_empty() {
            let _ = writeln!(out, "   - Copy: {}", step.copy_back.join(", "));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Send to {}", guide.vendor_name);
    let _ = writeln!(out);
    for item in &guide.send_to_vendor {
        let _ = writeln!(out, "- {item}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "## Signing in");
    let _ = writeln!(out);
    for line in &guide.sign_in {
        let _ = writeln!(out, "- {line}");
    }
    if !guide.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "## Notes");
        let _ = writeln!(out);
        for note in &guide.notes {
            let _ = writeln!(out, "- **{}**: {}", note.title, note.text);
        }
    }
    if !guide.identity_provider_traps.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "## {} traps", guide.identity_provider_name);
        let _ = writeln!(out);
        for trap in &guide.identity_provider_traps {
            let _ = writeln!(out, "- {trap}");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "_{}_", guide.coverage);
    out
}
