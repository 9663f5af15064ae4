//! How times are written on pages: "15:04 GMT, Sunday, 8 February 2009" in the site's time zone.

use jiff::{tz::TimeZone, Timestamp};

use super::edition::Edition;

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

/// How an edition writes its times: English by hand (the reference page's
/// words), every other language from CLDR through ICU4X, Gregorian calendar,
/// Western digits, in the edition's zone.
pub fn edition_long_stamp(at: Timestamp, edition: &Edition) -> String {
    match cldr_locale(edition) {
        None => long_stamp(at, &edition.time_zone),
        Some(locale) => cldr::long_stamp(at, edition, &locale),
    }
}

/// "8 February 2009" in the edition's language and zone.
pub fn edition_short_date(at: Timestamp, edition: &Edition) -> String {
    match cldr_locale(edition) {
        None => short_date(at, &edition.time_zone),
        Some(locale) => cldr::short_date(at, &edition.time_zone, &locale),
    }
}

/// "14:32 GMT" in the edition's language and zone.
pub fn edition_clock_time(at: Timestamp, edition: &Edition) -> String {
    match cldr_locale(edition) {
        None => clock_time(at, &edition.time_zone),
        Some(locale) => cldr::clock_time(at, edition, &locale),
    }
}

/// A time zone's name as the edition's language says it ("Лондон", "غرينتش"),
/// for "times are in …" lines; English keeps the IANA name it is configured by.
pub fn edition_zone_name(zone_name: &str, at: Timestamp, edition: &Edition) -> String {
    match cldr_locale(edition) {
        None => zone_name.to_string(),
        Some(locale) => cldr::zone_name(zone_name, at, &locale),
    }
}

/// The ICU4X locale of an edition, `None` for English (written by hand, as the
/// reference page is). Western digits (`-u-nu-latn`), as the Arabic edition's
/// stories use, and the 24-hour clock (`-u-hc-h23`) of every edition's news.
fn cldr_locale(edition: &Edition) -> Option<icu_locale_core::Locale> {
    if edition.language == "en" || edition.language.starts_with("en-") {
        return None;
    }
    let tag = format!("{}-u-hc-h23-nu-latn", edition.language);
    tag.parse()
        .or_else(|_| edition.language.parse())
        .ok()
        .or_else(|| "und".parse().ok())
}

/// Dates and times from CLDR (ICU4X compiled data). Formatters are made per
/// call: with compiled data that is cheap, and pages are cached.
mod cldr {
    use icu_calendar::{Date, Gregorian};
    use icu_datetime::fieldsets::{
        self,
        zone::{ExemplarCity, GenericLong, SpecificLong, SpecificShort},
        Combo,
    };
    use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
    use icu_locale_core::Locale;
    use icu_time::zone::{UtcOffset, ZoneNameTimestamp};
    use icu_time::{Time, TimeZone as IcuZone, ZonedDateTime};
    use jiff::{tz::TimeZone, Timestamp, Zoned};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;

    use crate::domain::edition::Edition;

    fn local(at: Timestamp, tz: &TimeZone) -> Zoned {
        at.to_zoned(tz.clone())
    }

    fn date(z: &Zoned) -> Option<Date<Gregorian>> {
        Date::try_new_gregorian(i32::from(z.year()), z.month() as u8, z.day() as u8).ok()
    }

    fn time(z: &Zoned) -> Option<Time> {
        Time::try_new(z.hour() as u8, z.minute() as u8, 0, 0).ok()
    }

    /// The date, time and zone of `at` in the edition's zone, for ICU4X.
    fn zoned(
        at: Timestamp,
        edition: &Edition,
    ) -> Option<ZonedDateTime<Gregorian, icu_time::TimeZoneInfo<icu_time::zone::models::AtTime>>>
    {
        let z = local(at, &edition.time_zone);
        let offset = UtcOffset::try_from_seconds(z.offset().seconds()).ok();
        let zone = IcuZone::from_iana_id(&edition.time_zone_name)
            .with_offset(offset)
            .with_zone_name_timestamp(ZoneNameTimestamp::from_epoch_seconds(at.as_second()));
        Some(ZonedDateTime {
            date: date(&z)?,
            time: time(&z)?,
            zone,
        })
    }

    /// Formatters made once per thread and locale: making one loads and
    /// checks CLDR data, many times the cost of using it, and list pages
    /// format a date for every story they list.
    struct Kept<F>(RefCell<HashMap<String, Option<Rc<F>>>>);

    impl<F> Kept<F> {
        fn new() -> Self {
            Kept(RefCell::new(HashMap::new()))
        }

        fn get(&self, locale: &Locale, make: impl FnOnce() -> Option<F>) -> Option<Rc<F>> {
            let key = locale.to_string();
            if let Some(kept) = self.0.borrow().get(&key) {
                return kept.clone();
            }
            let made = make().map(Rc::new);
            self.0.borrow_mut().insert(key, made.clone());
            made
        }
    }

    type LongStamp =
        FixedCalendarDateTimeFormatter<Gregorian, Combo<fieldsets::YMDET, SpecificLong>>;
    type ShortDate = FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>;
    type ClockTime = FixedCalendarDateTimeFormatter<Gregorian, Combo<fieldsets::T, SpecificShort>>;

