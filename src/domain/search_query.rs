//! The search box's little language, parsed once for both databases: words,
//! "quoted phrases" and -exclusions, rendered to an SQLite FTS5 MATCH
//! expression or a PostgreSQL tsquery in which every word is quoted, so user
//! input can never reach either engine's own syntax. Pure; never panics.

use std::fmt;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words and phrases in one query (each costs the engine a lookup).
pub const MAX_CLAUSES: usize = 12;

/// One word or a phrase of several, matched in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub words: Vec<String>,
}

/// A parsed query: at least one clause to find, and any to exclude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub include: Vec<Clause>,
    pub exclude: Vec<Clause>,
}

/// Why a query cannot be run; `Display` is the message shown to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    TooLong,
    TooManyClauses,
    UnclosedQuote,
    OnlyExclusions,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => write!(f, "Type a word or two to search for."),
            QueryError::TooLong => write!(
                f,
                "That search is too long: please use at most {MAX_QUERY_CHARS} characters."
            ),
            QueryError::TooManyClauses => write!(
                f,
                "That search has too many words: please use at most {MAX_CLAUSES} words or phrases."
            ),
            QueryError::UnclosedQuote => write!(
                f,
                "A quotation mark is not closed: put phrases between two quotation marks, like \"climate talks\"."
            ),
            QueryError::OnlyExclusions => write!(
                f,
                "Add at least one word to find: a minus sign only leaves a word out, as in budget -tax."
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// A word is worth searching for only if some letter or digit is in it; the
/// engines' tokenizers drop punctuation anyway.
fn has_word_char(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// Splits text into words, leaving out control characters and pure punctuation.
fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| !super::text::is_unsafe_char(*c, false))
                .collect::<String>()
        })
        .filter(|w| has_word_char(w))
        .collect()
}

/// Parses what a reader typed into the search box.
pub fn parse(input: &str) -> Result<SearchQuery, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let mut query = SearchQuery {
        include: Vec::new(),
        exclude: Vec::new(),
    };
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let words = if chars.next_if_eq(&'"').is_some() {
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if !closed {
                return Err(QueryError::UnclosedQuote);
            }
            words_of(&phrase)
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '"') {
                word.push(c);
            }
            words_of(&word)
        };
        if words.is_empty() {
            continue;
        }
        let clause = Clause { words };
        let list = if negated {
            &mut query.exclude
        } else {
            &mut query.include
        };
        if !list.contains(&clause) {
            list.push(clause);
        }
        if query.include.len() + query.exclude.len() > MAX_CLAUSES {
            return Err(QueryError::TooManyClauses);
        }
    }
    match (query.include.is_empty(), query.exclude.is_empty()) {
        (true, true) => Err(QueryError::Empty),
        (true, false) => Err(QueryError::OnlyExclusions),
        _ => Ok(query),
    }
}

impl SearchQuery {
    /// An FTS5 MATCH expression: `("a" AND "b c") NOT "x"`. Each clause is one
    /// FTS5 string (its `"` doubled), inside which NEAR, `*`, `^`, `:` and
    /// column names are plain text to the tokenizer.
    pub fn to_fts5(&self) -> String {
        self.to_fts5_marked("")
    }

    /// [`SearchQuery::to_fts5`] with `mark` at the start of every string: SQLite's
    /// tokenizer then looks each one up by its pairs of neighbouring words
    /// (`store::fts_pairs`), which match exactly where the words do.
    pub fn to_fts5_marked(&self, mark: &str) -> String {
        let quote = |clause: &Clause| {
            let text = clause.words.join(" ");
            format!("\"{mark}{}\"", text.replace('"', "\"\""))
        };
        let include: Vec<String> = self.include.iter().map(quote).collect();
        let mut out = format!("({})", include.join(" AND "));
        for clause in &self.exclude {
            out.push_str(" NOT ");
            out.push_str(&quote(clause));
        }
        out
    }

    /// Text for PostgreSQL's `to_tsquery`: `'a' & 'b c' & !'x'`. Inside quotes
    /// `to_tsquery` sends the text through the parser (a phrase becomes `<->`),
    /// so operators are plain text; quotes and backslashes, the only characters
    /// that could end a quoted string, become spaces (the parser ignores them).
    pub fn to_tsquery(&self) -> String {
        let quote = |clause: &Clause| format!("'{}'", tsquery_text(clause));
        let mut parts: Vec<String> = self.include.iter().map(quote).collect();
        parts.extend(self.exclude.iter().map(|c| format!("!{}", quote(c))));
        parts.join(" & ")
    }

