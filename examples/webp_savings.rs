//! The bytes WebP saves on the demo's pictures (issue 20): paints every demo
//! picture as `dateline demo` does, makes its renditions at the standard widths
//! as an upload would (JPEG, and WebP at `media::webp::QUALITY`), and prints the
//! totals of each format and the mean SSIM of each against the source it was
//! encoded from (the picture scaled to that width).
//!
//! With `--sweep`, also tries WebP qualities from 50 to 95 and names the lowest
//! whose mean SSIM is at least the JPEG's: how `QUALITY` was chosen.
//!
//! ```text
//! cargo run --release --example webp_savings [-- --sweep]
//! ```

use dateline::media::{self, ssim::mean_ssim, webp};
use image::{ImageFormat, RgbImage};
use std::time::{Duration, Instant};

type Failure = Box<dyn std::error::Error>;

/// One format's renditions of every picture: bytes and similarity to the source.
#[derive(Default)]
struct Totals {
    bytes: usize,
    ssim: f64,
    count: usize,
}

impl Totals {
    fn add(&mut self, data: &[u8], format: ImageFormat, source: &RgbImage) -> Result<(), Failure> {
        let decoded = image::load_from_memory_with_format(data, format)?.to_rgb8();
        self.bytes += data.len();
        self.ssim += mean_ssim(source, &decoded).ok_or("a rendition changed size")?;
        self.count += 1;
        Ok(())
    }

    fn mean_ssim(&self) -> f64 {
        self.ssim / self.count.max(1) as f64
    }
}

fn main() -> Result<(), Failure> {
    let sweep = std::env::args().any(|a| a == "--sweep");
    let pictures = dateline::demo::pictures()?;
    // Every rendition's source, as `media::encode_renditions` scales it.
    let sources: Vec<RgbImage> = pictures
        .iter()
        .flat_map(|(_, picture)| media::WIDTHS.map(|w| media::scale(picture, w)))
        .collect();
    let mut jpeg = Totals::default();
    let mut webp_totals = Totals::default();
    // Encoding time of each format, what a demo load or an upload spends on it.
    let (mut jpeg_time, mut webp_time) = (Duration::ZERO, Duration::ZERO);
    for source in &sources {
        let started = Instant::now();
        let data = media::jpeg(source)?;
        jpeg_time += started.elapsed();
        jpeg.add(&data, ImageFormat::Jpeg, source)?;
        let started = Instant::now();
        let data = webp::encode(source, webp::QUALITY)?;
        webp_time += started.elapsed();
        webp_totals.add(&data, ImageFormat::WebP, source)?;
    }
    let saved = 100.0 * (1.0 - webp_totals.bytes as f64 / jpeg.bytes as f64);
    println!(
        "{} demo pictures, {} renditions (widths {:?})",
        pictures.len(),
        sources.len(),
        media::WIDTHS
    );
    println!(
        "JPEG (quality {}):  {:>9} bytes, mean SSIM {:.4}",
        media::JPEG_QUALITY,
        jpeg.bytes,
        jpeg.mean_ssim()
    );
    println!(
        "WebP (quality {}):  {:>9} bytes, mean SSIM {:.4}",
        webp::QUALITY,
        webp_totals.bytes,
        webp_totals.mean_ssim()
    );
    println!("saved: {saved:.1}% of the JPEG bytes");
    println!(
        "encoding time: JPEG {} ms, WebP {} ms",
        jpeg_time.as_millis(),
        webp_time.as_millis()
    );
    if sweep {
        println!("\nWebP quality sweep (bytes, mean SSIM):");
        let coarse = sweep_qualities(&sources, &jpeg, (50..=95).step_by(5))?;
        // Then each quality between the last that fell short and the first that matched.
        let chosen = match coarse {
            Some(q) => sweep_qualities(&sources, &jpeg, q.saturating_sub(4)..q)?.or(Some(q)),
            None => None,
        };
        match chosen {
            Some(q) => println!("lowest quality matching JPEG's SSIM: q{q}"),
            None => println!("no quality up to 95 matches JPEG's SSIM"),
        }
    }
    Ok(())
}

/// Prints each quality's totals; returns the first whose mean SSIM is at least the JPEG's.
fn sweep_qualities(
    sources: &[RgbImage],
    jpeg: &Totals,
    qualities: impl Iterator<Item = u8>,
) -> Result<Option<u8>, Failure> {
    for quality in qualities {
        let mut totals = Totals::default();
        for source in sources {
            let data = webp::encode(source, f32::from(quality))?;
            totals.add(&data, ImageFormat::WebP, source)?;
        }
        let matches = totals.mean_ssim() >= jpeg.mean_ssim();
        println!(
            "  q{quality}: {:>9} bytes ({:+.1}% vs JPEG), mean SSIM {:.4}{}",
            totals.bytes,
            100.0 * (totals.bytes as f64 / jpeg.bytes as f64 - 1.0),
            totals.mean_ssim(),
            if matches { "  >= JPEG" } else { "" }
        );
        if matches {
            return Ok(Some(quality));
        }
    }
    Ok(None)
}
