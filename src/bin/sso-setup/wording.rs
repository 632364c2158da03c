//! The command line's own words for the core's errors. The core's messages and hints name
//! no command-line flag (the desktop app shows the same errors, where `--idp` means
//! nothing); where the fix is a flag or another command, the command line says which, here,
//! keyed by the error's code.

use crate::connection_commands::SECRET_ENVIRONMENT_VARIABLE as SECRET_VARIABLE;
use sso_setup::error::ErrorCode;

/// A note from the core (how an issuer was read), with the flag where the note says what
/// to give.
pub fn note(core_note: &str) -> String {
    core_note.replacen("give the region for", "pass --region for", 1)
}

/// The hint the command line prints for `code`, from the core's own hint.
pub fn hint(code: ErrorCode, core_hint: Option<&str>) -> Option<String> {
    let core = core_hint.unwrap_or_default();
    let own = match code {
        ErrorCode::IdentityProviderNeeded => core.replacen("choose the identity provider, one of:", "add --idp with one of:", 1),
        ErrorCode::UriSuppliedByVendor => {
            // The core names the vendor ("ask Pivott for it, ..."); its id is that name in
            // lower case, as for every built-in vendor.
            let vendor = core.strip_prefix("ask ").and_then(|rest| rest.split_once(" for it")).map(|(name, _)| name);
            match vendor {
                Some(vendor) => format!(
                    "ask {vendor} for it, then check the value you receive with `sso-setup check-uri --vendor {} <URI>`",
                    vendor.to_ascii_lowercase()
                ),
                None => return core_hint.map(str::to_owned),
            }
        }
        ErrorCode::UnknownVendor => format!("{core}; `sso-setup vendors` lists them"),
        ErrorCode::IssuerUnparseable => {
            "give the issuer as an https URL, or a shorthand with --idp (e.g. --idp okta --issuer acme.okta.com)".into()
        }
        ErrorCode::IssuerShorthandNeedsProvider => {
            "add --idp (okta, entra, onelogin, pingone, jumpcloud, google, auth0, keycloak), or give the full https URL".into()
        }
        ErrorCode::LoopbackPortInUse => core.replacen(
            "and have the test listen on it",
            "and pass it with --port",
            1,
        ),
        ErrorCode::FlowSecretFromTwoPlaces => format!(
            "unset {SECRET_VARIABLE} to test with the saved secret, or pipe the secret with --client-secret-stdin to test with that one"
        ),
        ErrorCode::LoopbackTimedOut => format!("{core}; --timeout gives more time"),
        ErrorCode::TokenError | ErrorCode::CallbackProviderError => {
            "`sso-setup explain` with the error text gives the cause and the fix".into()
        }
        ErrorCode::IdTokenWrongIssuer => "use the provider's exact issuer (see `sso-setup discover`)".into(),
        ErrorCode::ConnectionNotFound => "`sso-setup connection list` shows the saved connections".into(),
        ErrorCode::KeychainUnavailable if cfg!(target_os = "linux") => format!(
            "{core}. On a headless machine: dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; sso-setup ...'"
        ),
        _ => return core_hint.map(str::to_owned),
    };
    Some(own)
}

/// The message the command line prints for `code`, from the core's own message.
pub fn message(code: ErrorCode, core_message: &str) -> String {
    match code {
        ErrorCode::FlowSecretFromTwoPlaces => {
            format!("{SECRET_VARIABLE} is set, and --connection names a saved connection with its own secret")
        }
        ErrorCode::FlowMissingArgument => {
            let flag = if core_message.contains("client ID") { "--client-id" } else { "--issuer" };
            format!("{flag} is needed (or --connection with a saved connection)")
        }
        ErrorCode::IssuerShorthandNeedsProvider => core_message.replacen(
            "and a shorthand needs the identity provider it is for",
            "and shorthands need --idp to say which provider it is for",
            1,
        ),
        _ => core_message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rewrite starts from the core's current words: when the core's hint changes,
    /// a rewrite that no longer finds its text fails here instead of printing the core's.
    #[test]
    fn the_rewrites_find_the_core_s_words() {
        use sso_setup::catalog::redirect_uri::RedirectUriError;
        use sso_setup::error::UserFacingError as _;
        let needed = RedirectUriError::IdentityProviderNeeded {
            vendor: "Pelanor".into(),
            kind: "redirect URI",
            supported: "entra, okta".into(),
        };
        assert_eq!(hint(needed.code(), needed.hint().as_deref()).unwrap(), "add --idp with one of: entra, okta");
        let shorthand = sso_setup::oidc::issuer::normalise_issuer("acme", None, None).unwrap_err();
        assert!(message(shorthand.code(), &shorthand.to_string()).contains("shorthands need --idp"), "{shorthand}");
        let in_use =
            sso_setup::oidc::loopback::LoopbackError::PortInUse { address: "127.0.0.1".parse().unwrap(), port: 8400 };
        assert_eq!(
            hint(in_use.code(), in_use.hint().as_deref()).unwrap(),
            "close the program using port 8400, or register another port at the IdP and pass it with --port"
        );
        let pingone = sso_setup::oidc::issuer::normalise_issuer(
            "env-1",
            Some(sso_setup::catalog::identity_provider::IdentityProviderId::Pingone),
            None,
        )
        .unwrap();
        assert!(pingone.notes.iter().any(|text| note(text).contains("pass --region for eu")), "{:?}", pingone.notes);
        let supplied = RedirectUriError::SuppliedByVendor { vendor: "Pivott".into(), kind: "redirect URI" };
        assert!(hint(supplied.code(), supplied.hint().as_deref())
            .unwrap()
            .ends_with("`sso-setup check-uri --vendor pivott <URI>`"));
    }
}
