//! Every placeholder the catalog's texts may use, and how each is filled: one list per
//! kind of text, here, so the load-time checks, the URI builder and the guide agree on
//! what exists (they used to keep four lists of their own, and disagreed on `{org}`).
//!
//! Two kinds of text take placeholders:
//! - **URI templates** (`vendors/*.toml`, `[uris]`): `{host}` (the region's host, only as the
//!   whole host), `{org}` and `{idp}` (only in the path).
//! - **Guide text** (the IdP guides' lines, the vendor's steps and sign-in steps): the
//!   values of [`GUIDE_TEXT`], filled by [`GuideTextValues::fill`].

/// The placeholders of a URI template.
pub const URI_TEMPLATE: [&str; 3] = ["{host}", "{org}", "{idp}"];

/// The placeholders of guide text.
pub const GUIDE_TEXT: [&str; 10] = [
    "{vendor}",
    "{redirect_uri}",
    "{sign_out_uri}",
    "{initiate_login_uri}",
    "{login_url}",
    "{scopes}",
    "{required_claims}",
    "{auth_methods}",
    "{org}",
    "{org_name}",
];

/// Fills a URI template. The host is substituted only once, in the host position
/// (templates are checked at load time to start with `https://{host}`).
pub fn fill_uri_template(template: &str, host: &str, idp_slug: &str, org: &str) -> String {
    template.replacen("{host}", host, 1).replace("{idp}", idp_slug).replace("{org}", org)
}

/// How a URI template reads for people: the host filled in, the vendor's own name for the
/// org value (`{organization_id}`, `[client name]`) in place of `{org}`, and `{idp}` kept
/// where the IdP's slug goes.
pub fn show_uri_template(template: &str, host: &str, org_shown_as: &str) -> String {
    template.replacen("{host}", host, 1).replace("{org}", org_shown_as)
}

/// Each `{...}` in `text`, in order (an unclosed `{` is returned as the error).
pub fn placeholders_in(text: &str) -> Result<Vec<&str>, &str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| close + open) else {
            return Err(&rest[open..]);
        };
        found.push(&rest[open..=close]);
        rest = &rest[close + 1..];
    }
    Ok(found)
}

/// The first placeholder in `text` that is not in `allowed`, as an error message.
pub fn check_placeholders(text: &str, allowed: &[&str]) -> Result<(), String> {
    match placeholders_in(text) {
        Err(_) => Err("has an unclosed '{'".into()),
        Ok(found) => match found.into_iter().find(|placeholder| !allowed.contains(placeholder)) {
            Some(unknown) => {
                Err(format!("uses the unknown placeholder {unknown}; the ones that exist are {}", allowed.join(" ")))
            }
            None => Ok(()),
        },
    }
}

/// The values guide text is filled with, for one vendor, org, region and IdP. A URI the
/// vendor supplies itself has no value, and its placeholder is left for the reader to see.
#[derive(Debug, Clone, Default)]
pub struct GuideTextValues {
    pub vendor: String,
    pub redirect_uri: Option<String>,
    pub sign_out_uri: Option<String>,
    pub initiate_login_uri: Option<String>,
    pub login_url: Option<String>,
    pub scopes: String,
    pub required_claims: String,
    pub auth_methods: String,
    /// The org value, or the vendor's own name for it when it is not known yet.
    pub org: String,
    pub org_name: String,
}

impl GuideTextValues {
    /// Every placeholder of [`GUIDE_TEXT`] in `line` replaced by its value.
    pub fn fill(&self, line: &str) -> String {
        let mut filled = line.to_owned();
        for (placeholder, value) in [
            ("{redirect_uri}", &self.redirect_uri),
            ("{sign_out_uri}", &self.sign_out_uri),
            ("{initiate_login_uri}", &self.initiate_login_uri),
            ("{login_url}", &self.login_url),
        ] {
            if let Some(value) = value {
                filled = filled.replace(placeholder, value);
            }
        }
        filled
            .replace("{scopes}", &self.scopes)
            .replace("{required_claims}", &self.required_claims)
            .replace("{auth_methods}", &self.auth_methods)
            .replace("{org}", &self.org)
            .replace("{org_name}", &self.org_name)
            .replace("{vendor}", &self.vendor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_text_placeholder_is_filled() {
        let values = GuideTextValues {
            vendor: "V".into(),
            redirect_uri: Some("R".into()),
            sign_out_uri: Some("S".into()),
            initiate_login_uri: Some("I".into()),
            login_url: Some("L".into()),
            scopes: "openid".into(),
            required_claims: "email".into(),
            auth_methods: "client_secret_basic".into(),
            org: "acme".into(),
            org_name: "organization_id".into(),
        };
        let filled = values.fill(&GUIDE_TEXT.join(" "));
        assert!(placeholders_in(&filled).unwrap().is_empty(), "{filled}");
        assert_eq!(filled, "V R S I L openid email client_secret_basic acme organization_id");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_named() {
        assert_eq!(check_placeholders("go to {redirect_uri}", &GUIDE_TEXT), Ok(()));
        assert!(check_placeholders("{tenant}", &GUIDE_TEXT).unwrap_err().contains("{tenant}"));
        assert!(check_placeholders("x {vendor", &GUIDE_TEXT).unwrap_err().contains("unclosed"));
        assert_eq!(
            fill_uri_template("https://{host}/{idp}-{org}", "h.example", "okta", "acme"),
            "https://h.example/okta-acme"
        );
    }
}
