//! The catalog: the vendor profiles and identity providers the assistant knows.
//!
//! The built-in profiles are the TOML files in `catalog/`, embedded at compile time (as JSON
//! that build.rs makes from them, which reads faster) so the
//! command line and the desktop app show the same data. An admin can add vendors by putting
//! profile files in a folder ([`Catalog::load_user_folder`]); those are validated exactly
//! like the built-in ones, and may not reuse a built-in vendor's id (a file that silently
//! replaced Pelanor's hosts would be a phishing vector).

pub mod identity_provider;
pub mod identity_provider_guide;
pub mod org_value;
pub mod placeholders;
pub mod redirect_uri;
pub mod vendor_profile;

use crate::catalog::org_value::{OrgValue, ORG_VALUE_MAX_LENGTH_LIMIT};
use crate::catalog::placeholders::{check_placeholders, fill_uri_template, GUIDE_TEXT, URI_TEMPLATE};
use crate::catalog::redirect_uri::check_substituted_uri;
use crate::error::UserFacingError;
use identity_provider::{IdentityProviderFile, IdentityProviderId, IdentityProviderInfo};
use identity_provider_guide::IdentityProviderGuide;
use std::path::{Path, PathBuf};
use vendor_profile::{VendorProfile, PROFILE_FORMAT_VERSION};

/// The built-in files, as JSON that build.rs made from the TOML files in `catalog/` (the
/// source; JSON reads several times faster at every start). `built_in!("vendors/pelanor")`
/// is the text made from `catalog/vendors/pelanor.toml`.
macro_rules! built_in {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/catalog/", $name, ".json"))
    };
}
pub(crate) use built_in;

/// The built-in vendor profiles, by file name.
const BUILT_IN_VENDOR_FILES: [(&str, &str); 4] = [
    ("pelanor.toml", built_in!("vendors/pelanor")),
    ("peerpanda.toml", built_in!("vendors/peerpanda")),
    ("pacvue.toml", built_in!("vendors/pacvue")),
    ("pivott.toml", built_in!("vendors/pivott")),
];

const BUILT_IN_IDENTITY_PROVIDERS: &str = built_in!("identity-providers");

/// The built-in IdP guides, by file name.
const BUILT_IN_IDENTITY_PROVIDER_GUIDES: [(&str, &str); 9] = [
    ("entra.toml", built_in!("idp-guides/entra")),
    ("okta.toml", built_in!("idp-guides/okta")),
    ("jumpcloud.toml", built_in!("idp-guides/jumpcloud")),
    ("google.toml", built_in!("idp-guides/google")),
    ("auth0.toml", built_in!("idp-guides/auth0")),
    ("onelogin.toml", built_in!("idp-guides/onelogin")),
    ("pingone.toml", built_in!("idp-guides/pingone")),
    ("keycloak.toml", built_in!("idp-guides/keycloak")),
    ("generic.toml", built_in!("idp-guides/generic")),
];

/// A profile file larger than this is refused unread: real profiles are a few kilobytes.
pub const PROFILE_FILE_SIZE_LIMIT: u64 = 256 * 1024;

/// Where a vendor profile came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum ProfileOrigin {
    BuiltIn,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct CatalogVendor {
    pub profile: VendorProfile,
    pub origin: ProfileOrigin,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    vendors: Vec<CatalogVendor>,
    identity_providers: Vec<IdentityProviderInfo>,
    identity_provider_guides: Vec<IdentityProviderGuide>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("the vendor profile {source_name} could not be read: {reason}")]
    Unreadable { source_name: String, reason: String },
    #[error("the vendor profile {source_name} is larger than {limit} bytes")]
    TooLarge { source_name: String, limit: u64 },
    #[error("the vendor profile {source_name} is not valid: {reason}")]
    Invalid { source_name: String, reason: String },
    #[error("the vendor profile {source_name} uses the id '{id}', which {other} already has")]
    DuplicateId { source_name: String, id: String, other: String },
    #[error("the vendor profile {source_name} uses {what}, which belongs to the built-in vendor {vendor}")]
    PosesAsBuiltIn { source_name: String, what: String, vendor: String },
    #[error("there is no vendor '{id}'")]
    UnknownVendor { id: String, known: String },
    #[error("the vendor profile could not be saved to {path}: {reason}")]
    WriteFailed { path: String, reason: String },
}

