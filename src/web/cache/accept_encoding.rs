//! Which of the cache's encodings a client takes, read from `Accept-Encoding`
//! with its q-values (RFC 9110 §12.5.3).
//!
//! A coding weighted `q=0` (or `0.0`, `0.000`) is refused; `*` stands for every
//! coding the header does not name; an entry whose weight is not a valid q-value
//! is ignored, as tower-http's compression layer ignores it. Between codings of
//! equal weight brotli wins, as it does in that layer.

use axum::http::{header, HeaderMap};

/// A compressed encoding the cache keeps beside the identity body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

/// The codings the cache keeps, most preferred first, with the names that mean them
/// (`x-gzip` is gzip, RFC 9110 §8.4.1.3).
const OFFERED: [(Coding, &[&str]); 2] = [
    (Coding::Brotli, &["br"]),
    (Coding::Gzip, &["gzip", "x-gzip"]),
];

/// The encoding to send, or `None` for the identity body: the offered coding with
/// the highest weight above zero.
pub fn preferred(headers: &HeaderMap) -> Option<Coding> {
    // The weight each offered coding is given by name, and the weight of `*`.
    let mut named: [Option<u16>; OFFERED.len()] = [None; OFFERED.len()];
    let mut star = None;
    let entries = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','));
    for entry in entries {
        let mut parts = entry.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let Some(weight) = weight(parts) else {
            continue;
        };
        let slot = if coding == "*" {
            &mut star
        } else if let Some(i) = OFFERED
            .iter()
            .position(|(_, names)| names.iter().any(|n| coding.eq_ignore_ascii_case(n)))
        {
            &mut named[i]
        } else {
            continue;
        };
        // A coding named twice keeps its first weight.
        slot.get_or_insert(weight);
    }
    let mut best: Option<(u16, Coding)> = None;
    for ((coding, _), weight) in OFFERED.iter().zip(named) {
        match weight.or(star) {
            Some(w) if w > 0 && best.is_none_or(|(b, _)| w > b) => best = Some((w, *coding)),
            _ => {}
        }
    }
    best.map(|(_, coding)| coding)
}

/// An entry's weight in thousandths from its parameters (`q=0.5` is 500); 1000
/// without a `q`, `None` when the `q` is not a valid q-value.
fn weight<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            return qvalue(value.trim());
        }
    }
    Some(1000)
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn qvalue(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .zip([100, 10, 1])
        .map(|(digit, place)| u16::from(digit - b'0') * place)
        .sum::<u16>();
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn pick(accept: &'static str) -> Option<Coding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
        preferred(&headers)
    }

    #[test]
    fn brotli_first_when_both_are_equally_welcome() {
        assert_eq!(pick("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(pick("br;q=0.8, gzip;q=0.8"), Some(Coding::Brotli));
        assert_eq!(pick("gzip"), Some(Coding::Gzip));
        assert_eq!(pick("x-gzip"), Some(Coding::Gzip));
        assert_eq!(pick("BR"), Some(Coding::Brotli));
    }

    #[test]
    fn a_zero_weight_refuses_however_it_is_written() {
        for accept in [
            "gzip, br;q=0",
            "gzip, br;q=0.0",
            "gzip, br;q=0.00",
            "gzip, br;q=0.000",
            "gzip, br; q=0",
            "gzip, br;Q=0.0",
            "gzip, br ; q = 0",
        ] {
            assert_eq!(pick(accept), Some(Coding::Gzip), "{accept}");
        }
        assert_eq!(pick("br;q=0, gzip;q=0"), None);
        assert_eq!(pick("gzip;q=0"), None);
    }

    #[test]
    fn the_higher_weight_wins() {
        assert_eq!(pick("gzip;q=0.5, br;q=0.1"), Some(Coding::Gzip));
        assert_eq!(pick("gzip;q=0.5, br;q=0.501"), Some(Coding::Brotli));
        assert_eq!(pick("gzip;q=1.0, br;q=0.999"), Some(Coding::Gzip));
        assert_eq!(pick("br;q=0.001"), Some(Coding::Brotli));
    }

    #[test]
    fn star_stands_for_the_codings_not_named() {
        assert_eq!(pick("*"), Some(Coding::Brotli));
        assert_eq!(pick("*;q=0"), None);
        assert_eq!(pick("gzip, *;q=0"), Some(Coding::Gzip));
        assert_eq!(pick("br;q=0, *"), Some(Coding::Gzip));
        assert_eq!(pick("identity, *;q=0"), None);
        assert_eq!(pick("gzip;q=0.2, *;q=0.5"), Some(Coding::Brotli));
    }

    #[test]
    fn identity_and_unknown_codings_get_the_plain_body() {
        assert_eq!(pick("identity"), None);
        assert_eq!(pick("deflate, zstd"), None);
        assert_eq!(pick(""), None);
        assert_eq!(preferred(&HeaderMap::new()), None);
    }

    #[test]
    fn malformed_weights_are_ignored() {
        // Not q-values: the entry is skipped, so the coding counts as not named.
        for accept in [
            "br;q=2",
            "br;q=1.5",
            "br;q=0.0001",
            "br;q=abc",
            "br;q=",
            "br;q=-1",
        ] {
            assert_eq!(pick(accept), None, "{accept}");
        }
        assert_eq!(pick("br;q=high, gzip"), Some(Coding::Gzip));
        // Other parameters are not weights.
        assert_eq!(pick("br;level=0"), Some(Coding::Brotli));
    }

    #[test]
    fn several_header_lines_are_read_together() {
        let mut headers = HeaderMap::new();
        headers.append(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        headers.append(header::ACCEPT_ENCODING, HeaderValue::from_static("br;q=0"));
        assert_eq!(preferred(&headers), Some(Coding::Gzip));
    }
}
