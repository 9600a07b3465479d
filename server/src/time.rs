//! Time display: the portal stores UTC milliseconds and shows Beijing time (UTC+8, no DST).

use chrono::{FixedOffset, TimeZone};

/// `2026-11-27 09:30:05` in UTC+8.
pub fn format_beijing(ms: i64) -> String {
    let tz = FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    tz.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn beijing_is_utc_plus_eight() {
        assert_eq!(super::format_beijing(0), "1970-01-01 08:00:00");
        assert_eq!(
            super::format_beijing(1_780_000_000_000),
            "2026-05-29 04:26:40"
        );
    }
}
