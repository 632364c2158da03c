//! The setup report for change records and auditors: one self-contained HTML page (no
//! external resources, prints on A4) with the vendor, the org value, the IdP, every URI
//! registered, the auth method, the claims the vendor needs and whether the last sign-in
//! test saw them, the check history with dates, the secret's expiry and the tool's version.
//!
//! # Security
//! The report is built from the connection file and the catalog only: it never reads the
//! keychain, so no secret or token can reach it. Every value is HTML-escaped (a client ID or
//! an issuer is text, never markup), and the page carries a CSP that allows no script and
//! no remote load.

use crate::catalog::redirect_uri::{build_vendor_uris, UriRequest};
use crate::catalog::Catalog;
use crate::connections::connection::{Connection, ManagementApi, SecretExpiry};
use crate::platform::calendar_date::CalendarDate;
use serde_json::Value;

/// Text as HTML: the five characters that could start markup or end an attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", escape_html(label), escape_html(value)));
}

/// The claim names the last sign-in test saw in the ID token or from userinfo; `None` when
/// no test ran. Only the names are read: the user's values never reach the report.
fn claims_seen(report: Option<&Value>) -> Option<Vec<String>> {
    let report = report?;
    let mut seen = Vec::new();
    for part in ["id_token_claims", "userinfo_claims"] {
        if let Some(Value::Object(claims)) = report.get(part) {
            seen.extend(claims.keys().cloned());
        }
    }
    Some(seen)
}

