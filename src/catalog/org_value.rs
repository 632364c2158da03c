//! The per-customer value that goes into a vendor's URIs, and its validation.
//!
//! An admin who registers an attacker's URI at the IdP hands authorization codes to the
//! attacker (RFC 9700 §4.1), so the value is checked before it is substituted into any
//! template: only ASCII letters, digits, `-` and (where the vendor allows it) `_` ever
//! pass, whatever a profile says. That alone keeps every character with a meaning in a
//! URL (`/ ? # @ % \ .`, spaces, controls) and every look-alike letter (`а`, U+0430) out.
//! [`crate::redirect_uri`] then checks the result again.

use crate::error::UserFacingError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest value any profile may allow: a DNS label's limit, and far beyond any
/// vendor's identifiers seen so far.
pub const ORG_VALUE_MAX_LENGTH_LIMIT: usize = 63;

/// The characters a vendor allows in its org value. Every set is a subset of
/// `[A-Za-z0-9_-]`, so no profile can widen the value into URL syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgValueCharacters {
    /// `a-z`, `0-9` and `-`.
    LowercaseDigitsHyphen,
    /// `a-z`, `0-9`, `-` and `_`.
    LowercaseDigitsHyphenUnderscore,
    /// `A-Z`, `a-z`, `0-9`, `-` and `_`; case is kept exactly as typed.
    LettersDigitsHyphenUnderscore,
}

/// A vendor's rule for its org value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgValueRule {
    pub characters: OrgValueCharacters,
    /// At most [`ORG_VALUE_MAX_LENGTH_LIMIT`].
    pub max_length: usize,
}

impl OrgValueRule {
    /// The rule in words, as shown in error messages and forms.
    pub fn describe(&self) -> String {
        let characters = match self.characters {
            OrgValueCharacters::LowercaseDigitsHyphen => "lowercase letters a-z, digits 0-9 and hyphens (-)",
            OrgValueCharacters::LowercaseDigitsHyphenUnderscore => {
                "lowercase letters a-z, digits 0-9, hyphens (-) and underscores (_)"
            }
            OrgValueCharacters::LettersDigitsHyphenUnderscore => {
                "letters A-Z and a-z, digits 0-9, hyphens (-) and underscores (_)"
            }
        };
        format!("1 to {} characters: {characters}, not starting or ending with a hyphen", self.max_length)
    }

    fn allows(&self, character: char) -> bool {
        match self.characters {
            OrgValueCharacters::LowercaseDigitsHyphen => {
                character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-'
            }
            OrgValueCharacters::LowercaseDigitsHyphenUnderscore => {
                character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-' || character == '_'
            }
            OrgValueCharacters::LettersDigitsHyphenUnderscore => {
                character.is_ascii_alphanumeric() || character == '-' || character == '_'
            }
        }
    }
}

/// An org value that passed its vendor's rule. The only way to make one is
/// [`OrgValue::parse`], so every URI builder receives a checked value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OrgValue(String);

