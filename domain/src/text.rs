//! Rules for user text that apply to every feature: the Unicode direction controls that can
//! make a name display as something else.

/// The bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
/// (U+2066–U+2069) and the implicit marks (U+200E, U+200F, U+061C). An override in a file name
/// makes `invoice\u{202e}fdp.exe` display as `invoiceexe.pdf`; names and file names refuse
/// them ([`has_direction_controls`]), other text is shown isolated (`<bdi>`, `dir="auto"`).
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` holds a direction control ([`is_direction_control`]).
pub fn has_direction_controls(s: &str) -> bool {
    s.chars().any(is_direction_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_controls_are_recognised() {
        for (s, want) in [
            ("invoice\u{202e}fdp.exe", true),
            ("\u{202a}x", true),
            ("\u{2066}张\u{2069}", true),
            ("a\u{200f}b", true),
            ("\u{061c}", true),
            ("张法官 Judge Zhang", false),
            ("عربي", false),
            ("a\u{200d}b", false),
        ] {
            assert_eq!(has_direction_controls(s), want, "{s:?}");
        }
    }
}
