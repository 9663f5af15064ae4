//! Lead pictures for the demo newsroom, painted here from a scene name and a
//! seed: skies, land, water and buildings in flat shapes. Nothing is downloaded.

use dateline_pixels::canvas::{mix, rgb, Canvas, Colour};
use image::RgbImage;

use super::rng::Rng;

pub const WIDTH: u32 = 976;
pub const HEIGHT: u32 = 549;

/// Sky colours (top, horizon) for a scene.
fn sky(scene: &str) -> (Colour, Colour) {
    match scene {
        "night" => (rgb(0x0b1026), rgb(0x2b3a67)),
        "storm" => (rgb(0x2e3440), rgb(0x6b7280)),
        "desert" => (rgb(0x3b82c4), rgb(0xf3d9a4)),
        "snow" | "mountains" => (rgb(0x4a78b5), rgb(0xdbe7f3)),
        "laboratory" => (rgb(0xe8eef2), rgb(0xcfd8dc)),
        "coast" | "harbour" | "river" => (rgb(0x5d9cd6), rgb(0xf6e3c8)),
        _ => (rgb(0x6a9fd8), rgb(0xe9eef5)),
    }
}

fn ridge(rng: &mut Rng, base: f32, amplitude: f32) -> impl Fn(f32) -> f32 {
    let waves: Vec<(f32, f32, f32)> = (0..4)
        .map(|i| {
            (
                rng.between(0.002, 0.012) * (i + 1) as f32,
                rng.between(0.0, std::f32::consts::TAU),
                amplitude / (i + 1) as f32,
            )
        })
        .collect();
    move |x| {
        base + waves
            .iter()
            .map(|(f, p, a)| (x * f + p).sin() * a)
            .sum::<f32>()
    }
}

fn skyline(c: &mut Canvas, rng: &mut Rng, base: f32, colour: Colour, lit: bool) {
    let mut x = -20i64;
    while x < c.w as i64 {
        let w = rng.range(40, 109) as i64;
        let h = rng.between(60.0, 230.0);
        let top = (base - h) as i64;
        c.rect(x, top, x + w, c.h as i64, colour, 1.0);
        let window = if lit {
            rgb(0xffd66b)
        } else {
            mix(colour, rgb(0xffffff), 0.25)
        };
        for wy in (top + 12..base as i64 - 8).step_by(18) {
            for wx in (x + 8..x + w - 8).step_by(16) {
                if !lit || rng.chance(450) {
                    c.rect(wx, wy, wx + 7, wy + 9, window, if lit { 0.9 } else { 0.5 });
                }
            }
        }
        x += w + rng.range(0, 11) as i64;
    }
}

fn water(c: &mut Canvas, rng: &mut Rng, top: f32, colour: Colour) {
    let (w, h) = (c.w as i64, c.h as i64);
    for y in top as i64..h {
        let depth = (y as f32 - top) / (h as f32 - top);
        for x in 0..w {
            c.set(x, y, mix(colour, rgb(0x0d2b45), depth * 0.8), 1.0);
        }
    }
    for _ in 0..260 {
        let y = rng.between(top + 4.0, h as f32);
        let x = rng.between(0.0, w as f32);
        let len = rng.range(10, 49) as i64;
        c.rect(
            x as i64,
            y as i64,
            x as i64 + len,
            y as i64 + 2,
            rgb(0xffffff),
            0.25,
        );
    }
}

fn trees(c: &mut Canvas, rng: &mut Rng, base: f32, count: usize, colour: Colour) {
    for _ in 0..count {
        let x = rng.between(0.0, c.w as f32);
        let y = base + rng.between(0.0, c.h as f32 - base);
        let h = 40.0 + (y - base) * 0.6;
        for dy in 0..h as i64 {
            let half = (dy as f32 / h) * h * 0.3;
            let yy = (y - h) as i64 + dy;
            c.rect(
                (x - half) as i64,
                yy,
                (x + half) as i64 + 1,
                yy + 1,
                mix(colour, rgb(0x000000), rng.between(0.0, 0.2)),
                1.0,
            );
        }
    }
}

