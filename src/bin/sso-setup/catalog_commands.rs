//! The catalog commands: `vendors`, `vendor show`, `idps`, `guide`, `redirect-uri` and
//! `check-uri`. Each converts its arguments, calls the core, and prints.

use crate::arguments::GuideFormat;
use crate::Failure;
use serde::Serialize;
use sso_setup::catalog::identity_provider::{IdentityProviderId, UnknownIdentityProvider};
use sso_setup::catalog::org_value::escape_for_message;
use sso_setup::catalog::redirect_uri::{
    build_vendor_uris, check_pasted_uri, display_template, org_placeholder, UriRequest,
};
use sso_setup::catalog::vendor_profile::VendorProfile;
use sso_setup::catalog::{Catalog, ProfileOrigin};
use sso_setup::error::UserFacingError;
use sso_setup::guidance::guide::{build_guide, render_markdown, render_text, GuideRequest};
use std::fmt::Write as _;

type CommandResult = Result<(), Failure>;

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not an identity provider sso-setup knows")]
struct UnknownIdentityProviderError(String);

impl UserFacingError for UnknownIdentityProviderError {
    fn code(&self) -> sso_setup::error::ErrorCode {
        sso_setup::error::ErrorCode::UnknownIdentityProvider
    }

    fn hint(&self) -> Option<String> {
        let known: Vec<&str> = IdentityProviderId::ALL.iter().map(|id| id.as_str()).collect();
        Some(format!("use one of: {} (`generic` for any other OIDC provider)", known.join(", ")))
    }
}

pub fn parse_identity_provider(input: &str) -> Result<IdentityProviderId, Failure> {
    input.parse().map_err(|UnknownIdentityProvider(raw)| {
        Failure::from(UnknownIdentityProviderError(escape_for_message(&raw).trim_matches('\'').to_owned()))
    })
}

fn print_json<T: Serialize>(value: &T) -> CommandResult {
    // Serialising our own plain data types cannot fail; a failure would be a defect worth a panic.
    crate::print_json(value);
    Ok(())
}

#[derive(Serialize)]
struct VendorListing<'a> {
    id: &'a str,
    name: &'a str,
    org_value: Option<&'a str>,
    regions: Vec<&'a str>,
    identity_providers: Vec<IdentityProviderId>,
    vendor_confirms_redirect_uri: bool,
    origin: &'a ProfileOrigin,
}

pub fn list_vendors(catalog: &Catalog, json: bool) -> CommandResult {
    let listings: Vec<VendorListing> = catalog
        .vendors()
        .iter()
        .map(|vendor| VendorListing {
            id: &vendor.profile.id,
            name: &vendor.profile.name,
            org_value: vendor.profile.org.as_ref().map(|org| org.name.as_str()),
            regions: vendor.profile.regions.iter().map(|region| region.id.as_str()).collect(),
            identity_providers: vendor.profile.identity_providers.iter().map(|supported| supported.id).collect(),
            vendor_confirms_redirect_uri: vendor.profile.uris.vendor_confirms_redirect_uri,
            origin: &vendor.origin,
        })
        .collect();
    if json {
        return print_json(&listings);
    }
    let mut rows = vec![["ID".to_owned(), "NAME".into(), "ORG VALUE".into(), "REGIONS".into(), "IDPS".into()]];
    for listing in &listings {
        let custom = matches!(listing.origin, ProfileOrigin::File(_));
        rows.push([
            listing.id.to_owned(),
            if custom { format!("{} (custom)", listing.name) } else { listing.name.to_owned() },
            listing.org_value.unwrap_or("-").to_owned(),
            listing.regions.join(", "),
            listing.identity_providers.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", "),
        ]);
    }
    out!("{}", format_table(&rows));
    for vendor in catalog.vendors() {
        if let Some(file) = vendor.custom_profile_file() {
            outln!("(custom) {}: a profile from {}, not part of sso-setup", vendor.profile.id, file.display());
        }
    }
    Ok(())
}

