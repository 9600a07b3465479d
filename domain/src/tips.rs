//! Public tips: what a tip's text must be, and why a tip request is refused. Typed here,
//! worded at the edge (`app::refusals`).

/// Why a tip (or a message on it) is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TipRefused {
    TooShort,
    TooLong,
    ControlCharacters,
    /// Too many wrong receipts from this address: minutes to wait.
    Throttled(i64),
    /// Too many tips from this address: minutes to wait.
    TooManyTips(i64),
    /// The tip is closed; nothing more can be added.
    Closed,
}

/// The text of a tip or a message, trimmed: 10 to 5,000 characters, no control characters
/// but line breaks and tabs.
pub fn check_tip_text(text: &str) -> Result<String, TipRefused> {
    let t = text.trim();
    let n = t.chars().count();
    if n < 10 {
        return Err(TipRefused::TooShort);
    }
    if n > 5000 {
        return Err(TipRefused::TooLong);
    }
    if t.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TipRefused::ControlCharacters);
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tip_text_rules() {
        let long = "长".repeat(5001);
        for (text, want) in [
            ("太短", Err(TipRefused::TooShort)),
            (
                "  十个字十个字十个字十  ",
                Ok("十个字十个字十个字十".to_string()),
            ),
            (long.as_str(), Err(TipRefused::TooLong)),
            (
                "十个字十个字十个字十\u{7}",
                Err(TipRefused::ControlCharacters),
            ),
            (
                "第一行内容很长\n第二行内容",
                Ok("第一行内容很长\n第二行内容".to_string()),
            ),
        ] {
            assert_eq!(check_tip_text(text), want, "{text}");
        }
    }
}
