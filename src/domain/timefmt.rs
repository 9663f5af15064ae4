//! How times are written on pages: "15:04 GMT, Sunday, 8 February 2009" in the site's time zone.

use jiff::{tz::TimeZone, Timestamp};

/// The zone used when none is configured: GMT, as on the reference page.
pub const DEFAULT_TIME_ZONE: &str = "GMT";

/// Looks up a time zone by its IANA name (e.g. `Europe/London`, `GMT`).
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name).map_err(|_| {
        format!(
            "unknown time zone {} (use an IANA name such as GMT or Europe/London)",
            crate::domain::text::quoted(name)
        )
    })
}

/// "15:04 GMT, Sunday, 8 February 2009": the time stamp of the reference page.
pub fn long_stamp(at: Timestamp, tz: &TimeZone) -> String {
    let zoned = at.to_zoned(tz.clone());
    zoned.strftime("%H:%M %Z, %A, %-d %B %Y").to_string()
}

/// "8 February 2009", for lists and the print view.
pub fn short_date(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%-d %B %Y").to_string()
}

/// "14:32 GMT", for the posts of a live page.
pub fn clock_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M %Z").to_string()
}

/// "14:32" in the site's time zone, for the newsroom's autosave and presence notes.
pub fn hours_minutes(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// "14:32:05" in the site's time zone: when an autosave reached the server.
pub fn hours_minutes_seconds(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M:%S").to_string()
}

/// RFC 3339 in UTC, for `<time datetime>` and structured data.
pub fn rfc3339(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An HTTP date (RFC 9110 IMF-fixdate), for `Last-Modified`.
pub fn http_date(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Reads an HTTP date (`If-Modified-Since`) as Unix seconds: IMF-fixdate, and the
/// obsolete RFC 850 and asctime forms recipients must accept (RFC 9110 §5.6.7).
pub fn parse_http_date(text: &str) -> Option<i64> {
    let text = text.trim();
    let parsed = [
        "%a, %d %b %Y %H:%M:%S GMT",
        "%A, %d-%b-%y %H:%M:%S GMT",
        "%a %b %e %H:%M:%S %Y",
    ]
    .iter()
    .find_map(|format| jiff::civil::DateTime::strptime(format, text).ok())?;
    parsed
        .to_zoned(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// RFC 822 date for RSS, in UTC.
pub fn rfc822(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// Seconds since the epoch to a timestamp; out-of-range values clamp to the epoch.
pub fn from_unix(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn reference_page_stamp_in_gmt() {
        let gmt = time_zone(DEFAULT_TIME_ZONE).unwrap();
        assert_eq!(
            long_stamp(ts("2009-02-08T15:04:00Z"), &gmt),
            "15:04 GMT, Sunday, 8 February 2009"
        );
    }

    #[test]
    fn named_zone_uses_local_time_and_abbreviation() {
        let london = time_zone("Europe/London").unwrap();
        assert_eq!(
            long_stamp(ts("2026-07-01T08:30:00Z"), &london),
            "09:30 BST, Wednesday, 1 July 2026"
        );
        assert_eq!(
            long_stamp(ts("2026-01-01T08:30:00Z"), &london),
            "08:30 GMT, Thursday, 1 January 2026"
        );
        let new_york = time_zone("America/New_York").unwrap();
        assert_eq!(
            long_stamp(ts("2026-11-29T03:15:00Z"), &new_york),
            "22:15 EST, Saturday, 28 November 2026"
        );
    }

    #[test]
    fn midnight_is_zero_hours_of_the_new_day() {
        let gmt = time_zone("GMT").unwrap();
        assert_eq!(
            long_stamp(ts("2026-11-30T00:00:00Z"), &gmt),
            "00:00 GMT, Monday, 30 November 2026"
        );
        let tokyo = time_zone("Asia/Tokyo").unwrap();
        assert_eq!(
            long_stamp(ts("2026-11-29T15:00:00Z"), &tokyo),
            "00:00 JST, Monday, 30 November 2026"
        );
    }

    #[test]
    fn leap_day() {
        let gmt = time_zone("GMT").unwrap();
        assert_eq!(
            long_stamp(ts("2028-02-29T23:59:00Z"), &gmt),
            "23:59 GMT, Tuesday, 29 February 2028"
        );
        assert_eq!(
            short_date(ts("2024-02-29T12:00:00Z"), &gmt),
            "29 February 2024"
        );
    }

    #[test]
    fn unknown_zone_is_a_clear_error() {
        assert!(time_zone("Mars/Olympus")
            .unwrap_err()
            .contains("Mars/Olympus"));
    }

    #[test]
    fn http_and_rss_dates() {
        assert_eq!(
            http_date(ts("2009-02-08T15:04:00Z")),
            "Sun, 08 Feb 2009 15:04:00 GMT"
        );
        assert_eq!(
            rfc822(ts("2009-02-08T15:04:00Z")),
            "Sun, 08 Feb 2009 15:04:00 +0000"
        );
    }

    #[test]
    fn http_dates_are_read_in_every_form() {
        let at = ts("1994-11-06T08:49:37Z").as_second();
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(text), Some(at), "{text}");
        }
        let written = http_date(ts("2026-12-04T23:31:08Z"));
        assert_eq!(
            parse_http_date(&written),
            Some(ts("2026-12-04T23:31:08Z").as_second())
        );
        for bad in [
            "",
            "yesterday",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "1994-11-06",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc3339_is_utc() {
        assert_eq!(rfc3339(ts("2009-02-08T15:04:00Z")), "2009-02-08T15:04:00Z");
    }
}
