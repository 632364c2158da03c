//! Text from outside (an identity provider, a vendor profile file, a bundle) on its way to a
//! terminal.
//!
//! A terminal obeys some characters instead of showing them: ESC starts sequences that move
//! the cursor, rewrite the window title, or (in some terminals) write files; BEL rings; C1
//! controls (U+0080 to U+009F) act like ESC sequences in many terminals; and the Unicode
//! bidirectional overrides (U+202A to U+202E, U+2066 to U+2069) reorder what is shown, so
//! `https://evil.example/` + U+202E + `moc.elpmaxe` reads as another host. A hostile provider controls
//! claim names and values and error descriptions; a vendor profile or a bundle is a file
//! someone sent. Every such character is therefore shown visibly as `<U+XXXX>`.
//!
//! The command line sends every line it writes through [`escape_lines_for_terminal`] (and
//! its JSON through [`escape_json_for_terminal`]), so no call site can forget; a field that
//! must stay on one line (a claim name) goes through [`escape_for_terminal`] first, so it
//! cannot start a line of its own that looks like the tool's.

use std::borrow::Cow;

/// True for a character a terminal may act on rather than show: every control character
/// (C0, DEL, C1), the format characters that reorder or hide text (bidi controls, zero-width
/// characters, the BOM, tag characters), and the line and paragraph separators.
pub fn acts_on_a_terminal(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

fn escape_where(text: &str, escape: impl Fn(char) -> bool, write: impl Fn(&mut String, char)) -> Cow<'_, str> {
    if !text.chars().any(&escape) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if escape(character) {
            write(&mut shown, character);
        } else {
            shown.push(character);
        }
    }
    Cow::Owned(shown)
}

fn write_code_point(shown: &mut String, character: char) {
    shown.push_str(&format!("<U+{:04X}>", character as u32));
}

/// One field, on one line: every character a terminal may act on, newlines and tabs
/// included, is written as `<U+XXXX>`.
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    escape_where(text, acts_on_a_terminal, write_code_point)
}

/// Text the tool lays out in lines itself: the same, but its own newlines stay.
pub fn escape_lines_for_terminal(text: &str) -> Cow<'_, str> {
    escape_where(text, |character| character != '\n' && acts_on_a_terminal(character), write_code_point)
}

/// A JSON document for a terminal: the same characters, written as JSON escapes (`\u202e`),
/// so the document still parses to exactly the same values. serde_json already escapes C0
/// controls inside strings; outside strings valid JSON holds only its own white space, which
/// stays.
pub fn escape_json_for_terminal(json: &str) -> Cow<'_, str> {
    escape_where(
        json,
        |character| !matches!(character, '\n' | '\r' | '\t') && acts_on_a_terminal(character),
        |shown, character| {
            let mut units = [0u16; 2];
            for unit in character.encode_utf16(&mut units) {
                shown.push_str(&format!("\\u{unit:04x}"));
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_shown_not_obeyed() {
        let hostile = "ok\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}moc.elpmaxe\u{2066}x\u{200b}\u{feff}\u{e0041}";
        let shown = escape_for_terminal(hostile);
        assert_eq!(shown, "ok<U+001B>]0;pwned<U+0007><U+009B>31m<U+202E>moc.elpmaxe<U+2066>x<U+200B><U+FEFF><U+E0041>");
        assert!(!shown.chars().any(acts_on_a_terminal));
    }

    #[test]
    fn ordinary_text_of_any_script_is_kept_as_it_is() {
        for text in ["Pelanor", "Entra admin center → App registrations", "Zoë Ødegård", "日本語", "🙂 ok"] {
            assert!(matches!(escape_for_terminal(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn newlines_stay_only_where_the_tool_lays_out_lines() {
        assert_eq!(escape_for_terminal("a\nb\tc"), "a<U+000A>b<U+0009>c");
        assert_eq!(escape_lines_for_terminal("a\nb\tc\u{1b}"), "a\nb<U+0009>c<U+001B>");
    }

    #[test]
    fn json_stays_the_same_document() {
        let value = serde_json::json!({"name": "x\u{202e}y\u{9b}\u{1b}", "tag": "\u{e0041}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let shown = escape_json_for_terminal(&text);
        assert!(!shown.chars().any(|c| c != '\n' && acts_on_a_terminal(c)), "{shown}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&shown).unwrap(), value);
    }
}
