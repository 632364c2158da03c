//! The merged guides: every vendor × supported IdP pair is a complete walkthrough, and where
//! a vendor's guide has its own steps for an IdP they agree with the IdP guide.

use sso_setup::catalog::identity_provider_guide::SetupPhase;
use sso_setup::catalog::Catalog;
use sso_setup::guidance::guide::{build_guide, GuideRequest, StepOrigin};

#[test]
fn every_pair_is_a_complete_walkthrough() {
    let catalog = Catalog::built_in().unwrap();
    for vendor in catalog.vendors() {
        let profile = &vendor.profile;
        let org = profile.org.as_ref().map(|org| org.example.as_str());
        for supported in &profile.identity_providers {
            let name = format!("{} with {}", profile.id, supported.id);
            let guide =
                build_guide(&catalog, profile, GuideRequest { identity_provider: supported.id, region: None, org })
                    .unwrap();
            let all_text: String =
                guide.steps.iter().flat_map(|step| step.lines.clone()).collect::<Vec<_>>().join("\n");
            assert!(
                !all_text.contains('{') || all_text.contains("{account"),
                "{name}: an unfilled placeholder in {all_text}"
            );
            let redirect = &guide.values[0];
            if redirect.exact {
                assert!(all_text.contains(&redirect.value), "{name}: no step says where the redirect URI goes");
            }
            for phase in [SetupPhase::CreateApp, SetupPhase::RedirectUris, SetupPhase::SendToVendor] {
                assert!(guide.steps.iter().any(|step| step.phase == phase), "{name}: no {phase:?} step");
            }
            assert!(
                guide.steps.iter().any(|step| step.origin == StepOrigin::IdentityProvider)
                    || supported.id.as_str() == "okta",
                "{name}: no IdP steps"
            );
            let numbers: Vec<usize> = guide.steps.iter().map(|step| step.number).collect();
            assert_eq!(numbers, (1..=guide.steps.len()).collect::<Vec<_>>(), "{name}: steps are numbered in order");
        }
    }
}

#[test]
fn peerpanda_with_entra_has_the_email_optional_claim_step() {
    let catalog = Catalog::built_in().unwrap();
    let profile = &catalog.vendor("peerpanda").unwrap().profile;
    let guide = build_guide(
        &catalog,
        profile,
        GuideRequest { identity_provider: "entra".parse().unwrap(), region: None, org: Some("acme") },
    )
    .unwrap();
    let claims = guide
        .steps
        .iter()
        .find(|step| step.console_path.as_deref().is_some_and(|path| path.contains("Token configuration")));
    let claims = claims.expect("a Token configuration step");
    assert!(claims.lines.iter().any(|line| line.contains("email, given_name, family_name")), "{claims:?}");
    let secret = guide.steps.iter().find(|step| step.title.contains("secret")).expect("a client secret step");
    assert!(secret.lines.iter().any(|line| line.contains("Value")), "the secret step says to copy the Value");
    assert!(guide.send_to_vendor.iter().any(|item| item.contains("OIDC Discovery URL")));
}

fn last_segment(path: &str) -> String {
    path.rsplit('→').next().unwrap_or(path).trim().trim_start_matches("+ ").to_lowercase()
}

#[test]
fn vendor_steps_for_an_idp_agree_with_the_idp_guide() {
    let catalog = Catalog::built_in().unwrap();
    let mut compared = 0;
    for vendor in catalog.vendors() {
        for step in &vendor.profile.steps {
            let Some(vendor_path) = &step.console_path else { continue };
            for idp in &step.identity_providers {
                let guide = catalog.identity_provider_guide(*idp).unwrap();
                let idp_paths: Vec<&str> = guide
                    .steps
                    .iter()
                    .filter(|idp_step| idp_step.phase == step.phase)
                    .filter_map(|idp_step| idp_step.console_path.as_deref())
                    .collect();
                // A vendor step may name several screens ("A; B"): one of them must be the IdP's.
                let agrees = vendor_path
                    .split(';')
                    .map(last_segment)
                    .any(|wanted| idp_paths.iter().any(|path| path.to_lowercase().contains(&wanted)));
                assert!(
                    agrees,
                    "{}'s step '{}' goes to '{vendor_path}', which no {idp} step of phase {:?} mentions ({idp_paths:?})",
                    vendor.profile.name,
                    step.title,
                    step.phase
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 4, "Pelanor's and Pivott's IdP steps were compared ({compared})");
}
