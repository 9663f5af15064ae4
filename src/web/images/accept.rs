//! Which picture format a request's `Accept` header prefers.
//!
//! WebP is sent only to a client that names `image/webp` with a quality above
//! zero, at least as high as JPEG's (from `image/jpeg`, `image/*` or `*/*`,
//! the most specific that matches). A bare `*/*` or `image/*` does not count:
//! browsers without WebP send those for pictures too.

/// Whether the `Accept` header asks for WebP rather than JPEG.
pub fn prefers_webp(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    let ranges: Vec<(&str, f32)> = accept.split(',').filter_map(media_range).collect();
    let Some(webp) = quality_of(&ranges, "image/webp", true) else {
        return false;
    };
    let jpeg = quality_of(&ranges, "image/jpeg", false).unwrap_or(0.0);
    webp > 0.0 && webp >= jpeg
}

/// A media range and its quality (`q`, 1 when absent, 0 when unreadable).
fn media_range(item: &str) -> Option<(&str, f32)> {
    let mut parts = item.split(';');
    let range = parts.next()?.trim();
    if range.is_empty() {
        return None;
    }
    let mut q = 1.0;
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=') {
            if name.trim().eq_ignore_ascii_case("q") {
                q = value
                    .trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|q| (0.0..=1.0).contains(q))
                    .unwrap_or(0.0);
            }
        }
    }
    Some((range, q))
}

/// The quality given to `media_type` by its most specific matching range;
/// with `exact`, only a range naming it counts.
fn quality_of(ranges: &[(&str, f32)], media_type: &str, exact: bool) -> Option<f32> {
    let top = media_type.split('/').next().unwrap_or_default();
    let specificity = |range: &str| {
        if range.eq_ignore_ascii_case(media_type) {
            Some(3)
        } else if exact {
            None
        } else if range.split_once('/') == Some((top, "*")) {
            Some(2)
        } else if range == "*/*" {
            Some(1)
        } else {
            None
        }
    };
    ranges
        .iter()
        .filter_map(|(range, q)| specificity(range).map(|s| (s, *q)))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, q)| q)
}

#[cfg(test)]
mod tests {
    use super::prefers_webp;

    #[test]
    fn browsers_that_name_webp_get_it() {
        for accept in [
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            "image/webp,*/*",
            "IMAGE/WEBP",
            "image/jpeg;q=0.9, image/webp",
            "image/webp;q=0.5, image/*;q=0.5",
        ] {
            assert!(prefers_webp(Some(accept)), "{accept}");
        }
    }

    #[test]
    fn others_get_jpeg() {
        for accept in [
            "",
            "*/*",
            "image/*",
            "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5",
            "image/webp;q=0",
            "image/webp; q=0.0, */*",
            "image/webp;q=0.5, image/jpeg",
            "image/webp;q=nonsense",
            "image/webpx",
        ] {
            assert!(!prefers_webp(Some(accept)), "{accept}");
        }
        assert!(!prefers_webp(None));
    }
}