    thread_local! {
        static LONG_STAMPS: Kept<LongStamp> = Kept::new();
        static SHORT_DATES: Kept<ShortDate> = Kept::new();
        static CLOCK_TIMES: Kept<ClockTime> = Kept::new();
    }

    pub fn long_stamp(at: Timestamp, edition: &Edition, locale: &Locale) -> String {
        let formatter = LONG_STAMPS.with(|kept| {
            kept.get(locale, || {
                let fset = fieldsets::YMDE::long()
                    .with_time_hm()
                    .with_zone(SpecificLong);
                FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), fset).ok()
            })
        });
        formatter
            .zip(zoned(at, edition))
            .map(|(f, z)| f.format(&z).to_string())
            .unwrap_or_else(|| super::long_stamp(at, &edition.time_zone))
    }

    pub fn short_date(at: Timestamp, tz: &TimeZone, locale: &Locale) -> String {
        let z = local(at, tz);
        let formatter = SHORT_DATES.with(|kept| {
            kept.get(locale, || {
                FixedCalendarDateTimeFormatter::try_new(
                    locale.clone().into(),
                    fieldsets::YMD::long(),
                )
                .ok()
            })
        });
        formatter
            .zip(date(&z))
            .map(|(f, d)| f.format(&d).to_string())
            .unwrap_or_else(|| super::short_date(at, tz))
    }

    /// The zone's city in the language (CLDR's exemplar city: "لندن"), or for a
    /// zone with no city (GMT, UTC) its generic name at `at` ("توقيت غرينتش");
    /// the IANA name when CLDR has neither.
    pub fn zone_name(zone_name: &str, at: Timestamp, locale: &Locale) -> String {
        let zone = IcuZone::from_iana_id(zone_name);
        // One formatter for both: the zone's city, and CLDR's "unknown city" it must not be.
        let city = NoCalendarFormatter::try_new(locale.clone().into(), ExemplarCity)
            .ok()
            .and_then(|f| {
                let city_of = |zone: IcuZone| f.format(&zone.without_offset()).to_string();
                let city = city_of(zone);
                (!city.is_empty() && city != city_of(IcuZone::UNKNOWN)).then_some(city)
            });
        let generic = || {
            let at_time = zone
                .with_offset(None)
                .with_zone_name_timestamp(ZoneNameTimestamp::from_epoch_seconds(at.as_second()));
            NoCalendarFormatter::try_new(locale.clone().into(), GenericLong)
                .ok()
                .map(|f| f.format(&at_time).to_string())
        };
        city.or_else(generic)
            .unwrap_or_else(|| zone_name.to_string())
    }

    pub fn clock_time(at: Timestamp, edition: &Edition, locale: &Locale) -> String {
        let formatter = CLOCK_TIMES.with(|kept| {
            kept.get(locale, || {
                let fset = fieldsets::T::hm().with_zone(SpecificShort);
                FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), fset).ok()
            })
        });
        formatter
            .zip(zoned(at, edition))
            .map(|(f, z)| f.format(&z).to_string())
            .unwrap_or_else(|| super::clock_time(at, &edition.time_zone))
    }
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

    fn edition(language: &str, zone: &str) -> Edition {
        let mut e = crate::domain::edition::english("Dateline", time_zone(zone).unwrap(), zone);
        e.language = language.to_string();
        e
    }

    #[test]
    fn english_editions_keep_the_reference_stamp() {
        let en = edition("en-GB", "GMT");
        let at = ts("2009-02-08T15:04:00Z");
        assert_eq!(
            edition_long_stamp(at, &en),
            "15:04 GMT, Sunday, 8 February 2009"
        );
        assert_eq!(edition_short_date(at, &en), "8 February 2009");
        assert_eq!(edition_clock_time(at, &en), "15:04 GMT");
    }

    #[test]
    fn other_languages_come_from_cldr() {
        let at = ts("2009-02-08T15:04:00Z");
        let ar = edition("ar", "GMT");
        let ru = edition("ru", "Europe/Moscow");
        for (e, month) in [(&ar, "فبراير"), (&ru, "февраля")] {
            let long = edition_long_stamp(at, e);
            let short = edition_short_date(at, e);
            let clock = edition_clock_time(at, e);
            eprintln!("{long} | {short} | {clock}");
            assert!(
                long.contains(month) && short.contains(month),
                "{long} / {short}"
            );
            assert!(
                long.contains("2009") && !long.contains("February"),
                "{long}"
            );
        }
        assert!(edition_long_stamp(at, &ar).contains("15:04"));
        assert!(edition_long_stamp(at, &ru).contains("18:04"));
    }

    #[test]
    fn zone_names_are_in_the_language() {
        let at = ts("2026-07-01T12:00:00Z");
        let names = |zone: &str| {
            [("en-GB", zone), ("ar", zone), ("ru", zone)]
                .map(|(language, zone)| edition_zone_name(zone, at, &edition(language, zone)))
        };
        let london = names("Europe/London");
        let gmt = names("GMT");
        let moscow = names("Europe/Moscow");
        assert_eq!(london[0], "Europe/London");
        assert_eq!(london[1], "لندن");
        assert_eq!(london[2], "Лондон");
        assert_eq!(moscow[2], "Москва");
        // GMT has no city: its name, not CLDR's "unknown city".
        assert_eq!(gmt[1], "توقيت غرينتش");
        assert_eq!(gmt[2], "Среднее время по Гринвичу");
    }
}