impl UserFacingError for CatalogError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            CatalogError::Unreadable { .. } => crate::error::ErrorCode::ProfileUnreadable,
            CatalogError::TooLarge { .. } => crate::error::ErrorCode::ProfileTooLarge,
            CatalogError::Invalid { .. } => crate::error::ErrorCode::ProfileInvalid,
            CatalogError::DuplicateId { .. } => crate::error::ErrorCode::ProfileDuplicateId,
            CatalogError::PosesAsBuiltIn { .. } => crate::error::ErrorCode::ProfilePosesAsBuiltIn,
            CatalogError::UnknownVendor { .. } => crate::error::ErrorCode::UnknownVendor,
            CatalogError::WriteFailed { .. } => crate::error::ErrorCode::ProfileWriteFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            CatalogError::Unreadable { .. } | CatalogError::TooLarge { .. } | CatalogError::Invalid { .. } => {
                "fix the file (catalog/vendor-profile.schema.json describes every field) or move it out of the profile folder".into()
            }
            CatalogError::WriteFailed { .. } => {
                "check free space and permissions of the config folder; the profile was not imported".into()
            }
            CatalogError::DuplicateId { .. } => "give the profile its own id; built-in vendors cannot be replaced".into(),
            CatalogError::PosesAsBuiltIn { vendor, .. } => format!(
                "a custom profile cannot look like {vendor}: use the built-in {vendor} profile, and ask whoever sent this file why it copies {vendor}'s name or hosts"
            ),
            CatalogError::UnknownVendor { known, .. } => {
                format!("use one of: {known}")
            }
        })
    }
}

impl Catalog {
    /// The built-in catalog. The embedded files are checked by the test suite, so a failure
    /// here is a build defect, reported rather than hidden.
    pub fn built_in() -> Result<Catalog, CatalogError> {
        let identity_providers: IdentityProviderFile =
            serde_json::from_str(BUILT_IN_IDENTITY_PROVIDERS).map_err(|error| CatalogError::Invalid {
                source_name: "identity-providers.toml (built in)".into(),
                reason: error.to_string(),
            })?;
        let mut identity_provider_guides = Vec::new();
        for (file_name, text) in BUILT_IN_IDENTITY_PROVIDER_GUIDES {
            let guide: IdentityProviderGuide = serde_json::from_str(text).map_err(|error| CatalogError::Invalid {
                source_name: format!("idp-guides/{file_name} (built in)"),
                reason: error.to_string(),
            })?;
            check_identity_provider_guide(&guide).map_err(|reason| CatalogError::Invalid {
                source_name: format!("idp-guides/{file_name} (built in)"),
                reason,
            })?;
            identity_provider_guides.push(guide);
        }
        let mut catalog = Catalog {
            vendors: Vec::new(),
            identity_providers: identity_providers.identity_providers,
            identity_provider_guides,
        };
        for (file_name, text) in BUILT_IN_VENDOR_FILES {
            let source_name = format!("{file_name} (built in)");
            let profile: VendorProfile = serde_json::from_str(text).map_err(|error| CatalogError::Invalid {
                source_name: source_name.clone(),
                reason: error.to_string(),
            })?;
            check_profile(&profile).map_err(|reason| CatalogError::Invalid { source_name, reason })?;
            catalog.add(CatalogVendor { profile, origin: ProfileOrigin::BuiltIn })?;
        }
        Ok(catalog)
    }

