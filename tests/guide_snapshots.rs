//! Snapshot tests of the rendered guides: every built-in vendor with every IdP it supports,
//! in text, with the vendor's example org value. A change to a profile or to the renderer
//! shows up as a reviewable diff in `tests/snapshots/`.

use sso_setup::catalog::Catalog;
use sso_setup::guidance::guide::{build_guide, render_markdown, render_text, GuideRequest};

#[test]
fn every_vendor_and_idp_guide_renders_as_recorded() {
    let catalog = Catalog::built_in().unwrap();
    for vendor in catalog.vendors() {
        let profile = &vendor.profile;
        let org = profile.org.as_ref().map(|org| org.example.as_str());
        for supported in &profile.identity_providers {
            let guide =
                build_guide(&catalog, profile, GuideRequest { identity_provider: supported.id, region: None, org })
                    .unwrap_or_else(|error| panic!("{} with {}: {error}", profile.id, supported.id));
            insta::assert_snapshot!(format!("guide-{}-{}", profile.id, supported.id), render_text(&guide));
        }
    }
}

#[test]
fn markdown_and_text_carry_the_same_values() {
    let catalog = Catalog::built_in().unwrap();
    let profile = &catalog.vendor("peerpanda").unwrap().profile;
    let guide = build_guide(
        &catalog,
        profile,
        GuideRequest { identity_provider: "entra".parse().unwrap(), region: None, org: Some("acme") },
    )
    .unwrap();
    let markdown = render_markdown(&guide);
    let text = render_text(&guide);
    for value in &guide.values {
        assert!(markdown.contains(&value.value) && text.contains(&value.value), "{}", value.value);
    }
    assert!(markdown.contains("Azure AD often does not return the email claim"), "the Entra note is shown for Entra");
    let okta = build_guide(
        &catalog,
        profile,
        GuideRequest { identity_provider: "okta".parse().unwrap(), region: None, org: Some("acme") },
    )
    .unwrap();
    assert!(!render_text(&okta).contains("Azure AD often"), "the Entra note is not shown for Okta");
}
