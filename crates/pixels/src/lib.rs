//! Dateline's pixel work, in a crate of its own so that it is compiled
//! optimised in every build (`[profile.dev.package.dateline-pixels]` in the
//! top-level `Cargo.toml`). The `image` crate's scaling and JPEG encoder are
//! generic: compiled where they are instantiated, they ran at Dateline's debug
//! opt-level 0, and loading the demo's pictures took 15.7 s of CPU in a debug
//! build (6.6 s with Dateline itself at opt-level 1), which every test that
//! starts a server with the demo paid (bench/RESULTS.md, 2026-12-07, fourth session).
//! The functions here are not generic, so they are instantiated here.

pub mod canvas;

use image::{DynamicImage, ImageResult, RgbImage};

/// `picture` scaled to `width` × `height` with a triangle (bilinear) filter.
pub fn resize(picture: &RgbImage, width: u32, height: u32) -> RgbImage {
    image::imageops::resize(
        picture,
        width,
        height,
        image::imageops::FilterType::Triangle,
    )
}

/// `picture` as a baseline JPEG at `quality` (1–100).
pub fn encode_jpeg(picture: &RgbImage, quality: u8) -> ImageResult<Vec<u8>> {
    let mut data = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, quality).encode_image(picture)?;
    Ok(data)
}

/// The picture as opaque RGB. JPEG has no transparency: flattened onto white rather than black.
pub fn flatten(picture: &DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    let mut flat = RgbImage::new(rgba.width(), rgba.height());
    for (dst, src) in flat.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(src[3]);
        for c in 0..3 {
            dst[c] = ((u16::from(src[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    flat
}