    /// Adds every `*.toml` file in `folder`, in name order. A missing folder adds nothing.
    /// Returns the problems with individual files; the good files are added regardless, so
    /// one broken file never hides the others.
    pub fn load_user_folder(&mut self, folder: &Path) -> Vec<CatalogError> {
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(error) => {
                return vec![CatalogError::Unreadable {
                    source_name: folder.display().to_string(),
                    reason: error.to_string(),
                }]
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|extension| extension == "toml"))
            .collect();
        paths.sort();
        let mut problems = Vec::new();
        for path in paths {
            match read_profile_file(&path)
                .and_then(|profile| self.add(CatalogVendor { profile, origin: ProfileOrigin::File(path.clone()) }))
            {
                Ok(()) => {}
                Err(problem) => problems.push(problem),
            }
        }
        problems
    }

    fn add(&mut self, vendor: CatalogVendor) -> Result<(), CatalogError> {
        if let Some(existing) = self.vendors.iter().find(|existing| existing.profile.id == vendor.profile.id) {
            return Err(CatalogError::DuplicateId {
                source_name: describe_origin(&vendor.origin, &vendor.profile.id),
                id: vendor.profile.id.clone(),
                other: describe_origin(&existing.origin, &existing.profile.id),
            });
        }
        if vendor.origin != ProfileOrigin::BuiltIn {
            self.refuse_look_alike_of_a_built_in(&vendor)?;
        }
        self.vendors.push(vendor);
        Ok(())
    }

    /// A custom profile under another id but with a built-in vendor's name (in any case,
    /// spacing or look-alike letters) or one of its hosts would be listed like the real
    /// vendor, and its redirect URIs trusted like the real ones.
    fn refuse_look_alike_of_a_built_in(&self, vendor: &CatalogVendor) -> Result<(), CatalogError> {
        let key = name_key(&vendor.profile.name);
        let hosts: Vec<String> = vendor
            .profile
            .regions
            .iter()
            .map(|region| region.host.trim_end_matches('.').to_ascii_lowercase())
            .collect();
        for built_in in self.vendors.iter().filter(|existing| existing.origin == ProfileOrigin::BuiltIn) {
            let poses = |what: String| CatalogError::PosesAsBuiltIn {
                source_name: describe_origin(&vendor.origin, &vendor.profile.id),
                what,
                vendor: built_in.profile.name.clone(),
            };
            if !key.is_empty() && name_key(&built_in.profile.name) == key {
                return Err(poses(format!(
                    "the name {}",
                    crate::catalog::org_value::escape_for_message(&vendor.profile.name)
                )));
            }
            if let Some(host) =
                built_in.profile.regions.iter().find(|region| hosts.contains(&region.host.to_ascii_lowercase()))
            {
                return Err(poses(format!("the host {}", host.host)));
            }
        }
        Ok(())
    }

    /// Imports a profile the admin picked (its text, and the file name for messages): checks
    /// it like any profile file, refuses an id that is already taken (a built-in vendor
    /// cannot be impersonated), then saves it as `<folder>/<id>.toml`, atomically, so it is
    /// there on the next start. On any failure the catalog and the folder are unchanged.
    pub fn import_user_profile(
        &mut self,
        folder: &Path,
        text: &str,
        file_name: &str,
    ) -> Result<&VendorProfile, CatalogError> {
        if text.len() as u64 > PROFILE_FILE_SIZE_LIMIT {
            return Err(CatalogError::TooLarge { source_name: file_name.to_owned(), limit: PROFILE_FILE_SIZE_LIMIT });
        }
        let profile = parse_profile(text, file_name)?;
        let path = folder.join(format!("{}.toml", profile.id));
        self.add(CatalogVendor { profile, origin: ProfileOrigin::File(path.clone()) })?;
        let written = std::fs::create_dir_all(folder)
            .and_then(|()| crate::platform::atomic_file::write_atomically(&path, text.as_bytes(), false));
        if let Err(error) = written {
            self.vendors.pop();
            return Err(CatalogError::WriteFailed { path: path.display().to_string(), reason: error.to_string() });
        }
        Ok(&self.vendors.last().expect("just added").profile)
    }

    pub fn vendors(&self) -> &[CatalogVendor] {
        &self.vendors
    }

    pub fn vendor(&self, id: &str) -> Result<&CatalogVendor, CatalogError> {
        let wanted = id.trim().to_ascii_lowercase();
        self.vendors.iter().find(|vendor| vendor.profile.id == wanted).ok_or_else(|| CatalogError::UnknownVendor {
            id: crate::catalog::org_value::escape_for_message(id).trim_matches('\'').to_owned(),
            known: self.vendors.iter().map(|vendor| vendor.profile.id.as_str()).collect::<Vec<_>>().join(", "),
        })
    }

    pub fn identity_providers(&self) -> &[IdentityProviderInfo] {
        &self.identity_providers
    }

    pub fn identity_provider_guide(&self, id: IdentityProviderId) -> Option<&IdentityProviderGuide> {
        self.identity_provider_guides.iter().find(|guide| guide.identity_provider == id)
    }

    pub fn identity_provider(&self, id: IdentityProviderId) -> Option<&IdentityProviderInfo> {
        self.identity_providers.iter().find(|info| info.id == id)
    }

    /// Which loopback redirect URI to register at this IdP for the sign-in test; the
    /// generic provider's rule when the IdP is not known.
    pub fn loopback_rule(&self, id: Option<IdentityProviderId>) -> &identity_provider::LoopbackRule {
        let generic = || self.identity_provider(IdentityProviderId::Generic);
        let info = id.and_then(|id| self.identity_provider(id)).or_else(generic);
        // The built-in catalog lists every identity provider (checked by the test below).
        &info.expect("the built-in catalog lists the generic provider").loopback
    }
}