impl OrgValue {
    /// Checks `input` against `rule`. Nothing is trimmed or lower-cased on the admin's
    /// behalf: a value that differs from what the vendor issued must be noticed, not fixed
    /// silently. `value_name` is the vendor's name for the value, used in messages.
    pub fn parse(input: &str, rule: &OrgValueRule, value_name: &str) -> Result<OrgValue, OrgValueError> {
        let name = value_name.to_owned();
        let rule_text = rule.describe();
        let make = |problem: OrgValueProblem| OrgValueError {
            value_name: name.clone(),
            shown_value: escape_for_message(input),
            rule: rule_text.clone(),
            problem,
        };
        if input.is_empty() {
            return Err(make(OrgValueProblem::Empty));
        }
        let length = input.chars().count();
        if length > rule.max_length.min(ORG_VALUE_MAX_LENGTH_LIMIT) {
            return Err(make(OrgValueProblem::TooLong {
                length,
                max_length: rule.max_length.min(ORG_VALUE_MAX_LENGTH_LIMIT),
            }));
        }
        if input.contains("..") {
            return Err(make(OrgValueProblem::DotSegment));
        }
        for (index, character) in input.chars().enumerate() {
            let position = index + 1;
            if rule.allows(character) {
                continue;
            }
            let problem = if character.is_whitespace() {
                OrgValueProblem::Whitespace { position }
            } else if character.is_control() {
                OrgValueProblem::ControlCharacter { position, code_point: character as u32 }
            } else if !character.is_ascii() {
                OrgValueProblem::NonAscii { position, character, looks_like: ascii_look_alike(character) }
            } else if character.is_ascii_uppercase() {
                OrgValueProblem::Uppercase { position, character }
            } else {
                OrgValueProblem::NotAllowed { position, character }
            };
            return Err(make(problem));
        }
        if input.starts_with('-') || input.ends_with('-') {
            return Err(make(OrgValueProblem::EdgeHyphen));
        }
        Ok(OrgValue(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an org value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgValueProblem {
    Empty,
    TooLong { length: usize, max_length: usize },
    DotSegment,
    Whitespace { position: usize },
    ControlCharacter { position: usize, code_point: u32 },
    NonAscii { position: usize, character: char, looks_like: Option<char> },
    Uppercase { position: usize, character: char },
    NotAllowed { position: usize, character: char },
    EdgeHyphen,
}

/// An org value broke its vendor's rule. The message names the value, the problem and
/// the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value_name} {shown_value} is not valid: {problem}; {value_name} must be {rule}")]
pub struct OrgValueError {
    pub value_name: String,
    /// The value as typed, quoted and escaped so that control characters stay visible.
    pub shown_value: String,
    pub rule: String,
    pub problem: OrgValueProblem,
}

impl fmt::Display for OrgValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrgValueProblem::Empty => write!(f, "it is empty"),
            OrgValueProblem::TooLong { length, max_length } => {
                write!(f, "it is {length} characters long, more than {max_length}")
            }
            OrgValueProblem::DotSegment => write!(f, "it contains '..', which would climb out of the vendor's path"),
            OrgValueProblem::Whitespace { position } => write!(f, "it has white space at position {position}"),
            OrgValueProblem::ControlCharacter { position, code_point } => {
                write!(f, "it has the control character U+{code_point:04X} at position {position}")
            }
            OrgValueProblem::NonAscii { position, character, looks_like } => {
                write!(
                    f,
                    "'{character}' (U+{:04X}) at position {position} is not an ASCII character",
                    *character as u32
                )?;
                if let Some(ascii) = looks_like {
                    write!(f, " (it looks like '{ascii}' but is a different letter)")?;
                }
                Ok(())
            }
            OrgValueProblem::Uppercase { position, character } => {
                write!(f, "'{character}' at position {position} is an uppercase letter")
            }
            OrgValueProblem::NotAllowed { position, character } => {
                write!(f, "'{character}' at position {position} is not allowed")?;
                if let Some(reason) = url_meaning(*character) {
                    write!(f, " ({reason})")?;
                }
                Ok(())
            }
            OrgValueProblem::EdgeHyphen => write!(f, "it starts or ends with a hyphen"),
        }
    }
}

impl UserFacingError for OrgValueError {
    fn code(&self) -> crate::error::ErrorCode {
        match self.problem {
            OrgValueProblem::Empty => crate::error::ErrorCode::OrgValueEmpty,
            OrgValueProblem::TooLong { .. } => crate::error::ErrorCode::OrgValueTooLong,
            OrgValueProblem::DotSegment => crate::error::ErrorCode::OrgValueDotSegment,
            OrgValueProblem::Whitespace { .. } => crate::error::ErrorCode::OrgValueWhitespace,
            OrgValueProblem::ControlCharacter { .. } => crate::error::ErrorCode::OrgValueControlCharacter,
            OrgValueProblem::NonAscii { .. } => crate::error::ErrorCode::OrgValueNonAscii,
            OrgValueProblem::Uppercase { .. } => crate::error::ErrorCode::OrgValueUppercase,
            OrgValueProblem::NotAllowed { .. } => crate::error::ErrorCode::OrgValueCharacterNotAllowed,
            OrgValueProblem::EdgeHyphen => crate::error::ErrorCode::OrgValueEdgeHyphen,
        }
    }

