//! Lossy WebP renditions, sent to browsers that accept them (`web::images`).
//!
//! The quality is the lowest whose mean SSIM against the source matches the
//! JPEG rendition's on the demo's pictures; the measurement and its figures
//! are in docs/ARCHITECTURE.md ("Pictures"), made with `examples/webp_savings.rs`.

use image::RgbImage;

use super::MediaError;

/// The content type of a WebP rendition, and its key in `image_alternates`.
pub const CONTENT_TYPE: &str = "image/webp";
/// libwebp's quality factor (0–100), chosen by measurement (see the module doc).
pub const QUALITY: f32 = 84.0;

/// Encodes an opaque picture as lossy WebP at `quality`.
pub fn encode(picture: &RgbImage, quality: f32) -> Result<Vec<u8>, MediaError> {
    let encoder = ::webp::Encoder::from_rgb(picture.as_raw(), picture.width(), picture.height());
    let encoded = encoder
        .encode_simple(false, quality)
        .map_err(|e| MediaError::Corrupt(format!("WebP encoding failed ({e:?})")))?;
    Ok(encoded.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_webp_file_of_the_same_size() {
        let picture = RgbImage::from_fn(64, 40, |x, y| image::Rgb([x as u8 * 4, y as u8 * 6, 90]));
        let data = encode(&picture, QUALITY).unwrap();
        assert_eq!(&data[..4], b"RIFF");
        assert_eq!(&data[8..12], b"WEBP");
        let decoded = image::load_from_memory_with_format(&data, image::ImageFormat::WebP).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (64, 40));
    }
}