/// The report for `connection`, as of `today` (`generated_at` is RFC 3339).
pub fn render_setup_report(
    catalog: &Catalog,
    connection: &Connection,
    today: CalendarDate,
    generated_at: &str,
) -> String {
    let vendor = catalog.vendor(&connection.vendor).ok().map(|entry| &entry.profile);
    let vendor_name = vendor.map_or(connection.vendor.as_str(), |profile| profile.name.as_str());
    let idp_name = catalog
        .identity_provider(connection.idp)
        .map_or_else(|| connection.idp.as_str().to_owned(), |info| info.name.clone());
    let management = connection.management.as_ref();
    let uris = vendor.and_then(|profile| {
        build_vendor_uris(
            profile,
            UriRequest {
                region: connection.region.as_deref(),
                identity_provider: Some(connection.idp),
                org: connection.org.as_deref().unwrap_or_default(),
            },
        )
        .ok()
    });
    let mut redirect_uris: Vec<String> = uris.iter().map(|uris| uris.redirect_uri.clone()).collect();
    let mut sign_out_uris: Vec<String> = uris.iter().filter_map(|uris| uris.sign_out_uri.clone()).collect();
    if let Some(management) = management {
        if !management.given_redirect_uris.is_empty() {
            redirect_uris = management.given_redirect_uris.clone();
        }
        if !management.given_sign_out_uris.is_empty() {
            sign_out_uris = management.given_sign_out_uris.clone();
        }
    }

    let mut body = String::new();
    body.push_str(&format!(
        "<h1>SSO setup: {} with {}</h1>\n<p class=\"muted\">Generated {} by sso-setup {}. This report holds no secret.</p>\n",
        escape_html(vendor_name),
        escape_html(&idp_name),
        escape_html(generated_at),
        escape_html(env!("CARGO_PKG_VERSION"))
    ));
    body.push_str("<h2>Connection</h2>\n<table>\n");
    row(&mut body, "Connection", &connection.name);
    row(&mut body, "Vendor", vendor_name);
    if let Some(org) = &connection.org {
        row(&mut body, "Org value", org);
    }
    if let Some(region) = &connection.region {
        row(&mut body, "Region", region);
    }
    row(&mut body, "Identity provider", &idp_name);
    row(&mut body, "Issuer", &connection.issuer);
    row(&mut body, "Client ID", &connection.client_id);
    for uri in &redirect_uris {
        row(&mut body, "Redirect URI", uri);
    }
    for uri in &sign_out_uris {
        row(&mut body, "Sign-out URI", uri);
    }
    if let Some(initiate) = uris.as_ref().and_then(|uris| uris.initiate_login_uri.as_deref()) {
        row(&mut body, "Initiate login URI", initiate);
    }
    if let Some(method) = vendor.and_then(|profile| profile.oidc.token_endpoint_auth_methods.first()) {
        row(&mut body, "Token endpoint auth method", method.as_str());
    }
    let expiry = match connection.secret_expiry(today) {
        SecretExpiry::Unknown => "not recorded".to_owned(),
        SecretExpiry::Valid { days_left } | SecretExpiry::ExpiresSoon { days_left } => format!(
            "{} ({days_left} days from {today})",
            connection.secret_expires.map(|date| date.to_string()).unwrap_or_default()
        ),
        SecretExpiry::Expired { days_ago } => format!(
            "{} (expired {days_ago} days before {today})",
            connection.secret_expires.map(|date| date.to_string()).unwrap_or_default()
        ),
    };
    row(&mut body, "Client secret expires", &expiry);
    row(
        &mut body,
        "The app at the IdP",
        &match management {
            None => "created by hand, following the guide".to_owned(),
            Some(management) => format!(
                "created by sso-setup on {} through {}",
                management.created,
                match management.api {
                    ManagementApi::Rfc7592 => "standard client registration (RFC 7591 / RFC 7592)",
                    ManagementApi::MicrosoftGraph => "Microsoft Graph",
                    ManagementApi::OktaApps => "the Okta Management API",
                }
            ),
        },
    );
    body.push_str("</table>\n");

    // The claims the vendor needs, and whether the last sign-in test saw them.
    let seen = claims_seen(connection.last_test_report.as_ref());
    let last_test = connection.last_test_report.as_ref().and_then(|report| report.get("ok")).and_then(Value::as_bool);
    body.push_str("<h2>Claims the vendor needs</h2>\n");
    body.push_str(&format!(
        "<p>Last sign-in test: {}.</p>\n",
        match last_test {
            Some(true) => "passed",
            Some(false) => "failed",
            None => "not run",
        }
    ));
    let required = vendor.map(|profile| profile.oidc.required_claims.as_slice()).unwrap_or_default();
    if required.is_empty() {
        body.push_str("<p>The vendor's guide names no claims beyond the subject.</p>\n");
    } else {
        body.push_str("<table>\n<tr><th scope=\"col\">Claim</th><th scope=\"col\">In the ID token</th><th scope=\"col\">Seen by the last test</th></tr>\n");
        for claim in required {
            let saw = match &seen {
                None => "not tested",
                Some(names) if names.contains(&claim.name) => "yes",
                Some(_) => "MISSING",
            };
            body.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                escape_html(&claim.name),
                if claim.in_id_token { "required" } else { "or from userinfo" },
                saw
            ));
        }
        body.push_str("</table>\n");
    }

    body.push_str("<h2>Check history</h2>\n");
    if connection.check_history.is_empty() {
        body.push_str("<p>No check has run yet (<code>sso-setup check</code>).</p>\n");
    } else {
        body.push_str("<table>\n<tr><th scope=\"col\">When (UTC)</th><th scope=\"col\">Result</th><th scope=\"col\">Failed</th><th scope=\"col\">Warnings</th></tr>\n");
        for record in connection.check_history.iter().rev() {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(&record.at),
                if record.ok { "passed" } else { "FAILED" },
                escape_html(&record.failed.join(", ")),
                escape_html(&record.warned.join(", "))
            ));
        }
        body.push_str("</table>\n");
    }

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>SSO setup: {title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        title = escape_html(&format!("{vendor_name} with {idp_name} ({})", connection.name)),
    )
}

/// Plain, readable on screen and on paper; no fonts or images to fetch.
const STYLE: &str = "body { font: 14px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ddd; overflow-wrap: anywhere; }
th[scope=row] { width: 14rem; font-weight: 600; }
code { font-family: ui-monospace, monospace; }
.muted { color: #555; }
@media print { body { margin: 0; max-width: none; } @page { size: A4; margin: 18mm; } }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_value_stays_text() {
        assert_eq!(
            escape_html("<img src=x onerror='a()'>&\"\u{7}"),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;\u{FFFD}"
        );
    }
}