    /// The text of each phrase the query includes (a clause of two or more
    /// words), as `to_tsquery` is given it: PostgreSQL looks their pairs of
    /// neighbouring words up in an index of its own (`search_postgres`).
    pub fn phrases(&self) -> Vec<String> {
        self.include
            .iter()
            .filter(|clause| clause.words.len() >= 2)
            .map(tsquery_text)
            .collect()
    }
}

/// A clause's words for inside a quoted `to_tsquery` string: quotes and
/// backslashes, the only characters that could end it, become spaces.
fn tsquery_text(clause: &Clause) -> String {
    clause
        .words
        .join(" ")
        .chars()
        .map(|c| if c == '\'' || c == '\\' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Clause {
        Clause {
            words: list.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn phrases_are_the_included_clauses_of_several_words() {
        let q = parse(r#"budget "climate talks" -"prime minister" "it's a\\b""#).unwrap();
        assert_eq!(q.phrases(), ["climate talks", "it s a  b"]);
        assert!(parse("budget covid-19").unwrap().phrases().is_empty());
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"budget "climate talks" -tax -"prime minister" covid-19"#).unwrap();
        assert_eq!(
            q.include,
            [
                words(&["budget"]),
                words(&["climate", "talks"]),
                words(&["covid-19"])
            ]
        );
        assert_eq!(q.exclude, [words(&["tax"]), words(&["prime", "minister"])]);
        assert_eq!(
            q.to_fts5(),
            r#"("budget" AND "climate talks" AND "covid-19") NOT "tax" NOT "prime minister""#
        );
        assert_eq!(
            q.to_tsquery(),
            "'budget' & 'climate talks' & 'covid-19' & !'tax' & !'prime minister'"
        );
        assert_eq!(
            q.to_fts5_marked("^"),
            r#"("^budget" AND "^climate talks" AND "^covid-19") NOT "^tax" NOT "^prime minister""#
        );
    }

    #[test]
    fn bad_queries_are_refused_with_a_reason() {
        assert_eq!(parse(""), Err(QueryError::Empty));
        assert_eq!(parse("   \t "), Err(QueryError::Empty));
        assert_eq!(parse("- -- \"\" ... ***"), Err(QueryError::Empty));
        assert_eq!(
            parse("-tax -\"big spend\""),
            Err(QueryError::OnlyExclusions)
        );
        assert_eq!(parse("\"climate talks"), Err(QueryError::UnclosedQuote));
        assert_eq!(parse(&"a".repeat(201)), Err(QueryError::TooLong));
        assert!(parse(&"a".repeat(200)).is_ok());
        let many: Vec<String> = (0..13).map(|n| format!("w{n}")).collect();
        assert_eq!(parse(&many.join(" ")), Err(QueryError::TooManyClauses));
        assert!(!QueryError::OnlyExclusions.to_string().is_empty());
    }

    #[test]
    fn engine_syntax_stays_inside_quotes() {
        let q = parse(r#"NEAR(a b) body:x foo* ^start a"b AND OR NOT""#).unwrap();
        let fts = q.to_fts5();
        assert_eq!(
            fts,
            r#"("NEAR(a" AND "b)" AND "body:x" AND "foo*" AND "^start" AND "a" AND "b AND OR NOT")"#
        );
        let q = parse(r#"o'brien back\slash 'x' & | ! <-> :*"#).unwrap();
        assert_eq!(q.to_tsquery(), "'o brien' & 'back slash' & ' x '");
    }

    #[test]
    fn control_characters_and_duplicates_are_dropped() {
        let q = parse("bud\u{1}get budget \u{202e}x").unwrap();
        assert_eq!(q.include, [words(&["budget"]), words(&["x"])]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "\"",
            "-",
            "-\"",
            "\"\"\"",
            "-\"-\"",
            "\u{0}",
            "é\"",
            "\"é",
            "--\"a\"",
            "🦀 -🦀",
            "a\"b\"c\"",
            "\u{10ffff}\"",
        ];
        for s in samples {
            if let Ok(q) = parse(s) {
                let _ = (q.to_fts5(), q.to_tsquery());
            }
        }
        // Every prefix of a tricky string, cut at each character boundary.
        let tricky = "a \"b -c\" -\"d é\" 🦀\"x";
        for (i, _) in tricky.char_indices() {
            let _ = parse(&tricky[..i]);
        }
    }
}
