//! The demo pictures' canvas: colours mixed in floating point, and the flat
//! shapes (rectangles, circles, land under a curve) scenes are painted with.

use image::{Rgb, RgbImage};

pub type Colour = [f32; 3];

pub fn rgb(hex: u32) -> Colour {
    [
        ((hex >> 16) & 255) as f32,
        ((hex >> 8) & 255) as f32,
        (hex & 255) as f32,
    ]
}

pub fn mix(a: Colour, b: Colour, t: f32) -> Colour {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// A canvas of floating-point colour, quantised once at the end.
pub struct Canvas {
    pub w: u32,
    pub h: u32,
    px: Vec<Colour>,
}

impl Canvas {
    pub fn new(w: u32, h: u32) -> Self {
        Self {
            w,
            h,
            px: vec![[0.0; 3]; (w * h) as usize],
        }
    }

    pub fn set(&mut self, x: i64, y: i64, c: Colour, alpha: f32) {
        if x >= 0 && y >= 0 && (x as u32) < self.w && (y as u32) < self.h {
            let i = (y as u32 * self.w + x as u32) as usize;
            self.px[i] = mix(self.px[i], c, alpha);
        }
    }

    pub fn rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, c: Colour, alpha: f32) {
        for y in y0.max(0)..y1.min(self.h as i64) {
            for x in x0.max(0)..x1.min(self.w as i64) {
                self.set(x, y, c, alpha);
            }
        }
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Colour, alpha: f32) {
        let (x0, x1) = ((cx - r - 1.0) as i64, (cx + r + 1.0) as i64);
        let (y0, y1) = ((cy - r - 1.0) as i64, (cy + r + 1.0) as i64);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                let edge = (r - d + 0.5).clamp(0.0, 1.0);
                if edge > 0.0 {
                    self.set(x, y, c, alpha * edge);
                }
            }
        }
    }

    /// Fills everything below the curve `top(x)`, fading towards `bottom` colour.
    pub fn land(&mut self, top: &dyn Fn(f32) -> f32, c: Colour, bottom: Colour) {
        for x in 0..self.w as i64 {
            let t = top(x as f32);
            for y in t.max(0.0) as i64..self.h as i64 {
                let depth = (y as f32 - t) / (self.h as f32 - t).max(1.0);
                self.set(x, y, mix(c, bottom, depth), 1.0);
            }
        }
    }

    /// The canvas quantised to 8-bit RGB, `grain()` added to each pixel (film grain).
    pub fn into_image(self, grain: &mut dyn FnMut() -> f32) -> RgbImage {
        let mut img = RgbImage::new(self.w, self.h);
        for (p, c) in img.pixels_mut().zip(self.px) {
            let grain = grain();
            *p = Rgb(c.map(|v| (v + grain).clamp(0.0, 255.0) as u8));
        }
        img
    }
}
