//! The fuzz targets' seed corpora replayed as tests. The target files themselves
//! (`fuzz/fuzz_targets/*.rs`) are compiled into this suite as modules, with a
//! stand-in for libfuzzer-sys's `fuzz_target!` that makes each a `run(bytes)`
//! function taking the input as libFuzzer hands it over; so every `cargo test` and
//! clippy run compiles the targets on the stable compiler without cargo-fuzz, and
//! every seed goes through exactly the code the fuzzer runs. The seeds are those
//! `bench/fuzz.sh` starts from: `fuzz/seeds/<target>/`, the demo stories' bodies,
//! the import fixtures and the search benchmark's words.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

// `#![no_main]` at the top of each target matters only to the fuzzer's own build.
#[allow(unused_attributes)]
#[path = "../../../fuzz/fuzz_targets/config.rs"]
mod config_target;
#[allow(unused_attributes)]
#[path = "../../../fuzz/fuzz_targets/import.rs"]
mod import_target;
#[allow(unused_attributes)]
#[path = "../../../fuzz/fuzz_targets/markup.rs"]
mod markup_target;
#[allow(unused_attributes)]
#[path = "../../../fuzz/fuzz_targets/search_query.rs"]
mod search_query_target;

/// libfuzzer-sys's `fuzz_target!` for this suite (the targets' `use
/// libfuzzer_sys::fuzz_target` finds it: `tests/it/main.rs` names this crate
/// `libfuzzer_sys`; it is defined after them so that they reach it by that path,
/// as they reach the real one). A target that takes `&str` gets the input's longest
/// UTF-8 prefix, as libfuzzer-sys gives it (`arbitrary_take_rest` for `&str`).
#[macro_export]
macro_rules! fuzz_target {
    (|$data:ident: &[u8]| $body:expr) => {
        /// Runs this fuzz target on one input.
        pub fn run(bytes: &[u8]) {
            let $data: &[u8] = bytes;
            $body;
        }
    };
    (|$text:ident: &str| $body:expr) => {
        /// Runs this fuzz target on one input.
        pub fn run(bytes: &[u8]) {
            let $text: &str = match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("a valid UTF-8 prefix")
                }
            };
            $body;
        }
    };
}

/// Every fuzz target, by the name of its file in `fuzz/fuzz_targets/`.
const TARGETS: &[&str] = &["markup", "import", "search_query", "config"];

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files in a folder, sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// `fuzz/seeds/<target>/`, each file named and read as bytes.
fn seed_files(target: &str) -> Vec<(String, Vec<u8>)> {
    let files = files_in(&repository().join("fuzz/seeds").join(target));
    assert!(!files.is_empty(), "no seeds for {target}");
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read a seed");
            (path.display().to_string(), bytes)
        })
        .collect()
}

/// Seeds for a target that takes text. The target reads only the UTF-8 prefix of
/// its input, so a seed that is not UTF-8 would test less than it seems: refuse it.
fn text_seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let seeds = seed_files(target);
    for (name, bytes) in &seeds {
        assert!(
            std::str::from_utf8(bytes).is_ok(),
            "{name} is not UTF-8: the fuzz target would read only its start"
        );
    }
    seeds
}

/// Runs a fuzz target on every seed, naming the seed that makes it panic.
fn replay(seeds: &[(String, Vec<u8>)], run: fn(&[u8])) {
    for (name, input) in seeds {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(input))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("the fuzz target failed on the seed {name}: {message}");
        }
    }
}

#[test]
fn every_fuzz_target_is_replayed() {
    let found: Vec<String> = files_in(&repository().join("fuzz/fuzz_targets"))
        .iter()
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_string()))
        .collect();
    let mut listed: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "every file in fuzz/fuzz_targets/ needs its module and seed test here"
    );
}

#[test]
fn markup_seeds() {
    let mut seeds = text_seeds("markup");
    // Every body of every demo story, current and earlier versions.
    for path in files_in(&repository().join("demo/stories")) {
        let text = std::fs::read_to_string(&path).expect("read a demo story");
        let story: toml::Value = toml::from_str(&text).expect("a demo story parses");
        let mut bodies = Vec::new();
        collect_bodies(&story, &mut bodies);
        assert!(!bodies.is_empty(), "{} has no body", path.display());
        for (n, body) in bodies.into_iter().enumerate() {
            seeds.push((format!("{} body {n}", path.display()), body.into_bytes()));
        }
    }
    replay(&seeds, markup_target::run);
}

/// Every string under a `body` key, at any depth.
fn collect_bodies(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                match value {
                    toml::Value::String(body) if key == "body" => out.push(body.clone()),
                    other => collect_bodies(other, out),
                }
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|v| collect_bodies(v, out)),
        _ => {}
    }
}

#[test]
fn import_seeds() {
    let mut seeds = seed_files("import");
    // The import fixtures, behind the first byte's "the file name says HTML" hint.
    for path in files_in(&repository().join("tests/fixtures/import")) {
        let html = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "htm")
        );
        let mut input = vec![u8::from(html)];
        input.extend(std::fs::read(&path).expect("read an import fixture"));
        seeds.push((path.display().to_string(), input));
    }
    replay(&seeds, import_target::run);
}

#[test]
fn search_query_seeds() {
    let mut seeds = text_seeds("search_query");
    let words = std::fs::read_to_string(repository().join("bench/search-words.txt"))
        .expect("read bench/search-words.txt");
    seeds.extend(words.lines().filter(|w| !w.is_empty()).map(|w| {
        (
            format!("bench/search-words.txt: {w}"),
            w.as_bytes().to_vec(),
        )
    }));
    replay(&seeds, search_query_target::run);
}

#[test]
fn config_seeds() {
    replay(&text_seeds("config"), config_target::run);
}