/// A built-in identity provider's entry, read once, for code that has no catalog at hand
/// (issuer normalisation is called with an input and an IdP only). The built-in file is
/// checked by the test suite.
pub fn built_in_identity_provider(id: IdentityProviderId) -> Option<&'static IdentityProviderInfo> {
    static BUILT_IN: std::sync::OnceLock<IdentityProviderFile> = std::sync::OnceLock::new();
    BUILT_IN
        .get_or_init(|| {
            serde_json::from_str(BUILT_IN_IDENTITY_PROVIDERS)
                .expect("the built-in identity providers are checked by the test suite")
        })
        .identity_providers
        .iter()
        .find(|info| info.id == id)
}

/// A vendor name reduced to what a reader sees: lower case, look-alike letters of other
/// scripts read as the ASCII letter they resemble, and nothing but letters and digits
/// (spaces, punctuation and invisible characters dropped).
fn name_key(name: &str) -> String {
    name.chars()
        .map(|character| crate::catalog::org_value::ascii_look_alike(character).unwrap_or(character))
        .filter(|character| character.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl CatalogVendor {
    /// The file a custom profile came from; `None` for a built-in vendor. Every listing says
    /// it, so a profile someone sent is never taken for part of sso-setup.
    pub fn custom_profile_file(&self) -> Option<&Path> {
        match &self.origin {
            ProfileOrigin::BuiltIn => None,
            ProfileOrigin::File(path) => Some(path),
        }
    }
}

fn describe_origin(origin: &ProfileOrigin, id: &str) -> String {
    match origin {
        ProfileOrigin::BuiltIn => format!("the built-in vendor '{id}'"),
        ProfileOrigin::File(path) => path.display().to_string(),
    }
}

/// Reads and validates one profile file, refusing large files before reading them.
pub fn read_profile_file(path: &Path) -> Result<VendorProfile, CatalogError> {
    let source_name = path.display().to_string();
    let unreadable = |error: std::io::Error| CatalogError::Unreadable {
        source_name: source_name.clone(),
        reason: error.to_string(),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > PROFILE_FILE_SIZE_LIMIT {
        return Err(CatalogError::TooLarge { source_name, limit: PROFILE_FILE_SIZE_LIMIT });
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    parse_profile(&text, &source_name)
}

/// Parses a profile from TOML and validates it.
pub fn parse_profile(text: &str, source_name: &str) -> Result<VendorProfile, CatalogError> {
    let profile: VendorProfile = toml::from_str(text).map_err(|error| CatalogError::Invalid {
        source_name: source_name.to_owned(),
        reason: error.message().to_owned() + &describe_toml_location(text, &error),
    })?;
    check_profile(&profile).map_err(|reason| CatalogError::Invalid { source_name: source_name.to_owned(), reason })?;
    Ok(profile)
}

fn describe_toml_location(text: &str, error: &toml::de::Error) -> String {
    match error.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

fn is_identifier(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

fn is_host_name(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 253
        && value.split('.').count() >= 2
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|character| character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// The checks serde cannot express. Returns the first problem in words.
pub fn check_profile(profile: &VendorProfile) -> Result<(), String> {
    if profile.format_version != PROFILE_FORMAT_VERSION {
        return Err(format!(
            "format_version is {}, and this version of sso-setup reads format_version {PROFILE_FORMAT_VERSION}",
            profile.format_version
        ));
    }
    if !is_identifier(&profile.id) {
        return Err(format!("id '{}' must be lowercase letters, digits and hyphens", profile.id));
    }
    if profile.name.trim().is_empty() {
        return Err("name is empty".into());
    }
    if let Some(org) = &profile.org {
        if org.rule.max_length == 0 || org.rule.max_length > ORG_VALUE_MAX_LENGTH_LIMIT {
            return Err(format!("org.rule.max_length must be between 1 and {ORG_VALUE_MAX_LENGTH_LIMIT}"));
        }
        OrgValue::parse(&org.example, &org.rule, &org.name)
            .map_err(|error| format!("org.example breaks org.rule: {error}"))?;
    }
    if profile.regions.is_empty() {
        return Err("regions is empty; a vendor has at least one".into());
    }
    if profile.regions.iter().filter(|region| region.default).count() != 1 {
        return Err("exactly one region must have default = true".into());
    }
    for (index, region) in profile.regions.iter().enumerate() {
        if !is_identifier(&region.id) {
            return Err(format!("regions[{index}].id '{}' must be lowercase letters, digits and hyphens", region.id));
        }
        if !is_host_name(&region.host) {
            return Err(format!("regions[{index}].host '{}' is not a lowercase DNS host name", region.host));
        }
        if profile.regions[..index].iter().any(|other| other.id == region.id) {
            return Err(format!("region id '{}' appears twice", region.id));
        }
    }
    if profile.identity_providers.is_empty() {
        return Err("identity_providers is empty".into());
    }
    for (index, supported) in profile.identity_providers.iter().enumerate() {
        if profile.identity_providers[..index].iter().any(|other| other.id == supported.id) {
            return Err(format!("identity provider '{}' appears twice", supported.id));
        }
        if let Some(slug) = &supported.slug {
            if !is_identifier(slug) {
                return Err(format!(
                    "the slug '{slug}' of {} must be lowercase letters, digits and hyphens",
                    supported.id
                ));
            }
        }
    }
    for (kind, spec) in profile.uri_specs() {
        let field = format!(
            "uris.{}",
            serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        );
        match (&spec.template, spec.supplied_by_vendor) {
            (Some(_), true) => {
                return Err(format!("{field} has a template and is also supplied_by_vendor; choose one"))
            }
            (None, false) => return Err(format!("{field} needs a template or supplied_by_vendor = true")),
            (None, true) => continue,
            (Some(template), false) => check_template(profile, &field, template)?,
        }
    }
    if profile.oidc.scopes.first().map(String::as_str) != Some("openid") {
        return Err("oidc.scopes must start with \"openid\"".into());
    }
    if profile.steps.is_empty() {
        return Err("steps is empty; copy the vendor's steps into the profile".into());
    }
    // The vendor's own words may show its name for the org value (`{organization_id}`).
    let mut allowed = GUIDE_TEXT.to_vec();
    if let Some(org) = &profile.org {
        allowed.push(org.placeholder.as_str());
    }
    for step in &profile.steps {
        for line in &step.lines {
            check_placeholders(line, &allowed).map_err(|problem| format!("step '{}' {problem}", step.title))?;
        }
    }
    for line in &profile.sign_in.steps {
        check_placeholders(line, &allowed).map_err(|problem| format!("sign_in.steps {problem}"))?;
    }
    Ok(())
}

fn check_template(profile: &VendorProfile, field: &str, template: &str) -> Result<(), String> {
    let Some(after_host) = template.strip_prefix("https://{host}") else {
        return Err(format!("{field} must start with https://{{host}}, got '{template}'"));
    };
    if !(after_host.is_empty() || after_host.starts_with('/')) {
        return Err(format!("{field}: {{host}} must be the whole host, followed by '/' ('{template}')"));
    }
    // `{host}` is the whole host, and only there; the path may hold the other two.
    let in_path: Vec<&str> = URI_TEMPLATE.iter().copied().filter(|name| *name != "{host}").collect();
    check_placeholders(after_host, &in_path).map_err(|problem| format!("{field} {problem}"))?;
    if after_host.contains('?') || after_host.contains('#') {
        return Err(format!("{field} must not have a query or fragment"));
    }
    if template.contains("{org}") && profile.org.is_none() {
        return Err(format!("{field} uses {{org}}, so the profile needs an [org] table"));
    }
    if template.contains("{idp}") && profile.identity_providers.iter().any(|supported| supported.slug.is_none()) {
        return Err(format!("{field} uses {{idp}}, so every identity provider needs a slug"));
    }
    // Every region and IdP must give a URI that survives the post-substitution check.
    for region in &profile.regions {
        for supported in &profile.identity_providers {
            let example = profile.org.as_ref().map_or("", |org| org.example.as_str());
            let uri = fill_uri_template(template, &region.host, supported.slug.as_deref().unwrap_or(""), example);
            check_substituted_uri(template, &region.host, &uri).map_err(|part| {
                format!("{field} gives '{uri}' for region {}, which fails the {part} check", region.id)
            })?;
        }
    }
    Ok(())
}

fn check_identity_provider_guide(guide: &IdentityProviderGuide) -> Result<(), String> {
    if guide.steps.is_empty() {
        return Err("the guide has no steps".into());
    }
    for step in &guide.steps {
        if step.sources.is_empty() {
            return Err(format!("step '{}' names no source", step.title));
        }
        for line in &step.lines {
            check_placeholders(line, &GUIDE_TEXT).map_err(|problem| format!("step '{}' {problem}", step.title))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every identity provider has its entry (with its loopback rule), so
    /// `Catalog::loopback_rule` always finds one.
    #[test]
    fn every_identity_provider_has_an_entry_with_a_loopback_rule() {
        let catalog = Catalog::built_in().unwrap();
        for id in IdentityProviderId::ALL {
            let info = catalog.identity_provider(id).unwrap_or_else(|| panic!("{id} has no entry"));
            assert!(!info.loopback.explanation.is_empty(), "{id}");
            assert!(!info.loopback.explanation.contains("--"), "{id}: the core names no command-line flag");
        }
    }

    const PELANOR: &str = include_str!("../../catalog/vendors/pelanor.toml");

    /// A vendor's step with a placeholder that does not exist would reach the admin as
    /// literal braces; the vendor's own name for its org value is allowed.
    #[test]
    fn a_vendor_step_with_an_unknown_placeholder_is_refused() {
        assert!(parse_profile(PELANOR, "pelanor.toml").is_ok());
        assert!(PELANOR.contains("{redirect_uri}"), "the fixture uses a placeholder to replace");
        let unknown = PELANOR.replacen("{redirect_uri}", "{tenant_id}", 1);
        let error = parse_profile(&unknown, "pelanor.toml").unwrap_err().to_string();
        assert!(error.contains("{tenant_id}") && error.contains("{redirect_uri}"), "{error}");
    }

    /// The JSON that build.rs embeds must read exactly as its TOML source does, or the app
    /// would show something other than what the catalog's authors wrote.
    #[test]
    fn every_built_in_file_reads_the_same_from_its_toml_source_and_the_embedded_json() {
        fn same<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(toml_path: &str, json: &str) {
            let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(toml_path)).unwrap();
            let from_toml: T = toml::from_str(&source).unwrap();
            let from_json: T = serde_json::from_str(json).unwrap();
            assert_eq!(from_toml, from_json, "{toml_path}");
        }
        for (file_name, json) in BUILT_IN_VENDOR_FILES {
            same::<VendorProfile>(&format!("catalog/vendors/{file_name}"), json);
        }
        for (file_name, json) in BUILT_IN_IDENTITY_PROVIDER_GUIDES {
            same::<IdentityProviderGuide>(&format!("catalog/idp-guides/{file_name}"), json);
        }
        same::<IdentityProviderFile>("catalog/identity-providers.toml", BUILT_IN_IDENTITY_PROVIDERS);
        same::<crate::guidance::diagnosis::DiagnosisFile>("catalog/diagnoses.toml", built_in!("diagnoses"));
        // And nothing in catalog/ is left out of the embedded lists.
        let vendor_files =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/vendors")).unwrap().count();
        let guide_files =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/idp-guides")).unwrap().count();
        assert_eq!((vendor_files, guide_files), (BUILT_IN_VENDOR_FILES.len(), BUILT_IN_IDENTITY_PROVIDER_GUIDES.len()));
    }

    #[test]
    fn an_imported_profile_is_saved_and_listed() {
        let folder = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::built_in().unwrap();
        // Its own id, name and hosts: a copy under Pelanor's name or hosts is refused (below).
        let text = PELANOR
            .replacen("id = \"pelanor\"", "id = \"pelanor-staging\"", 1)
            .replacen("name = \"Pelanor\"", "name = \"Pelanor Staging\"", 1)
            .replace(".pelanor.io", ".pelanor-staging.example");
        let imported = catalog.import_user_profile(folder.path(), &text, "staging.toml").unwrap();
        assert_eq!(imported.id, "pelanor-staging");
        assert_eq!(std::fs::read_to_string(folder.path().join("pelanor-staging.toml")).unwrap(), text);
        assert!(catalog.vendor("pelanor-staging").is_ok());
    }

    #[test]
    fn an_import_that_reuses_a_built_in_id_changes_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::built_in().unwrap();
        let before = catalog.vendors().len();
        let error = catalog.import_user_profile(folder.path(), PELANOR, "pelanor.toml").unwrap_err();
        assert_eq!(error.code(), "profile-duplicate-id");
        assert_eq!(catalog.vendors().len(), before);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0, "nothing was written");
        let broken = catalog.import_user_profile(folder.path(), "id = [", "broken.toml").unwrap_err();
        assert_eq!(broken.code(), "profile-invalid");
    }

    #[test]
    fn a_custom_profile_cannot_pose_as_a_built_in_vendor() {
        let folder = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::built_in().unwrap();
        let before = catalog.vendors().len();
        let own_id = PELANOR.replacen("id = \"pelanor\"", "id = \"pelanor-sso\"", 1);
        let own_hosts = own_id.replace(".pelanor.io", ".pelanor-sso.example");
        for (case, text) in [
            ("same name and hosts", own_id.clone()),
            ("same name", own_hosts.clone()),
            ("name in capitals", own_hosts.replacen("name = \"Pelanor\"", "name = \"PELANOR\"", 1)),
            ("spaced name", own_hosts.replacen("name = \"Pelanor\"", "name = \"Pe lanor \"", 1)),
            ("Cyrillic look-alike", own_hosts.replacen("name = \"Pelanor\"", "name = \"Pеlanor\"", 1)),
            ("same host", own_id.replacen("name = \"Pelanor\"", "name = \"Pelanor Staging\"", 1)),
        ] {
            let error = catalog.import_user_profile(folder.path(), &text, "sent.toml").unwrap_err();
            assert_eq!(error.code(), "profile-poses-as-built-in", "{case}: {error}");
            assert!(error.to_string().contains("Pelanor"), "{case}: {error}");
        }
        assert_eq!(catalog.vendors().len(), before);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0, "nothing was written");
    }

    #[test]
    fn a_custom_profile_says_where_it_came_from() {
        let folder = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::built_in().unwrap();
        assert_eq!(catalog.vendor("pelanor").unwrap().custom_profile_file(), None);
        let text = PELANOR
            .replacen("id = \"pelanor\"", "id = \"acme-sso\"", 1)
            .replacen("name = \"Pelanor\"", "name = \"Acme SSO\"", 1)
            .replace(".pelanor.io", ".acme-sso.example");
        catalog.import_user_profile(folder.path(), &text, "acme.toml").unwrap();
        assert_eq!(
            catalog.vendor("acme-sso").unwrap().custom_profile_file(),
            Some(folder.path().join("acme-sso.toml").as_path())
        );
    }
}
