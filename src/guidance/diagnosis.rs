//! Explaining an IdP's error: from a bare code (`AADSTS50011`), a pasted error page, or the
//! callback URL the browser ended on (`...?error=access_denied&error_description=...`).
//!
//! The knowledge is data (`catalog/diagnoses.toml`): codes, distinctive phrases, meaning,
//! likely cause and the exact fix with console paths. [`explain`] finds every entry that
//! matches, most specific first: a code and an IdP-specific phrase beat a generic OAuth
//! `error=` value. Text from the input is only ever quoted back escaped.

use crate::catalog::identity_provider::IdentityProviderId;
use crate::catalog::org_value::escape_for_message;
use crate::oidc::issuer::looks_like_guid;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// A stable identifier, e.g. `entra-aadsts50011`.
    pub id: String,
    /// The IdP whose error this is; absent for generic OAuth and OpenID Connect errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<IdentityProviderId>,
    /// Exact codes, matched case-insensitively as whole words.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Distinctive phrases of the error text, matched case-insensitively.
    #[serde(default)]
    pub patterns: Vec<String>,
    pub title: String,
    pub meaning: String,
    pub likely_cause: String,
    /// What to do, in order, with console paths. `{vendor}` and `{redirect_uri}` are filled in.
    pub fix: Vec<String>,
    pub sources: Vec<String>,
}

/// The file `catalog/diagnoses.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisFile {
    pub diagnoses: Vec<Diagnosis>,
}

/// JSON made by build.rs from `catalog/diagnoses.toml` (the source).
const BUILT_IN_DIAGNOSES: &str = crate::catalog::built_in!("diagnoses");

/// The built-in diagnoses. The file is embedded and checked by the test suite.
pub fn built_in_diagnoses() -> Result<Vec<Diagnosis>, String> {
    let file: DiagnosisFile = serde_json::from_str(BUILT_IN_DIAGNOSES).map_err(|error| error.to_string())?;
    for diagnosis in &file.diagnoses {
        if diagnosis.codes.is_empty() && diagnosis.patterns.is_empty() {
            return Err(format!("diagnosis {} has neither codes nor patterns", diagnosis.id));
        }
    }
    Ok(file.diagnoses)
}

/// What the input was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadInput {
    /// The `error` parameter, when the input was a URL with one.
    pub error: Option<String>,
    /// The `error_description` parameter, decoded and escaped.
    pub error_description: Option<String>,
    /// The host the browser ended on, for a URL.
    pub host: Option<String>,
}

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStrength {
    /// A generic OAuth error code matched.
    GenericCode,
    /// A phrase of the error text matched.
    Phrase,
    /// An IdP-specific code (AADSTS..., E0000...) matched.
    SpecificCode,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub diagnosis_id: String,
    pub identity_provider: Option<IdentityProviderId>,
    pub strength: MatchStrength,
    pub title: String,
    pub meaning: String,
    pub likely_cause: String,
    pub fix: Vec<String>,
    pub sources: Vec<String>,
    /// Where Microsoft documents an AADSTS code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainReport {
    pub input: ReadInput,
    pub explanations: Vec<Explanation>,
    /// A remark that does not depend on the catalog (a GUID pasted where a secret goes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// The vendor context that makes a fix exact.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExplainContext<'a> {
    pub vendor_name: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
    pub identity_provider: Option<IdentityProviderId>,
}

/// True when `secret` has the shape of an Entra client secret's Secret ID (a GUID), which
/// admins paste instead of the secret's Value; the token request then fails with
/// AADSTS7000215.
pub fn looks_like_entra_secret_id(secret: &str) -> bool {
    looks_like_guid(secret.trim())
}

fn read_input(input: &str) -> (ReadInput, String) {
    let trimmed = input.trim();
    if let Ok(url) = Url::parse(trimmed) {
        if matches!(url.scheme(), "http" | "https") {
            // The error may be in the query (code flow) or the fragment (implicit responses).
            let mut pairs: Vec<(String, String)> =
                url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            if let Some(fragment) = url.fragment() {
                pairs.extend(
                    url::form_urlencoded::parse(fragment.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())),
                );
            }
            let find = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let error = find("error");
            let description = find("error_description");
            let searchable =
                format!("{} {}", error.clone().unwrap_or_default(), description.clone().unwrap_or_default());
            return (
                ReadInput {
                    error: error.map(|e| escape_for_message(&e).trim_matches('\'').to_owned()),
                    error_description: description.map(|d| escape_for_message(&d).trim_matches('\'').to_owned()),
                    host: url.host_str().map(str::to_owned),
                },
                searchable,
            );
        }
    }
    (ReadInput { error: None, error_description: None, host: None }, trimmed.to_owned())
}

