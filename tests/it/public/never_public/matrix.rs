//! The matrix's results: every check of a cell (state × surface × node) with
//! what went wrong, and the grid the test prints and fails with.

/// Whether a check expects the story hidden or shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    Hidden,
    Shown,
}

struct Check {
    state: &'static str,
    surface: String,
    node: String,
    expect: Expect,
    problems: Vec<String>,
}

/// The surfaces' columns in the grid, with their short names.
const COLUMNS: &[(&str, &str)] = &[
    ("Article", "Art"),
    ("Print", "Prn"),
    ("History", "His"),
    ("Fronts", "Frn"),
    ("Related", "Rel"),
    ("Promos", "Pro"),
    ("Feeds", "Fed"),
    ("Sitemaps", "Map"),
    ("Api", "Api"),
    ("Ninjs", "Njs"),
    ("Search", "Sch"),
    ("OgImages", "OG"),
    ("Pictures", "Pic"),
    ("Live", "Liv"),
    ("Sponsor", "Spn"),
    ("StaticExport", "SEx"),
    ("NinjsExport", "NEx"),
    ("StaffPreview", "Stf"),
];

#[derive(Default)]
pub struct Matrix {
    checks: Vec<Check>,
}

impl Matrix {
    /// Records one check of a cell; `problems` empty when it held.
    pub fn record(
        &mut self,
        state: &'static str,
        surface: &str,
        node: &str,
        expect: Expect,
        problems: Vec<String>,
    ) {
        self.checks.push(Check {
            state,
            surface: surface.to_string(),
            node: node.to_string(),
            expect,
            problems,
        });
    }

    pub fn failed(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| !c.problems.is_empty())
            .count()
    }

    pub fn checks(&self) -> usize {
        self.checks.len()
    }

    /// A grid of the cells (`.` held; `H` the hidden half failed; `S` the shown
    /// half failed; blank: not checked there), then every failed check with what
    /// was seen.
    pub fn report(&self) -> String {
        let mut rows: Vec<(&'static str, &str)> = Vec::new();
        for c in &self.checks {
            if !rows.contains(&(c.state, c.node.as_str())) {
                rows.push((c.state, c.node.as_str()));
            }
        }
        let mut out = format!("{:33}{:18}", "state", "node");
        for (_, short) in COLUMNS {
            out.push_str(&format!("{short:>4}"));
        }
        out.push('\n');
        for (state, node) in rows {
            out.push_str(&format!("{state:33}{node:18}"));
            for (surface, _) in COLUMNS {
                let cell: Vec<&Check> = self
                    .checks
                    .iter()
                    .filter(|c| c.state == state && c.node == node && c.surface == *surface)
                    .collect();
                let failed = |half| {
                    cell.iter()
                        .any(|c| c.expect == half && !c.problems.is_empty())
                };
                let mark = match (
                    cell.is_empty(),
                    failed(Expect::Hidden),
                    failed(Expect::Shown),
                ) {
                    (true, _, _) => "",
                    (false, false, false) => ".",
                    (false, true, false) => "H",
                    (false, false, true) => "S",
                    (false, true, true) => "HS",
                };
                out.push_str(&format!("{mark:>4}"));
            }
            out.push('\n');
        }
        let mut lines: Vec<String> = Vec::new();
        for c in self.checks.iter().filter(|c| !c.problems.is_empty()) {
            let line = format!(
                "[{} | {} | {} | {:?}] {}\n",
                c.state,
                c.surface,
                c.node,
                c.expect,
                c.problems.join("; ")
            );
            // A state checked hidden twice (before and after the other changes) fails alike twice.
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        out.push_str(&lines.concat());
        out
    }
}
