//! Time conversions: MLMD's epoch milliseconds to UTC ISO 8601, and user dates to epoch ms.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{Error, Result};

/// Formats epoch milliseconds as UTC ISO 8601 with milliseconds; `None` when out of range.
///
/// ```
/// assert_eq!(mlmd_lens::iso_from_ms(0).as_deref(), Some("1970-01-01T00:00:00.000Z"));
/// ```
pub fn iso_from_ms(ms: i64) -> Option<String> {
    let t = DateTime::<Utc>::from_timestamp_millis(ms)?;
    // RFC 3339 writes the same text for four-digit years, without parsing a format string
    // per call (a page of rows formats two times per row); other years keep their sign.
    if (0..=9999).contains(&t.year()) {
        Some(t.to_rfc3339_opts(SecondsFormat::Millis, true))
    } else {
        Some(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    }
}

/// Which end of a day a date-only bound means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEnd {
    /// `2026-01-31` means 2026-01-31T00:00:00.000Z.
    Start,
    /// `2026-01-31` means 2026-01-31T23:59:59.999Z (an inclusive upper bound).
    End,
}

/// Parses a user-given time: `2026-01-31`, `2026-01-31T10:00:00Z` (any RFC 3339),
/// `2026-01-31T10:00`, `2026-01-31 10:00:00` (UTC), or epoch milliseconds.
///
/// # Errors
/// [`Error::InvalidArgument`] naming the text when it is none of these.
///
/// ```
/// use mlmd_lens::{parse_time_ms, DayEnd};
/// assert_eq!(parse_time_ms("1970-01-02", DayEnd::Start).unwrap(), 86_400_000);
/// assert_eq!(parse_time_ms("1970-01-01", DayEnd::End).unwrap(), 86_399_999);
/// ```
pub fn parse_time_ms(text: &str, end: DayEnd) -> Result<i64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && t.len() > 8 {
        if let Ok(ms) = t.parse::<i64>() {
            return Ok(ms);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let time = match end {
            DayEnd::Start => d.and_hms_milli_opt(0, 0, 0, 0),
            DayEnd::End => d.and_hms_milli_opt(23, 59, 59, 999),
        };
        if let Some(dt) = time {
            return Ok(dt.and_utc().timestamp_millis());
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_millis());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt.and_utc().timestamp_millis());
        }
    }
    Err(Error::InvalidArgument(format!(
        "cannot read {t:?} as a date: use YYYY-MM-DD, an ISO date-time such as 2026-01-31T10:00:00Z, or epoch milliseconds"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_from_ms_writes_the_format_string_s_text() {
        let slow = |ms| {
            DateTime::<Utc>::from_timestamp_millis(ms)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        };
        let mut ms = -62_167_219_200_000i64 - 86_400_000; // the day before 0000-01-01
        let mut checked = 0;
        while ms < 253_402_300_800_000 + 86_400_000 {
            for m in [ms, ms + 1, ms + 999, ms - 1] {
                assert_eq!(iso_from_ms(m), slow(m), "{m}");
            }
            ms += 997_331_117_773; // about 31 years, every field varies
            checked += 1;
        }
        assert!(checked > 300);
        for m in [i64::MIN, i64::MAX, 8_210_298_412_799_999, -8_334_601_228_800_000, 0] {
            assert_eq!(iso_from_ms(m), slow(m), "{m}");
        }
    }

    #[test]
    fn parses_every_accepted_form() {
        let base = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        assert_eq!(parse_time_ms("2026-01-01", DayEnd::Start).unwrap(), base);
        assert_eq!(parse_time_ms("2026-01-01", DayEnd::End).unwrap(), base + 86_399_999);
        assert_eq!(parse_time_ms("2026-01-01T01:00:00Z", DayEnd::Start).unwrap(), base + 3_600_000);
        assert_eq!(
            parse_time_ms("2026-01-01T02:00:00+01:00", DayEnd::Start).unwrap(),
            base + 3_600_000
        );
        assert_eq!(parse_time_ms("2026-01-01 01:00", DayEnd::Start).unwrap(), base + 3_600_000);
        assert_eq!(parse_time_ms("1767225600000", DayEnd::Start).unwrap(), base);
        assert!(parse_time_ms("yesterday-ish", DayEnd::Start).is_err());
        assert!(parse_time_ms("2026-13-01", DayEnd::Start).is_err());
    }

    #[test]
    fn formats_iso_with_millis() {
        assert_eq!(iso_from_ms(1_767_225_600_123).unwrap(), "2026-01-01T00:00:00.123Z");
    }
}