/// Paints the named scene. Unknown names get a plain landscape.
pub fn paint(scene: &str, seed: u64) -> RgbImage {
    let mut rng = Rng::new(seed);
    let mut c = Canvas::new(WIDTH, HEIGHT);
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let (top, horizon) = sky(scene);
    for y in 0..HEIGHT as i64 {
        let t = y as f32 / (h * 0.7);
        for x in 0..WIDTH as i64 {
            c.set(x, y, mix(top, horizon, t), 1.0);
        }
    }
    let sun_x = rng.between(w * 0.15, w * 0.85);
    match scene {
        "night" => {
            for _ in 0..120 {
                c.circle(
                    rng.between(0.0, w),
                    rng.between(0.0, h * 0.5),
                    rng.between(0.5, 1.6),
                    rgb(0xffffff),
                    0.8,
                );
            }
            c.circle(sun_x, h * 0.18, 26.0, rgb(0xf4f1de), 1.0);
        }
        "storm" => {}
        "laboratory" => {}
        _ => c.circle(
            sun_x,
            h * 0.2,
            if scene == "desert" { 60.0 } else { 34.0 },
            rgb(0xfff4c2),
            0.9,
        ),
    }
    let far = ridge(&mut rng, h * 0.55, 26.0);
    if scene != "laboratory" {
        c.land(
            &far,
            mix(horizon, rgb(0x56708a), 0.5),
            mix(horizon, rgb(0x3c4f63), 0.6),
        );
    }
    match scene {
        "city" | "parliament" | "market" | "crowd" | "factory" | "night" => {
            let lit = scene == "night";
            let colour = if lit { rgb(0x141a33) } else { rgb(0x59606b) };
            skyline(&mut c, &mut rng, h * 0.8, colour, lit);
            if scene == "parliament" {
                let cx = w * 0.5;
                c.rect(
                    (cx - 170.0) as i64,
                    (h * 0.45) as i64,
                    (cx + 170.0) as i64,
                    h as i64,
                    rgb(0xd8cfc0),
                    1.0,
                );
                c.circle(cx, h * 0.45, 80.0, rgb(0xb9ad98), 1.0);
                for i in 0..9 {
                    let x = cx - 150.0 + i as f32 * 37.0;
                    c.rect(
                        x as i64,
                        (h * 0.52) as i64,
                        x as i64 + 12,
                        (h * 0.9) as i64,
                        rgb(0xf2ece1),
                        1.0,
                    );
                }
            }
            if scene == "factory" {
                for i in 0..3 {
                    let x = w * (0.2 + 0.25 * i as f32);
                    c.rect(
                        x as i64,
                        (h * 0.25) as i64,
                        x as i64 + 26,
                        h as i64,
                        rgb(0x7a4a3a),
                        1.0,
                    );
                    for k in 0..6 {
                        c.circle(
                            x + 13.0 + k as f32 * 14.0,
                            h * 0.22 - k as f32 * 16.0,
                            16.0 + k as f32 * 4.0,
                            rgb(0xd0d0d0),
                            0.5,
                        );
                    }
                }
            }
            c.land(&|_| h * 0.8, rgb(0x3d3f44), rgb(0x26272b));
            if scene == "market" {
                for i in 0..8 {
                    let x = i as f32 * w / 8.0;
                    let colour = if i % 2 == 0 {
                        rgb(0xc0392b)
                    } else {
                        rgb(0xf1c40f)
                    };
                    c.rect(
                        x as i64 + 6,
                        (h * 0.74) as i64,
                        (x + w / 8.0) as i64 - 6,
                        (h * 0.8) as i64,
                        colour,
                        1.0,
                    );
                }
            }
            if scene == "crowd" || scene == "market" {
                for _ in 0..220 {
                    let x = rng.between(0.0, w);
                    let y = rng.between(h * 0.82, h * 1.05);
                    let tone = [
                        rgb(0x2c3e50),
                        rgb(0x8e44ad),
                        rgb(0xc0392b),
                        rgb(0x16a085),
                        rgb(0xd35400),
                    ][rng.index(5)];
                    c.circle(x, y + 18.0, 14.0, tone, 1.0);
                    c.circle(x, y, 8.0, rgb(0x8d5524), 1.0);
                }
            }
        }
        "harbour" | "coast" | "river" => {
            if scene == "harbour" {
                for i in 0..3 {
                    let x = w * (0.55 + 0.12 * i as f32);
                    c.rect(
                        x as i64,
                        (h * 0.3) as i64,
                        x as i64 + 10,
                        (h * 0.62) as i64,
                        rgb(0xe67e22),
                        1.0,
                    );
                    c.rect(
                        x as i64 - 60,
                        (h * 0.3) as i64,
                        x as i64 + 40,
                        (h * 0.3) as i64 + 8,
                        rgb(0xe67e22),
                        1.0,
                    );
                }
            }
            water(
                &mut c,
                &mut rng,
                h * 0.62,
                if scene == "river" {
                    rgb(0x4f7f7a)
                } else {
                    rgb(0x2f6f9f)
                },
            );
            for _ in 0..rng.range(2, 5) {
                let x = rng.between(0.0, w - 120.0);
                let y = rng.between(h * 0.68, h * 0.9);
                c.rect(
                    x as i64,
                    y as i64,
                    x as i64 + 110,
                    y as i64 + 18,
                    rgb(0xf5f5f5),
                    1.0,
                );
                c.rect(
                    x as i64 + 30,
                    y as i64 - 16,
                    x as i64 + 70,
                    y as i64,
                    rgb(0xb03a2e),
                    1.0,
                );
            }
            if scene == "coast" {
                c.land(
                    &|x| h * 0.8 + (x * 0.01).sin() * 12.0,
                    rgb(0xe8d3a2),
                    rgb(0xcdb27a),
                );
            }
        }
        "mountains" | "snow" => {
            let peaks = ridge(&mut rng, h * 0.5, 70.0);
            let snow = rgb(0xf7f9fb);
            for x in 0..WIDTH as i64 {
                let t = peaks(x as f32) - ((x as f32 * 0.05).sin().abs() * 40.0);
                for y in t.max(0.0) as i64..HEIGHT as i64 {
                    let colour = if (y as f32) < t + 35.0 || scene == "snow" {
                        snow
                    } else {
                        rgb(0x5b6b73)
                    };
                    c.set(x, y, colour, 1.0);
                }
            }
            if scene == "snow" {
                trees(&mut c, &mut rng, h * 0.7, 60, rgb(0x1e3d2f));
            }
        }
        "fields" => {
            c.land(&|_| h * 0.6, rgb(0x7cb342), rgb(0x33691e));
            for i in 0..14 {
                let y = h * 0.6 + (i as f32).powf(1.6) * 4.0;
                c.rect(0, y as i64, WIDTH as i64, y as i64 + 3, rgb(0xc5e1a5), 0.6);
            }
            trees(&mut c, &mut rng, h * 0.58, 12, rgb(0x2e5d2b));
        }
        "desert" => {
            for layer in 0..3 {
                let dunes = ridge(&mut rng, h * (0.62 + 0.1 * layer as f32), 22.0);
                let tone = mix(rgb(0xe9c46a), rgb(0xc1803e), layer as f32 * 0.4);
                c.land(&dunes, tone, mix(tone, rgb(0x8a5a2b), 0.4));
            }
        }
        "forest" => {
            c.land(&|_| h * 0.62, rgb(0x2f5d3a), rgb(0x1b3a24));
            trees(&mut c, &mut rng, h * 0.5, 140, rgb(0x1f4d2b));
        }
        "storm" => {
            for _ in 0..500 {
                let x = rng.between(0.0, w);
                let y = rng.between(0.0, h);
                for k in 0..14 {
                    c.set(
                        (x - k as f32 * 0.4) as i64,
                        (y + k as f32) as i64,
                        rgb(0xcfd8dc),
                        0.5,
                    );
                }
            }
            let mut x = sun_x;
            let mut y = 0.0;
            while y < h * 0.6 {
                let nx = x + rng.between(-18.0, 18.0);
                for k in 0..20 {
                    c.circle(
                        x + (nx - x) * k as f32 / 20.0,
                        y + k as f32,
                        2.0,
                        rgb(0xfffde7),
                        1.0,
                    );
                }
                x = nx;
                y += 20.0;
            }
            c.land(
                &ridge(&mut rng, h * 0.78, 10.0),
                rgb(0x37474f),
                rgb(0x1c262b),
            );
        }
        "laboratory" => {
            c.rect(
                0,
                (h * 0.65) as i64,
                WIDTH as i64,
                HEIGHT as i64,
                rgb(0x90a4ae),
                1.0,
            );
            c.rect(
                0,
                (h * 0.63) as i64,
                WIDTH as i64,
                (h * 0.66) as i64,
                rgb(0x546e7a),
                1.0,
            );
            for i in 0..7 {
                let x = w * 0.1 + i as f32 * w * 0.12;
                let tint = [rgb(0x4fc3f7), rgb(0x81c784), rgb(0xffb74d), rgb(0xe57373)][i % 4];
                c.rect(
                    x as i64,
                    (h * 0.4) as i64,
                    x as i64 + 16,
                    (h * 0.52) as i64,
                    rgb(0xeceff1),
                    0.9,
                );
                c.circle(x + 8.0, h * 0.57, 36.0, rgb(0xeceff1), 0.9);
                c.circle(x + 8.0, h * 0.59, 28.0, tint, 0.8);
            }
        }
        _ => {
            c.land(
                &ridge(&mut rng, h * 0.7, 16.0),
                rgb(0x689f38),
                rgb(0x33691e),
            );
            trees(&mut c, &mut rng, h * 0.68, 30, rgb(0x2e5d2b));
        }
    }
    c.into_image(&mut || rng.between(-5.0, 5.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenes_are_deterministic_and_differ() {
        let a = paint("harbour", 1);
        assert_eq!(a.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(a, paint("harbour", 1));
        assert_ne!(a, paint("desert", 1));
    }
}
