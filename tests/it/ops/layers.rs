//! The layer rule, checked by reading the source: under `src/web` no area
//! imports another area and the bottom layer imports no area (nor the root
//! that merges them); under `src/domain` no files import each other in a loop.
//! See `web/mod.rs` for the rule itself.
//!
//! Every path that starts with `crate`, `super` or `self` (in `use` lines and in
//! code, with `{…}` groups expanded), and every path through a child module a
//! file declares, is resolved to the module it names. Comments and string
//! literals are skipped.
//!
//! [`html_literals`] reads the string literals the same scan finds, so that HTML
//! is written only in `web::html` and templates.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

mod html_literals;

/// The areas of `src/web`; every other module there is the bottom layer, except the root.
const AREAS: &[&str] = &["public", "newsroom", "readers", "api", "feeds"];
/// The root of `src/web`: the router that merges the areas, and the server that serves it.
const ROOT: &[&str] = &["server"];

/// Source with comments, string and character literals blanked (newlines kept).
fn strip(source: &str) -> String {
    scan(source).0
}

/// `strip`'s blanked source (each byte where it was), and where each string
/// literal is in it, quotes and prefix included.
fn scan(source: &str) -> (String, Vec<Range<usize>>) {
    let b = source.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut literals = Vec::new();
    let mut i = 0;
    let blank = |out: &mut String, text: &[u8]| {
        for &c in text {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0, 0);
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#"))
            && (i == 0
                || !is_ident(b[i - 1])
                || (b[i - 1] == b'b' && (i < 2 || !is_ident(b[i - 2]))))
        {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let open = 2 + hashes;
            let end = rest[open..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(rest.len(), |p| open + p + close.len());
            blank(&mut out, &rest[..end]);
            literals.push(i..i + end);
            i += end;
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            literals.push(i..i + end);
            i += end;
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), or else a lifetime.
            let end = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let width = std::str::from_utf8(&rest[1..])
                    .ok()
                    .or_else(|| source.get(i + 1..))
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                (rest.get(1 + width) == Some(&b'\'')).then_some(2 + width)
            };
            match end {
                Some(end) => {
                    blank(&mut out, &rest[..end]);
                    i += end;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let c = source[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    (out, literals)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Colons,
    Open,
    Close,
    Comma,
    Other(char),
}

fn tokens(code: &str) -> Vec<(Token, usize)> {
    let b = code.as_bytes();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if is_ident(c) {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            let word = code[start..i].trim_start_matches("r#");
            out.push((Token::Ident(word.to_string()), line));
        } else if code[i..].starts_with("::") {
            out.push((Token::Colons, line));
            i += 2;
        } else {
            let ch = code[i..].chars().next().unwrap_or(' ');
            let token = match ch {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                other => Token::Other(other),
            };
            out.push((token, line));
            i += ch.len_utf8();
        }
    }
    out
}

/// One import found in a file: the module path it resolves to, and its line.
#[derive(Debug)]
struct Import {
    target: Vec<String>,
    line: usize,
}

/// Reads a path starting at `tokens[at]` (an identifier); pushes every full path
/// it names (a `{…}` group gives one per member) onto `paths`, each prefixed by
/// `prefix`. Returns the index after the path.
fn read_path(
    tokens: &[(Token, usize)],
    mut at: usize,
    prefix: Vec<String>,
    paths: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    let mut path = prefix;
    let line = tokens.get(at).map_or(0, |t| t.1);
    loop {
        match tokens.get(at) {
            Some((Token::Ident(word), _)) => {
                path.push(word.clone());
                at += 1;
            }
            Some((Token::Other('*'), _)) => {
                at += 1;
                break;
            }
            Some((Token::Open, _)) => {
                at += 1;
                loop {
                    match tokens.get(at) {
                        Some((Token::Close, _)) => {
                            at += 1;
                            return at;
                        }
                        Some((Token::Comma, _)) => at += 1,
                        Some(_) => {
                            let before = at;
                            at = read_path(tokens, at, path.clone(), paths);
                            // `as name` after a member.
                            if matches!(tokens.get(at), Some((Token::Ident(w), _)) if w == "as") {
                                at += 2;
                            }
                            if at == before {
                                at += 1;
                            }
                        }
                        None => return at,
                    }
                }
            }
            _ => break,
        }
        if tokens.get(at).map(|t| &t.0) == Some(&Token::Colons) {
            at += 1;
        } else {
            break;
        }
    }
    paths.push((path, line));
    at
}

/// The module path of a source file under `src`: `web/api/mod.rs` is `web::api`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut module: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if module.last().is_some_and(|m| m == "mod" || m == "lib") {
        module.pop();
    }
    module
}

/// Every module path `source` (the file of `module`) reaches through `crate::`,
/// `super::`, `self::` or one of its own child modules.
fn imports(module: &[String], source: &str) -> Vec<Import> {
    let tokens = tokens(&strip(source));
    // Inline modules (`mod tests { … }`) open a scope: `super` inside one is the file's module.
    let mut scopes: Vec<(Vec<String>, usize)> = vec![(module.to_vec(), 0)];
    let mut depth = 0usize;
    // Child modules declared anywhere in the file (`mod x;`), so `x::y` is a path.
    let children: BTreeSet<String> = tokens
        .windows(3)
        .filter_map(|w| match (&w[0].0, &w[1].0, &w[2].0) {
            (Token::Ident(m), Token::Ident(name), Token::Other(';')) if m == "mod" => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect();
    let mut raw = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let here = &scopes.last().expect("the file's own scope").0;
        match &tokens[at].0 {
            Token::Open => {
                depth += 1;
                at += 1;
            }
            Token::Close => {
                if scopes.len() > 1 && scopes.last().is_some_and(|s| s.1 == depth) {
                    scopes.pop();
                }
                depth = depth.saturating_sub(1);
                at += 1;
            }
            Token::Ident(word) if word == "mod" => {
                if let Some((Token::Ident(name), _)) = tokens.get(at + 1) {
                    if let Some(Token::Open) = tokens.get(at + 2).map(|t| &t.0) {
                        let mut inner = here.clone();
                        inner.push(name.clone());
                        depth += 1;
                        scopes.push((inner, depth));
                        at += 3;
                        continue;
                    }
                }
                at += 1;
            }
            Token::Ident(word) => {
                // A path continues a previous one (`a::crate` is not a path start).
                let continues = at > 0 && tokens[at - 1].0 == Token::Colons;
                let starts = matches!(word.as_str(), "crate" | "super" | "self")
                    || (children.contains(word)
                        && tokens.get(at + 1).map(|t| &t.0) == Some(&Token::Colons));
                if continues || !starts {
                    at += 1;
                    continue;
                }
                let mut paths = Vec::new();
                at = read_path(&tokens, at, Vec::new(), &mut paths);
                for (path, line) in paths {
                    raw.push((here.clone(), path, line));
                }
            }
            _ => at += 1,
        }
    }
    raw.into_iter()
        .filter_map(|(scope, path, line)| {
            resolve(&scope, &children, &path).map(|target| Import { target, line })
        })
        .collect()
}

/// The absolute module path `path` names from inside `scope`.
fn resolve(scope: &[String], children: &BTreeSet<String>, path: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter().peekable();
    let mut base: Vec<String> = match segments.peek()?.as_str() {
        "crate" => {
            segments.next();
            Vec::new()
        }
        "self" | "super" => scope.to_vec(),
        first if children.contains(first) => scope.to_vec(),
        _ => return None,
    };
    while let Some(s) = segments.peek() {
        match s.as_str() {
            "self" => {
                segments.next();
            }
            "super" => {
                segments.next();
                base.pop()?;
            }
            _ => break,
        }
    }
    base.extend(segments.filter(|s| *s != "self").cloned());
    Some(base)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder readable") {
            let path = entry.expect("source folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// What part of `src/web` a module path is in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Area(String),
    Bottom(String),
    Root,
}

/// `web::…` paths by their part; `web::Name` that `web/mod.rs` re-exports counts as
/// the module it comes from.
fn part_of(target: &[String], reexports: &BTreeMap<String, Vec<String>>) -> Option<Part> {
    if target.first().map(String::as_str) != Some("web") {
        return None;
    }
    let Some(second) = target.get(1) else {
        return Some(Part::Root);
    };
    if let Some(origin) = reexports.get(second) {
        return part_of(origin, &BTreeMap::new());
    }
    Some(if AREAS.contains(&second.as_str()) {
        Part::Area(second.clone())
    } else if ROOT.contains(&second.as_str()) || second == "router" {
        Part::Root
    } else if second.chars().next().is_some_and(char::is_lowercase) {
        Part::Bottom(second.clone())
    } else {
        // An item of `web/mod.rs` itself that is not a re-export.
        Part::Root
    })
}

/// The names `web/mod.rs` re-exports (`pub use x::Y;`, `pub use x::{Y, Z};`), by where they come from.
fn reexports(web_mod: &str) -> BTreeMap<String, Vec<String>> {
    let module = vec!["web".to_string()];
    let mut names = BTreeMap::new();
    for line in strip(web_mod).lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let tokens = tokens(rest);
        let mut paths = Vec::new();
        read_path(&tokens, 0, vec!["self".to_string()], &mut paths);
        let alias = tokens
            .iter()
            .position(|t| t.0 == Token::Ident("as".into()))
            .and_then(|p| match tokens.get(p + 1) {
                Some((Token::Ident(a), _)) => Some(a.clone()),
                _ => None,
            });
        for (path, _) in paths {
            let Some(target) = resolve(&module, &BTreeSet::new(), &path) else {
                continue;
            };
            let name = alias.clone().or_else(|| target.last().cloned());
            if let Some(name) = name {
                names.insert(name, target);
            }
        }
    }
    names
}

/// Every import under `src/web` that breaks the rule, as `file:line: why`.
fn web_violations(src: &Path) -> Vec<String> {
    let web_mod = std::fs::read_to_string(src.join("web/mod.rs")).expect("web/mod.rs");
    let reexports = reexports(&web_mod);
    let mut found = Vec::new();
    for file in rust_files(&src.join("web")) {
        let module = module_of(src, &file);
        let Some(from) = part_of(&module, &BTreeMap::new()) else {
            continue;
        };
        if from == Part::Root {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("source readable");
        for import in imports(&module, &source) {
            let Some(to) = part_of(&import.target, &reexports) else {
                continue;
            };
            let why = match (&from, &to) {
                (Part::Area(a), Part::Area(b)) if a != b => format!("area {a} imports area {b}"),
                (Part::Bottom(_), Part::Area(b)) => format!("the bottom layer imports area {b}"),
                (_, Part::Root) => "imports the root of web (its router or server)".to_string(),
                _ => continue,
            };
            found.push(format!(
                "{}:{}: {why} ({})",
                file.strip_prefix(src).unwrap_or(&file).display(),
                import.line,
                import.target.join("::")
            ));
        }
    }
    found
}

/// Every loop of imports between the files of `src/domain`, as the files in it.
fn domain_cycles(src: &Path) -> Vec<Vec<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src.join("domain")) {
        let module = module_of(src, &file);
        let [_, name] = module.as_slice() else {
            continue;
        };
        let source = std::fs::read_to_string(&file).expect("source readable");
        let targets = edges.entry(name.clone()).or_default();
        for import in imports(&module, &source) {
            if let [domain, other, ..] = import.target.as_slice() {
                if domain == "domain" && other != name {
                    targets.insert(other.clone());
                }
            }
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|group| group.len() > 1)
        .collect()
}

/// The groups of nodes that reach each other (Tarjan's algorithm).
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, node: &'a str) {
        let n = w.index.len();
        w.index.insert(node, n);
        w.low.insert(node, n);
        w.stack.push(node);
        w.on_stack.insert(node);
        for next in w.edges.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[node].min(w.low[next]);
                w.low.insert(node, low);
            } else if w.on_stack.contains(next) {
                let low = w.low[node].min(w.index[next]);
                w.low.insert(node, low);
            }
        }
        if w.low[node] == w.index[node] {
            let mut group = Vec::new();
            while let Some(top) = w.stack.pop() {
                w.on_stack.remove(top);
                group.push(top.to_string());
                if top == node {
                    break;
                }
            }
            group.sort();
            w.groups.push(group);
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for node in edges.keys() {
        if !walk.index.contains_key(node.as_str()) {
            visit(&mut walk, node);
        }
    }
    walk.groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
    }

    fn targets(module: &str, source: &str) -> Vec<String> {
        let module: Vec<String> = module.split("::").map(String::from).collect();
        imports(&module, source)
            .into_iter()
            .map(|i| i.target.join("::"))
            .collect()
    }

    #[test]
    fn no_area_of_web_imports_another_and_the_bottom_layer_imports_none() {
        let found = web_violations(&src());
        assert!(found.is_empty(), "layer rule broken:\n{}", found.join("\n"));
    }

    #[test]
    fn no_two_domain_files_import_each_other() {
        let cycles = domain_cycles(&src());
        assert!(cycles.is_empty(), "domain import loops: {cycles:?}");
    }

    #[test]
    fn paths_are_resolved_in_use_lines_groups_and_code() {
        let source = r#"
            use super::{html, moved_permanently};
            use crate::web::{paths, AppState};
            use crate::web::api::{self, limits::{share, RateLimiter as R}};
            // use crate::web::feeds::not_this;
            const S: &str = "crate::web::feeds::nor_this";
            fn f<'a>(c: char) -> bool { c == '{' || super::super::api::parse_time('}') }
            mod tests { use super::helper; }
            pub async fn g() { sub::h(); }
            mod sub;
        "#;
        assert_eq!(
            targets("web::public::fronts", source),
            [
                "web::public::html",
                "web::public::moved_permanently",
                "web::paths",
                "web::AppState",
                "web::api",
                "web::api::limits::share",
                "web::api::limits::RateLimiter",
                "web::api::parse_time",
                "web::public::fronts::helper",
                "web::public::fronts::sub::h",
            ]
        );
    }

    #[test]
    fn an_import_across_areas_is_caught() {
        let reexports =
            reexports("pub use state::AppState;\npub use api::ninjs::uri as ninjs_uri;");
        let part = |path: &str| {
            let path: Vec<String> = path.split("::").map(String::from).collect();
            part_of(&path, &reexports)
        };
        assert_eq!(part("web::AppState"), Some(Part::Bottom("state".into())));
        assert_eq!(part("web::ninjs_uri"), Some(Part::Area("api".into())));
        assert_eq!(part("web::router"), Some(Part::Root));
        assert_eq!(part("web::feeds::x"), Some(Part::Area("feeds".into())));
        assert_eq!(part("store::x"), None);
    }

    #[test]
    fn a_loop_of_three_is_found() {
        let mut edges = BTreeMap::new();
        for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
            edges
                .entry(from.to_string())
                .or_insert_with(BTreeSet::new)
                .insert(to.to_string());
        }
        let loops: Vec<_> = strongly_connected(&edges)
            .into_iter()
            .filter(|g| g.len() > 1)
            .collect();
        assert_eq!(loops, [vec!["a", "b", "c"]]);
    }
}
