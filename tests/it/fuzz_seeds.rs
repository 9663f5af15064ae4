//! The fuzz targets' seed corpora replayed as tests: every seed goes through the
//! function its target calls (`dateline::fuzz`), so the properties the fuzzer
//! checks hold for the seeds on every `cargo test`, without cargo-fuzz. The seeds
//! are those `bench/fuzz.sh` starts from: `fuzz/seeds/<target>/`, the demo
//! stories' bodies, the import fixtures and the search benchmark's words.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

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

/// Seeds for a target that takes text. libFuzzer skips input that is not UTF-8
/// for such a target, so a seed that is not would test nothing: refuse it.
fn text_seeds(target: &str) -> Vec<(String, String)> {
    seed_files(target)
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|_| panic!("{name} is not UTF-8: the fuzz target skips it"));
            (name, text)
        })
        .collect()
}

/// Runs `check` on one seed, naming the seed if it panics.
fn replay<T: ?Sized>(name: &str, input: &T, check: fn(&T)) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(input))) {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("the fuzz property failed for the seed {name}: {message}");
    }
}

#[test]
fn every_fuzz_target_is_replayed_through_its_dateline_fuzz_function() {
    let mut found: Vec<String> = files_in(&repository().join("fuzz/fuzz_targets"))
        .iter()
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_string()))
        .collect();
    found.sort();
    let mut listed: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "fuzz/fuzz_targets/ and the replayed targets");
    for target in TARGETS {
        let path = repository().join(format!("fuzz/fuzz_targets/{target}.rs"));
        let source = std::fs::read_to_string(&path).expect("read a fuzz target");
        let body = source
            .split("fuzz_target!(")
            .nth(1)
            .unwrap_or_else(|| panic!("{}: no fuzz_target!", path.display()));
        assert!(
            body.contains(&format!("dateline::fuzz::{target}(")),
            "{} must call dateline::fuzz::{target}, the function these tests replay its seeds through",
            path.display()
        );
    }
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
            seeds.push((format!("{} body {n}", path.display()), body));
        }
    }
    for (name, source) in &seeds {
        replay(name, source.as_str(), dateline::fuzz::markup);
    }
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
    for (name, data) in &seeds {
        replay(name, data.as_slice(), dateline::fuzz::import);
    }
}

#[test]
fn search_query_seeds() {
    let mut seeds = text_seeds("search_query");
    let words = std::fs::read_to_string(repository().join("bench/search-words.txt"))
        .expect("read bench/search-words.txt");
    seeds.extend(
        words
            .lines()
            .filter(|w| !w.is_empty())
            .map(|w| (format!("bench/search-words.txt: {w}"), w.to_string())),
    );
    for (name, input) in &seeds {
        replay(name, input.as_str(), dateline::fuzz::search_query);
    }
}

#[test]
fn config_seeds() {
    for (name, text) in &text_seeds("config") {
        replay(name, text.as_str(), dateline::fuzz::config);
    }
}
