//! The client secret in memory: a type that cannot be printed, logged or serialised by
//! accident, and that wipes its bytes when dropped.
//!
//! # Security
//! `ClientSecret` implements neither `Display`, `Serialize` nor `Clone`; its `Debug` prints
//! `ClientSecret(redacted)`. The only way to the characters is [`ClientSecret::expose`],
//! whose callers are few and easy to audit (the keychain, the token request, the bundle).

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

pub struct ClientSecret(SecretString);

impl ClientSecret {
    /// Takes ownership of the text. The caller's copy should itself be a zeroizing buffer
    /// or be dropped at once.
    pub fn new(value: String) -> ClientSecret {
        ClientSecret(SecretString::from(value))
    }

    /// Reads one line (a secret piped on standard input), without the trailing newline.
    pub fn from_line(mut line: zeroize::Zeroizing<String>) -> ClientSecret {
        while line.ends_with('\n') || line.ends_with('\r') {
            line.pop();
        }
        ClientSecret::new(std::mem::take(&mut *line))
    }

    /// The secret's characters, for the few places that must send or store them.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }

    /// Length in UTF-16 code units, the unit of the Windows Credential Manager's limit.
    pub fn utf16_length(&self) -> usize {
        self.expose().encode_utf16().count()
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = ClientSecret::new("s3cr3t-value".into());
        assert_eq!(format!("{secret:?}"), "ClientSecret(redacted)");
        assert!(!format!("{:?}", Some(&secret)).contains("s3cr3t"));
    }

    #[test]
    fn a_piped_line_loses_only_its_line_ending() {
        let secret = ClientSecret::from_line(zeroize::Zeroizing::new(" a b \r\n".to_owned()));
        assert_eq!(secret.expose(), " a b ");
    }
}