fn contains_word(haystack_lower: &str, word_lower: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    haystack_lower.match_indices(word_lower).any(|(start, matched)| {
        let before = haystack_lower[..start].chars().next_back();
        let after = haystack_lower[start + matched.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

fn is_generic_oauth_code(code: &str) -> bool {
    code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Finds every diagnosis that matches the input, most specific first.
pub fn explain(diagnoses: &[Diagnosis], input: &str, context: ExplainContext<'_>) -> ExplainReport {
    let (read, searchable) = read_input(input);
    let lower = searchable.to_lowercase();
    let mut found: Vec<(MatchStrength, &Diagnosis)> = Vec::new();
    for diagnosis in diagnoses {
        let mut strength = None;
        for code in &diagnosis.codes {
            if contains_word(&lower, &code.to_lowercase()) {
                let this =
                    if is_generic_oauth_code(code) { MatchStrength::GenericCode } else { MatchStrength::SpecificCode };
                strength = strength.max(Some(this));
            }
        }
        if diagnosis.patterns.iter().any(|pattern| lower.contains(&pattern.to_lowercase())) {
            strength = strength.max(Some(MatchStrength::Phrase));
        }
        if let Some(strength) = strength {
            found.push((strength, diagnosis));
        }
    }
    // An IdP-specific entry that matched only on a generic code (Google's invalid_grant)
    // is kept only when the admin's IdP is that IdP, or nothing more generic matched.
    // (Such a code, like Google's redirect_uri_mismatch, has the shape of a generic OAuth
    // code; dropping it whenever the IdP is unknown made the most common Google error
    // "not recognised", though only Google's entry knows it.)
    let known_idp = context.identity_provider;
    let generic_entry_matched = found.iter().any(|(_, diagnosis)| diagnosis.identity_provider.is_none());
    found.retain(|(strength, diagnosis)| {
        *strength != MatchStrength::GenericCode
            || diagnosis.identity_provider.is_none()
            || diagnosis.identity_provider == known_idp
            || !generic_entry_matched
    });
    let has_specific = found.iter().any(|(strength, _)| *strength > MatchStrength::GenericCode);
    let best_idp = found
        .iter()
        .filter(|(strength, diagnosis)| *strength > MatchStrength::GenericCode && diagnosis.identity_provider.is_some())
        .map(|(_, diagnosis)| diagnosis.identity_provider)
        .next()
        .flatten();
    found.sort_by(|(a_strength, a), (b_strength, b)| {
        let a_idp_match = known_idp.is_some() && a.identity_provider == known_idp;
        let b_idp_match = known_idp.is_some() && b.identity_provider == known_idp;
        b_strength
            .cmp(a_strength)
            .then(b_idp_match.cmp(&a_idp_match))
            .then(b.identity_provider.is_some().cmp(&a.identity_provider.is_some()))
    });
    if has_specific {
        // A generic entry adds nothing once an IdP-specific one explains the same error,
        // unless it is the only one for a different IdP than the one recognised.
        found.retain(|(strength, diagnosis)| {
            *strength > MatchStrength::GenericCode || diagnosis.identity_provider.is_none() && best_idp.is_none()
        });
    }
    let vendor = context.vendor_name.unwrap_or("the vendor");
    let redirect_uri = context.redirect_uri.unwrap_or("the vendor's redirect URI");
    // The catalog writes "the {vendor} app"; without a vendor that would read "the the vendor app".
    let fill = |text: &str| {
        text.replace("{vendor}", vendor).replace("{redirect_uri}", redirect_uri).replace("the the vendor", "the vendor")
    };
    let explanations = found
        .into_iter()
        .map(|(strength, diagnosis)| Explanation {
            diagnosis_id: diagnosis.id.clone(),
            identity_provider: diagnosis.identity_provider,
            strength,
            title: diagnosis.title.clone(),
            meaning: fill(&diagnosis.meaning),
            likely_cause: fill(&diagnosis.likely_cause),
            fix: diagnosis.fix.iter().map(|line| fill(line)).collect(),
            sources: diagnosis.sources.clone(),
            reference_url: diagnosis
                .codes
                .iter()
                .find_map(|code| code.to_ascii_uppercase().strip_prefix("AADSTS").map(str::to_owned))
                .map(|number| format!("https://login.microsoftonline.com/error?code={number}")),
        })
        .collect();
    let remark = looks_like_guid(input.trim()).then(|| {
        "This is a GUID. In Entra ID a GUID is an Application (client) ID, a Directory (tenant) ID, or a client secret's Secret ID; \
         it is never a client secret's Value. If you were about to use it as the client secret, go to Certificates & secrets and copy \
         the Value column instead (it is shown only once; create a new secret if it is hidden)."
            .to_owned()
    });
    ExplainReport { input: read, explanations, remark }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Vec<Diagnosis> {
        built_in_diagnoses().unwrap()
    }

    #[test]
    fn a_bare_aadsts_code_is_explained_with_microsoft_s_reference() {
        let report = explain(&catalog(), "AADSTS50011", ExplainContext::default());
        let first = &report.explanations[0];
        assert_eq!(first.diagnosis_id, "entra-aadsts50011");
        assert_eq!(first.reference_url.as_deref(), Some("https://login.microsoftonline.com/error?code=50011"));
    }

    #[test]
    fn codes_match_whole_words_only() {
        // AADSTS500117 must not be read as AADSTS50011.
        let report = explain(
            &catalog(),
            "AADSTS500117: The reply uri specified in the request isn't using a secure scheme.",
            ExplainContext::default(),
        );
        assert!(report.explanations.iter().all(|e| e.diagnosis_id != "entra-aadsts50011"), "{:?}", report.explanations);
        assert!(report.explanations.iter().any(|e| e.diagnosis_id.contains("500117")));
    }

    #[test]
    fn okta_s_unassigned_user_beats_generic_access_denied_in_a_callback_url() {
        let url = "http://127.0.0.1:8400/callback?state=x&error=access_denied&error_description=User+is+not+assigned+to+the+client+application.";
        let report = explain(&catalog(), url, ExplainContext::default());
        assert_eq!(report.input.error.as_deref(), Some("access_denied"));
        assert_eq!(
            report.explanations[0].identity_provider,
            Some(IdentityProviderId::Okta),
            "{:?}",
            report.explanations
        );
    }

    #[test]
    fn the_vendor_context_fills_in_the_fix() {
        let report = explain(
            &catalog(),
            "AADSTS50011",
            ExplainContext {
                vendor_name: Some("Pelanor"),
                redirect_uri: Some("https://app.pelanor.io/api/auth/callback/entra-acme"),
                identity_provider: None,
            },
        );
        assert!(report.explanations[0].fix.join(" ").contains("https://app.pelanor.io/api/auth/callback/entra-acme"));
    }

    #[test]
    fn a_guid_gets_the_secret_id_remark() {
        let report = explain(&catalog(), "8f3c1d2e-1234-4abc-9def-0123456789ab", ExplainContext::default());
        assert!(report.remark.unwrap().contains("Secret ID"));
        assert!(looks_like_entra_secret_id(" 8f3c1d2e-1234-4abc-9def-0123456789ab\n"));
        assert!(!looks_like_entra_secret_id("Xy8Q~abcdefghijklmnopqrstuvwxyz0123456789"));
    }

    #[test]
    fn google_s_redirect_uri_mismatch_is_explained_without_naming_the_idp() {
        for input in ["redirect_uri_mismatch", "Error 400: redirect_uri_mismatch"] {
            let report = explain(&catalog(), input, ExplainContext::default());
            assert_eq!(
                report.explanations.first().map(|e| e.diagnosis_id.as_str()),
                Some("google-redirect-uri-mismatch"),
                "{input}: {:?}",
                report.explanations
            );
        }
    }

    #[test]
    fn an_idp_specific_generic_code_still_gives_way_to_the_generic_entry_of_another_idp() {
        // Google's invalid_grant entry must not displace the generic one when the IdP is not Google.
        let report = explain(&catalog(), "invalid_grant", ExplainContext::default());
        assert!(report.explanations.iter().all(|e| e.identity_provider.is_none()), "{:?}", report.explanations);
        assert!(!report.explanations.is_empty());
    }

    #[test]
    fn unknown_text_finds_nothing() {
        assert!(explain(&catalog(), "the coffee machine is empty", ExplainContext::default()).explanations.is_empty());
    }
}
