//! The structural similarity (SSIM) of two pictures of the same size: how the
//! WebP quality was chosen against the JPEG one (`examples/webp_savings.rs`).
//!
//! Computed on luma (BT.601) over 8×8 windows every 4 pixels, with the usual
//! constants (K1 = 0.01, K2 = 0.03, L = 255), and averaged: 1.0 is identical.

use image::RgbImage;

const WINDOW: u32 = 8;
const STEP: u32 = 4;
const C1: f64 = (0.01 * 255.0) * (0.01 * 255.0);
const C2: f64 = (0.03 * 255.0) * (0.03 * 255.0);

/// The mean SSIM of `a` against `b`, or `None` if their sizes differ.
pub fn mean_ssim(a: &RgbImage, b: &RgbImage) -> Option<f64> {
    if a.dimensions() != b.dimensions() {
        return None;
    }
    let (width, height) = a.dimensions();
    let (la, lb) = (luma(a), luma(b));
    let (w, h) = (width.min(WINDOW), height.min(WINDOW));
    let mut total = 0.0;
    let mut windows = 0u32;
    let mut y = 0;
    while y + h <= height {
        let mut x = 0;
        while x + w <= width {
            total += window_ssim(&la, &lb, width, (x, y), (w, h));
            windows += 1;
            x += STEP;
        }
        y += STEP;
    }
    Some(total / f64::from(windows.max(1)))
}

fn luma(picture: &RgbImage) -> Vec<f64> {
    picture
        .pixels()
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

fn window_ssim(a: &[f64], b: &[f64], stride: u32, at: (u32, u32), size: (u32, u32)) -> f64 {
    let n = f64::from(size.0 * size.1);
    let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for y in at.1..at.1 + size.1 {
        for x in at.0..at.0 + size.0 {
            let i = (y * stride + x) as usize;
            let (p, q) = (a[i], b[i]);
            sa += p;
            sb += q;
            saa += p * p;
            sbb += q * q;
            sab += p * q;
        }
    }
    let (ma, mb) = (sa / n, sb / n);
    let va = saa / n - ma * ma;
    let vb = sbb / n - mb * mb;
    let cov = sab / n - ma * mb;
    ((2.0 * ma * mb + C1) * (2.0 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(shift: u8) -> RgbImage {
        RgbImage::from_fn(40, 24, |x, y| {
            image::Rgb([(x * 6) as u8 ^ shift, (y * 10) as u8, 128])
        })
    }

    #[test]
    fn identical_pictures_score_one_and_different_ones_less() {
        let a = gradient(0);
        assert!((mean_ssim(&a, &a).unwrap() - 1.0).abs() < 1e-9);
        let noisy = RgbImage::from_fn(40, 24, |x, y| {
            let p = a.get_pixel(x, y);
            let n = if (x + y) % 2 == 0 { 30 } else { 0 };
            image::Rgb([p[0].saturating_add(n), p[1].saturating_sub(n), p[2]])
        });
        let score = mean_ssim(&a, &noisy).unwrap();
        assert!(score < 0.99 && score > 0.0, "{score}");
        assert_eq!(mean_ssim(&a, &RgbImage::new(8, 8)), None);
    }
}
