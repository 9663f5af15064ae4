//! Pictures: checks an upload by its content, refuses oversized files and
//! decompression bombs, and re-encodes it as JPEG at the standard widths, with
//! a WebP of each beside it for browsers that accept WebP (`webp`, `backfill`).

pub mod backfill;
pub mod objects;
pub mod pictures;
pub mod public_copies;
pub mod reset;
pub mod ssim;
pub mod webp;

pub use pictures::{PictureError, Pictures};

use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use thiserror::Error;

use crate::store::{Alternate, NewRendition};

/// Widths every picture is stored at, for `srcset`. The largest is the article width.
pub const WIDTHS: [i64; 3] = [320, 640, 976];
/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// Largest picture accepted, in pixels (width × height), and on either side.
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// The JPEG renditions' quality, which the WebP quality is measured against.
pub const JPEG_QUALITY: u8 = 82;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {0} bytes; the limit is 12 MB")]
    TooLarge(usize),
    #[error("the file is not a JPEG, PNG or WebP picture")]
    UnsupportedType,
    #[error("the picture is {0}×{1} pixels; the limit is 40 megapixels and 12,000 pixels a side")]
    TooManyPixels(u32, u32),
    #[error("the picture could not be read: {0}")]
    Corrupt(String),
}

/// A checked picture, ready to store.
pub struct ProcessedImage {
    pub width: i64,
    pub height: i64,
    pub sha256: String,
    pub renditions: Vec<NewRendition>,
}

/// Checks and re-encodes an uploaded picture.
pub fn process_upload(bytes: &[u8]) -> Result<ProcessedImage, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(MediaError::TooLarge(bytes.len()));
    }
    let format = image::guess_format(bytes).map_err(|_| MediaError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(MediaError::UnsupportedType);
    }
    // Read the declared size from the header before decoding anything.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(MediaError::TooManyPixels(width, height));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    encode_renditions(&picture, bytes)
}

/// Re-encodes a decoded picture at the standard widths (never enlarging it),
/// as JPEG with a WebP beside each.
pub fn encode_renditions(
    picture: &DynamicImage,
    original: &[u8],
) -> Result<ProcessedImage, MediaError> {
    let rgb = flatten(picture);
    let (width, height) = rgb.dimensions();
    let mut renditions = Vec::with_capacity(WIDTHS.len());
    for target in WIDTHS {
        let scaled = scale(&rgb, target);
        renditions.push(NewRendition {
            width: target,
            height: i64::from(scaled.height()),
            content_type: "image/jpeg".to_string(),
            data: jpeg(&scaled)?,
            alternates: vec![Alternate {
                content_type: webp::CONTENT_TYPE.to_string(),
                data: webp::encode(&scaled, webp::QUALITY)?,
            }],
        });
    }
    Ok(ProcessedImage {
        width: i64::from(width),
        height: i64::from(height),
        sha256: format!("{:x}", Sha256::digest(original)),
        renditions,
    })
}

/// The picture as opaque RGB. JPEG has no transparency: flattened onto white rather than black.
pub fn flatten(picture: &DynamicImage) -> RgbImage {
    dateline_pixels::flatten(picture)
}

/// The picture scaled down to the standard width `target` (never enlarged).
pub fn scale(rgb: &RgbImage, target: i64) -> RgbImage {
    let (width, height) = rgb.dimensions();
    if i64::from(width) <= target {
        return rgb.clone();
    }
    let h = ((i64::from(height) * target) / i64::from(width)).max(1) as u32;
    dateline_pixels::resize(rgb, target as u32, h)
}

/// The picture as a JPEG at the renditions' quality.
pub fn jpeg(picture: &RgbImage) -> Result<Vec<u8>, MediaError> {
    jpeg_at(picture, JPEG_QUALITY)
}

/// The picture as a JPEG at `quality` (1–100).
pub fn jpeg_at(picture: &RgbImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    dateline_pixels::encode_jpeg(picture, quality).map_err(|e| MediaError::Corrupt(e.to_string()))
}

/// The pixel width actually stored under a standard width.
pub fn rendition_width(original_width: i64, target: i64) -> i64 {
    original_width.min(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat, w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([x as u8, y as u8, 90])
        }));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn accepts_each_format_and_makes_standard_widths() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let p = process_upload(&encoded(format, 1200, 600)).unwrap();
            assert_eq!((p.width, p.height), (1200, 600));
            let widths: Vec<_> = p.renditions.iter().map(|r| (r.width, r.height)).collect();
            assert_eq!(widths, [(320, 160), (640, 320), (976, 488)]);
            assert!(p
                .renditions
                .iter()
                .all(|r| r.data.starts_with(&[0xFF, 0xD8])));
            assert!(p.renditions.iter().all(|r| r.alternates.len() == 1
                && r.alternates[0].content_type == "image/webp"
                && r.alternates[0].data.starts_with(b"RIFF")));
        }
    }

    #[test]
    fn never_enlarges() {
        let p = process_upload(&encoded(ImageFormat::Png, 500, 250)).unwrap();
        assert_eq!(p.renditions[2].height, 250);
        assert_eq!(rendition_width(500, 976), 500);
    }

    #[test]
    fn refuses_bad_files() {
        assert_eq!(process_upload(b"").err(), Some(MediaError::Empty));
        assert_eq!(
            process_upload(b"GIF89a....").err(),
            Some(MediaError::UnsupportedType)
        );
        assert_eq!(
            process_upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>").err(),
            Some(MediaError::UnsupportedType)
        );
        let mut truncated = encoded(ImageFormat::Png, 100, 100);
        truncated.truncate(60);
        assert!(matches!(
            process_upload(&truncated),
            Err(MediaError::Corrupt(_))
        ));
    }

    #[test]
    fn refuses_a_decompression_bomb_from_its_header() {
        // A tiny PNG whose header claims 20000×20000 pixels.
        let img = DynamicImage::ImageLuma8(image::GrayImage::new(1, 1));
        let mut png = Cursor::new(Vec::new());
        img.write_to(&mut png, ImageFormat::Png).unwrap();
        let mut bytes = png.into_inner();
        bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
        // Keep the IHDR chunk's CRC (over type and data, bytes 12..29) valid.
        let crc = crc32fast::hash(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process_upload(&bytes).err(),
            Some(MediaError::TooManyPixels(20000, 20000))
        );
    }
}