    fn hint(&self) -> Option<String> {
        let name = &self.value_name;
        Some(match &self.problem {
            OrgValueProblem::Uppercase { .. } => format!(
                "type {name} exactly as the vendor issued it, in lowercase; a capital letter makes a different URI that the vendor will not recognise"
            ),
            OrgValueProblem::NonAscii { looks_like: Some(_), .. } => format!(
                "retype {name} by hand instead of pasting it: the pasted text contains a look-alike letter from another alphabet"
            ),
            OrgValueProblem::Whitespace { .. } | OrgValueProblem::ControlCharacter { .. } => format!(
                "copy {name} again without the surrounding spaces or line breaks"
            ),
            OrgValueProblem::NotAllowed { .. } | OrgValueProblem::DotSegment => format!(
                "pass only the {name} itself, not a URL or a path; the tool builds the URI around it"
            ),
            _ => format!("check {name} against the vendor's guide or ask the vendor for it"),
        })
    }
}

/// Quotes a value for a message (see [`escape_text`]), cut at 80 characters.
pub fn escape_for_message(value: &str) -> String {
    format!("'{}'", escape_text(value, 80))
}

/// Writes anything that is not printable ASCII as `<U+XXXX>`, so that a hidden control
/// character cannot hide in the output (letters of other alphabets are kept, so the admin
/// sees what was typed), and cuts the text after `max_characters` with "...".
pub fn escape_text(value: &str, max_characters: usize) -> String {
    let mut shown = String::new();
    for (index, character) in value.chars().enumerate() {
        if index == max_characters {
            shown.push_str("...");
            break;
        }
        if character.is_ascii_graphic() || character == ' ' || (character.is_alphabetic() && !character.is_ascii()) {
            shown.push(character);
        } else {
            shown.push_str(&format!("<U+{:04X}>", character as u32));
        }
    }
    shown
}

/// Letters from other scripts that render like ASCII letters in most fonts.
pub(crate) fn ascii_look_alike(character: char) -> Option<char> {
    let ascii = match character {
        // Cyrillic
        'а' => 'a',
        'с' => 'c',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'х' => 'x',
        'у' => 'y',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ӏ' => 'l',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'А' => 'A',
        'В' => 'B',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'К' => 'K',
        'М' => 'M',
        'О' => 'O',
        'Р' => 'P',
        'Т' => 'T',
        'Х' => 'X',
        // Greek
        'ο' => 'o',
        'α' => 'a',
        'ν' => 'v',
        'ι' => 'i',
        'κ' => 'k',
        'ρ' => 'p',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Χ' => 'X',
        'Υ' => 'Y',
        // Full-width forms and other compatibility letters fold to ASCII under NFKC.
        '\u{FF41}'..='\u{FF5A}' => char::from_u32(character as u32 - 0xFF41 + 'a' as u32)?,
        '\u{FF21}'..='\u{FF3A}' => char::from_u32(character as u32 - 0xFF21 + 'A' as u32)?,
        '\u{FF10}'..='\u{FF19}' => char::from_u32(character as u32 - 0xFF10 + '0' as u32)?,
        'ı' => 'i',
        _ => return None,
    };
    Some(ascii)
}

/// What an ASCII character would do inside a URL, for the message.
fn url_meaning(character: char) -> Option<&'static str> {
    Some(match character {
        '/' => "it would start a new path segment",
        '?' => "it would start a query string",
        '#' => "it would start a fragment",
        '@' => "it would turn what precedes it into a user name",
        '%' => "it starts a percent-encoded character",
        '\\' => "browsers read it as '/'",
        '.' => "dots can form '..' path segments",
        ':' => "it separates a scheme or a port",
        '_' => "this vendor's values have no underscores",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug_rule() -> OrgValueRule {
        OrgValueRule { characters: OrgValueCharacters::LowercaseDigitsHyphen, max_length: 63 }
    }

    #[test]
    fn accepts_a_plain_slug_unchanged() {
        let value = OrgValue::parse("acme-42", &slug_rule(), "organization_id").unwrap();
        assert_eq!(value.as_str(), "acme-42");
    }

    #[test]
    fn names_the_cyrillic_look_alike() {
        let error = OrgValue::parse("\u{0430}cme", &slug_rule(), "organization_id").unwrap_err();
        assert_eq!(
            error.problem,
            OrgValueProblem::NonAscii { position: 1, character: '\u{0430}', looks_like: Some('a') }
        );
        assert!(error.to_string().contains("U+0430"), "{error}");
        assert_eq!(error.code(), "org-value-non-ascii");
    }

    #[test]
    fn refuses_each_url_character_with_its_reason() {
        for character in ['/', '?', '#', '@', '%', '\\', '.', ':'] {
            let input = format!("acme{character}x");
            let error = OrgValue::parse(&input, &slug_rule(), "organization_id").unwrap_err();
            assert_eq!(error.problem, OrgValueProblem::NotAllowed { position: 5, character }, "{input}");
            assert!(error.to_string().contains('('), "the message explains '{character}': {error}");
        }
    }

    #[test]
    fn length_is_counted_in_characters_and_capped_by_the_global_limit() {
        let rule = OrgValueRule { characters: OrgValueCharacters::LowercaseDigitsHyphen, max_length: 500 };
        let error = OrgValue::parse(&"a".repeat(64), &rule, "x").unwrap_err();
        assert_eq!(error.problem, OrgValueProblem::TooLong { length: 64, max_length: 63 });
        assert!(OrgValue::parse(&"a".repeat(63), &rule, "x").is_ok());
    }

    #[test]
    fn control_characters_stay_visible_in_the_message() {
        let error = OrgValue::parse("acme\r\n", &slug_rule(), "organization_id").unwrap_err();
        assert!(error.to_string().contains("'acme<U+000D><U+000A>'"), "{error}");
    }
}