pub fn list_identity_providers(catalog: &Catalog, json: bool) -> CommandResult {
    if json {
        return print_json(&catalog.identity_providers());
    }
    let mut rows = vec![["ID".to_owned(), "NAME".into(), "ISSUER".into()]];
    for info in catalog.identity_providers() {
        rows.push([info.id.to_string(), info.name.clone(), info.issuer_format.clone()]);
    }
    out!("{}", format_table(&rows));
    Ok(())
}

fn format_table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == N {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[column]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn show_vendor(catalog: &Catalog, vendor: &str, json: bool) -> CommandResult {
    let entry = catalog.vendor(vendor)?;
    if json {
        return print_json(&entry.profile);
    }
    out!("{}", describe_vendor(catalog, &entry.profile));
    if let Some(file) = entry.custom_profile_file() {
        outln!(
            "(custom) {} is a profile from {}, not part of sso-setup; check that it came from {}",
            entry.profile.id,
            file.display(),
            entry.profile.name
        );
    }
    Ok(())
}

fn describe_vendor(catalog: &Catalog, profile: &VendorProfile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", profile.name, profile.id);
    let _ = writeln!(out, "{}", profile.summary);
    let _ = writeln!(out);
    match &profile.org {
        Some(org) => {
            let _ = writeln!(out, "Org value: {} ({})", org.name, org.label);
            let _ = writeln!(out, "  rule: {}", org.rule.describe());
            let _ = writeln!(out, "  where to find it: {}", org.where_to_find);
        }
        None => {
            let _ = writeln!(out, "Org value: none in the vendor's published URIs");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Regions");
    for region in &profile.regions {
        let default = if region.default { ", default" } else { "" };
        let _ = writeln!(out, "  {}: {} ({}{default})", region.id, region.host, region.name);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Identity providers");
    for supported in &profile.identity_providers {
        let name = catalog.identity_provider(supported.id).map_or(supported.id.as_str(), |info| info.name.as_str());
        let mut line = format!("  {}: {name}", supported.id);
        if let Some(in_guide) = &supported.name_in_guide {
            if in_guide != name {
                let _ = write!(line, " (the guide says \"{in_guide}\")");
            }
        }
        if let Some(slug) = &supported.slug {
            let _ = write!(line, "; {{idp}} = {slug}");
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "URIs");
    for (_, spec) in profile.uri_specs() {
        match &spec.template {
            None => {
                let _ = writeln!(out, "  {}: supplied by {}", spec.label, profile.name);
            }
            Some(template) => {
                for region in &profile.regions {
                    let shown = display_template(template, &region.host, org_placeholder(profile));
                    if profile.regions.len() == 1 {
                        let _ = writeln!(out, "  {}: {shown}", spec.label);
                    } else {
                        let _ = writeln!(out, "  {} ({}): {shown}", spec.label, region.name);
                    }
                }
            }
        }
    }
    if profile.uris.vendor_confirms_redirect_uri {
        let _ = writeln!(
            out,
            "  {} issues or confirms the redirect URI itself: register the one it sends you.",
            profile.name
        );
    }
    let _ = writeln!(out);
    let oidc = &profile.oidc;
    let _ = writeln!(out, "OIDC");
    let scopes_source = if oidc.scopes_from_guide { "" } else { " (the guide names none; the OIDC minimum)" };
    let _ = writeln!(out, "  scopes: {}{scopes_source}", oidc.scopes.join(" "));
    let grants: Vec<String> = oidc
        .grant_types
        .iter()
        .map(|grant| if grant.optional { format!("{} (optional)", grant.name) } else { grant.name.clone() })
        .collect();
    let _ = writeln!(out, "  grant types: {}", grants.join(", "));
    if let Some(application_type) = &oidc.application_type {
        let _ = writeln!(out, "  application type: {application_type}");
    }
    if let Some(client_authentication) = &oidc.client_authentication {
        let _ = writeln!(out, "  client authentication: {client_authentication}");
    }
    if oidc.required_claims.is_empty() {
        let _ = writeln!(out, "  required claims: none named");
    } else {
        let claims: Vec<String> = oidc
            .required_claims
            .iter()
            .map(
                |claim| {
                    if claim.in_id_token {
                        format!("{} (in the ID token)", claim.name)
                    } else {
                        claim.name.clone()
                    }
                },
            )
            .collect();
        let _ = writeln!(out, "  required claims: {}", claims.join(", "));
    }
    let methods: Vec<&str> = oidc.token_endpoint_auth_methods.iter().map(|method| method.as_str()).collect();
    let methods = if methods.is_empty() { "not stated".to_owned() } else { methods.join(" or ") };
    let _ = writeln!(out, "  token endpoint auth: {methods}");
    let _ = writeln!(out);
    let _ = writeln!(out, "Send to {}", profile.name);
    for item in &profile.send_to_vendor {
        let _ = writeln!(out, "  - {}", item.label);
    }
    if !profile.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Notes");
        for note in &profile.notes {
            let _ = writeln!(out, "  {}: {}", note.title, note.text);
        }
    }
    out
}

pub fn print_guide(
    catalog: &Catalog,
    vendor: &str,
    idp: &str,
    region: Option<&str>,
    org: Option<&str>,
    format: GuideFormat,
) -> CommandResult {
    let profile = &catalog.vendor(vendor)?.profile;
    let identity_provider = parse_identity_provider(idp)?;
    let guide = build_guide(catalog, profile, GuideRequest { identity_provider, region, org })?;
    match format {
        GuideFormat::Text => out!("{}", render_text(&guide)),
        GuideFormat::Markdown => out!("{}", render_markdown(&guide)),
        GuideFormat::Json => return print_json(&guide),
    }
    Ok(())
}

pub fn print_redirect_uri(
    catalog: &Catalog,
    vendor: &str,
    idp: Option<&str>,
    region: Option<&str>,
    org: &str,
    json: bool,
) -> CommandResult {
    let profile = &catalog.vendor(vendor)?.profile;
    let identity_provider = idp.map(parse_identity_provider).transpose()?;
    let uris = build_vendor_uris(profile, UriRequest { region, identity_provider, org })?;
    if uris.vendor_confirms {
        errln!(
            "note: {} issues the redirect URI itself; register the one it sends you (check it with `sso-setup check-uri --vendor {} <URI>`)",
            profile.name, profile.id
        );
    }
    if json {
        return print_json(&uris);
    }
    outln!("{}", uris.redirect_uri);
    Ok(())
}

pub fn check_uri(catalog: &Catalog, vendor: &str, uri: &str, json: bool) -> CommandResult {
    let profile = &catalog.vendor(vendor)?.profile;
    let checked = check_pasted_uri(profile, uri).map_err(|error| Failure::CheckFailed(Box::new(error)))?;
    if json {
        return print_json(&checked);
    }
    let region = profile.region(&checked.region).map_or(checked.region.as_str(), |region| region.name.as_str());
    let host = profile.region(&checked.region).map_or("", |region| region.host.as_str());
    outln!("ok: the URI is on {}'s host {host} ({region})", profile.name);
    if checked.matches.is_empty() {
        outln!("{} does not publish this URI's form, so only its host could be checked.", profile.name);
    }
    for kind in &checked.matches {
        let label = profile
            .uri_specs()
            .into_iter()
            .find(|(spec_kind, _)| spec_kind == kind)
            .map_or(kind.describe().to_owned(), |(_, spec)| spec.label.clone());
        let org = match (&checked.org, &profile.org) {
            (Some(org), Some(spec)) => format!(" with {} '{org}'", spec.name),
            _ => String::new(),
        };
        outln!("It has the form of {}'s {label}{org}.", profile.name);
    }
    Ok(())
}
