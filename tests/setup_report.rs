//! The setup report (`sso-setup report`): one self-contained page with the connection's
//! values, URIs, the vendor's claims and whether the last test saw them, and the check
//! history; markup in a value stays text, nothing is fetched, and no secret is in it (the
//! report never reads the keychain: the secret saved with the connection is not there).

use sso_setup::catalog::identity_provider::IdentityProviderId;
use sso_setup::catalog::Catalog;
use sso_setup::connections::connection::{CheckRecord, Connection, ConnectionFolder, CONNECTION_SCHEMA_VERSION};
use sso_setup::connections::keychain::InMemorySecretStore;
use sso_setup::connections::secret::ClientSecret;
use sso_setup::guidance::setup_report::render_setup_report;
use sso_setup::platform::calendar_date::CalendarDate;

const SECRET: &str = "the-client-secret-Zx81";

#[test]
fn the_report_holds_every_value_as_text_and_no_secret() {
    let folder = tempfile::tempdir().unwrap();
    let connections = ConnectionFolder::new(folder.path().to_owned());
    let store = InMemorySecretStore::default();
    let connection = Connection {
        schema_version: CONNECTION_SCHEMA_VERSION,
        name: "peerpanda-okta".into(),
        vendor: "peerpanda".into(),
        idp: IdentityProviderId::Okta,
        region: None,
        org: Some("acme".into()),
        issuer: "https://acme.okta.com".into(),
        client_id: "0oa<script>alert(1)</script>".into(),
        secret_expires: CalendarDate::parse("2027-01-31"),
        last_test_report: Some(serde_json::json!({
            "ok": false,
            "id_token_claims": { "sub": "user-1", "email": "ada@example.com", "given_name": "Ada" },
        })),
        secret_for: None,
        management: None,
        check_history: Vec::new(),
    };
    connections.save(&connection, Some(&ClientSecret::new(SECRET.into())), &store).unwrap();
    for (at, ok) in [("2026-11-30T06:00:00Z", true), ("2026-12-01T06:00:00Z", false)] {
        let record = CheckRecord {
            at: at.into(),
            ok,
            failed: if ok { vec![] } else { vec!["client-secret".into()] },
            warned: vec![],
        };
        connections.record_check("peerpanda-okta", record).unwrap();
    }
    let saved = connections.load("peerpanda-okta").unwrap();
    let catalog = Catalog::built_in().unwrap();
    let page =
        render_setup_report(&catalog, &saved, CalendarDate::parse("2026-12-02").unwrap(), "2026-12-02T10:00:00Z");

    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains("0oa&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script"),
        "markup stays text"
    );
    assert!(!page.contains(SECRET), "no secret");
    assert!(!page.contains("ada@example.com") && !page.contains(">Ada<"), "claim names, not the user's values");
    for external in ["src=", "href=", "@import", "url("] {
        assert!(!page.contains(external), "nothing is fetched: {external}");
    }
    assert!(page.contains("default-src 'none'"), "a CSP that allows no script");
    // The values an auditor compares with the IdP's console.
    for expected in [
        "https://getpeerpanda.com/app/accounts/oidc/acme/login/callback/",
        "https://acme.okta.com",
        "client_secret_basic",
        "2027-01-31 (60 days from 2026-12-02)",
        "created by hand, following the guide",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(page.contains(expected), "{expected} is in the report");
    }
    // The claims: email and given_name seen, family_name missing.
    let claim_row = |claim: &str| {
        let start = page.find(&format!("<code>{claim}</code>")).unwrap();
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(claim_row("email").contains("yes") && claim_row("family_name").contains("MISSING"));
    // The history, newest first.
    let newest = page.find("2026-12-01T06:00:00Z").unwrap();
    assert!(newest < page.find("2026-11-30T06:00:00Z").unwrap());
    assert!(
        page[newest..].starts_with("2026-12-01T06:00:00Z</td><td>FAILED</td><td>client-secret"),
        "{}",
        &page[newest..newest + 80]
    );
}
