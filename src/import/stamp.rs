//! Time stamps as legacy pages write them: "15:04 GMT, Sunday, 8 February 2009",
//! "2009/02/08 15:04:12 GMT", RFC 3339 and plain dates.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses any of the accepted forms; `None` when the text is not a time stamp.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim().trim_end_matches('.').trim();
    if text.is_empty() || text.len() > 100 {
        return None;
    }
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    if let Ok(zoned) = text.parse::<jiff::Zoned>() {
        return Some(zoned.timestamp());
    }
    if let Ok(date) = text.parse::<Date>() {
        return date.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    long_form(text).or_else(|| slashed_form(text))
}

/// "15:04 GMT, Sunday, 8 February 2009" (the weekday is optional and not checked).
fn long_form(text: &str) -> Option<Timestamp> {
    let text = text.strip_prefix("at ").unwrap_or(text);
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let (clock, date) = match parts.as_slice() {
        [clock, _, date] | [clock, date] => (*clock, *date),
        _ => return None,
    };
    let (time, zone) = clock.split_once(' ')?;
    let offset = zone_offset(zone.trim())?;
    let mut date_words = date.split_whitespace();
    let day: i8 = date_words.next()?.parse().ok()?;
    let month = date_words.next()?.to_lowercase();
    let month = MONTHS.iter().position(|m| *m == month)? as i8 + 1;
    let year: i16 = date_words.next()?.parse().ok()?;
    if date_words.next().is_some() {
        return None;
    }
    let date = Date::new(year, month, day).ok()?;
    at(date, clock_time(time)?, offset)
}

/// "2009/02/08 15:04:12 GMT", the form of older pages' "Published:" lines.
fn slashed_form(text: &str) -> Option<Timestamp> {
    let mut words = text.split_whitespace();
    let mut ymd = words.next()?.split('/');
    let year: i16 = ymd.next()?.parse().ok()?;
    let month: i8 = ymd.next()?.parse().ok()?;
    let day: i8 = ymd.next()?.parse().ok()?;
    let time = clock_time(words.next()?)?;
    let offset = zone_offset(words.next().unwrap_or("GMT"))?;
    if ymd.next().is_some() || words.next().is_some() {
        return None;
    }
    at(Date::new(year, month, day).ok()?, time, offset)
}

fn at(date: Date, time: Time, offset: Offset) -> Option<Timestamp> {
    offset.to_timestamp(DateTime::from_parts(date, time)).ok()
}

/// "15:04" or "15:04:12".
fn clock_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':');
    let hour: i8 = parts.next()?.parse().ok()?;
    let minute: i8 = parts.next()?.parse().ok()?;
    let second: i8 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Time::new(hour, minute, second, 0).ok()
}

/// The zone abbreviations old British and international pages used, or `+hh:mm`.
fn zone_offset(zone: &str) -> Option<Offset> {
    let hours = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UTC" | "UT" | "Z" | "WET" => 0,
        "BST" | "CET" | "WEST" | "IST" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "EST" => -5,
        "EDT" | "AST" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        other => {
            let (sign, rest) = match other.as_bytes().first()? {
                b'+' => (1, &other[1..]),
                b'-' => (-1, &other[1..]),
                _ => return None,
            };
            let digits: String = rest.chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let h: i32 = digits[..2].parse().ok()?;
            let m: i32 = digits[2..].parse().ok()?;
            return Offset::from_seconds(sign * (h * 3600 + m * 60)).ok();
        }
    };
    Offset::from_hours(hours).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn reads_every_form() {
        let cases = [
            ("15:04 GMT, Sunday, 8 February 2009", "2009-02-08T15:04:00Z"),
            ("09:30 BST, Tuesday, 14 July 2009", "2009-07-14T08:30:00Z"),
            ("at 23:59 GMT, 31 December 2008.", "2008-12-31T23:59:00Z"),
            ("2009/02/08 15:04:12 GMT", "2009-02-08T15:04:12Z"),
            ("2009-02-08T15:04:00+01:00", "2009-02-08T14:04:00Z"),
            ("2009-02-08", "2009-02-08T00:00:00Z"),
            ("10:00 +0530, 2 March 2010", "2010-03-02T04:30:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Some(utc(expected)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_stamp() {
        for text in [
            "",
            "yesterday",
            "25:00 GMT, Sunday, 8 February 2009",
            "15:04 XYZ, Sunday, 8 February 2009",
            "15:04 GMT, Sunday, 30 February 2009",
            "15:04 GMT, Sunday, 8 Brumaire 2009",
            "2009/13/01 10:00 GMT",
            "10:00 +é0530, 2 March 2010",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
