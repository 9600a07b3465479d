//! Time display: the portal stores UTC milliseconds and shows Beijing time (UTC+8, no DST).

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

/// Beijing time, UTC+8.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("utc"))
}

/// `2026-11-27 09:30:05` in UTC+8.
pub fn format_beijing(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Parses a Beijing local time as typed in a form (`2026-12-01T09:00`) or an RFC 3339 time.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|n| beijing().from_local_datetime(&n).single())
        .map(|t| t.timestamp_millis())
}

/// A time as a form value (`2026-12-01T09:00`, Beijing).
pub fn form_time(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A time as RFC 3339 with `+08:00`, for the API.
pub fn rfc3339(ms: i64) -> String {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// `2026-12-01 09:00–11:00` (or both dates when the event spans days).
pub fn when(starts: i64, ends: i64) -> String {
    let a = format_beijing(starts);
    let b = format_beijing(ends);
    let (da, ta) = a.split_once(' ').unwrap_or((&a, ""));
    let (db, tb) = b.split_once(' ').unwrap_or((&b, ""));
    if da == db {
        format!("{da} {}–{}", &ta[..ta.len().min(5)], &tb[..tb.len().min(5)])
    } else {
        format!(
            "{da} {} – {db} {}",
            &ta[..ta.len().min(5)],
            &tb[..tb.len().min(5)]
        )
    }
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
