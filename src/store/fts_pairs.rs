//! `dateline_pairs`, the tokenizer of SQLite's search index (migration 0034):
//! FTS5's own `porter unicode61 remove_diacritics 2`, plus, at each word of a
//! story, the pair it makes with the next word ("talk" + "expand"), indexed at
//! the same position as the first word (FTS5's colocated tokens).
//!
//! Why: FTS5 finds a quoted phrase such as "talks expanded" by reading every
//! story holding both words and checking their positions; for a rare phrase of
//! two common words that is most of the archive's matches of each word, and a
//! phrase cost five times a word's instructions at a million stories
//! (bench/RESULTS.md). A phrase of n words is exactly its n − 1 pairs at
//! consecutive positions, so the same phrase written as pairs is one short list
//! read, newest first, with the same matches at the same positions: the same
//! rows and the same scores, since a colocated token adds nothing to a row's
//! length. PostgreSQL does the same with an index of its own (migration 0032).
//!
//! A query asks for pairs by starting a quoted string with [`BY_PAIRS`]; any
//! other string is the words tokenizer's, unchanged, as are highlights and
//! snippets (which never see a pair).

use libsqlite3_sys as ffi;
use std::ffi::{c_char, c_int, c_void};
use std::{ptr, slice};

/// Starts a query string that is to be looked up by its pairs of words.
/// Never part of a word (the words tokenizer treats it as a separator).
pub const BY_PAIRS: char = '\u{1}';

/// A pair's token: `BY_PAIRS`, the first word, a space, the second word. No
/// word holds either character, so a pair can never be taken for a word.
fn pair_token(first: &[u8], second: &[u8], into: &mut Vec<u8>) {
    into.clear();
    into.push(BY_PAIRS as u8);
    into.extend_from_slice(first);
    into.push(b' ');
    into.extend_from_slice(second);
}

type TokenCallback = unsafe extern "C" fn(
    context: *mut c_void,
    flags: c_int,
    token: *const c_char,
    length: c_int,
    start: c_int,
    end: c_int,
) -> c_int;

/// Registers `dateline_pairs` on one connection (`db` must be an open handle).
pub fn register(db: *mut ffi::sqlite3) -> Result<(), String> {
    // SAFETY: `db` is a live connection handle that the caller holds locked; FTS5
    // copies the methods, and the API object lives as long as the connection.
    unsafe { register_on(super::fts_rank::fts5_api(db)?) }
}

unsafe fn register_on(api: *mut ffi::fts5_api) -> Result<(), String> {
    let create = (*api)
        .xCreateTokenizer
        .ok_or("this SQLite's FTS5 cannot register tokenizers")?;
    let mut methods = ffi::fts5_tokenizer {
        xCreate: Some(create_tokenizer),
        xDelete: Some(delete_tokenizer),
        xTokenize: Some(tokenize),
    };
    // FTS5 copies `methods`; the API pointer is kept as the tokenizer's user data.
    let rc = create(
        api,
        c"dateline_pairs".as_ptr(),
        api.cast::<c_void>(),
        &mut methods,
        None,
    );
    if rc != ffi::SQLITE_OK {
        return Err(format!(
            "registering the dateline_pairs tokenizer failed (SQLite code {rc})"
        ));
    }
    Ok(())
}

/// One table's tokenizer: the words tokenizer it wraps.
struct PairsTokenizer {
    words: ffi::fts5_tokenizer,
    instance: *mut ffi::Fts5Tokenizer,
}

/// `tokenize = 'dateline_pairs porter unicode61 …'`: the first argument names
/// the words tokenizer, the rest are its own.
unsafe extern "C" fn create_tokenizer(
    api: *mut c_void,
    arguments: *mut *const c_char,
    argument_count: c_int,
    out: *mut *mut ffi::Fts5Tokenizer,
) -> c_int {
    let api = api.cast::<ffi::fts5_api>();
    let Some(find) = (*api).xFindTokenizer else {
        return ffi::SQLITE_ERROR;
    };
    if argument_count < 1 || arguments.is_null() {
        return ffi::SQLITE_ERROR;
    }
    let mut user_data = ptr::null_mut();
    let mut words = ffi::fts5_tokenizer {
        xCreate: None,
        xDelete: None,
        xTokenize: None,
    };
    let rc = find(api, *arguments, &mut user_data, &mut words);
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    let (Some(create), Some(_), Some(_)) = (words.xCreate, words.xDelete, words.xTokenize) else {
        return ffi::SQLITE_ERROR;
    };
    let mut instance = ptr::null_mut();
    let rc = create(
        user_data,
        arguments.add(1),
        argument_count - 1,
        &mut instance,
    );
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    *out = Box::into_raw(Box::new(PairsTokenizer { words, instance })).cast();
    ffi::SQLITE_OK
}

unsafe extern "C" fn delete_tokenizer(tokenizer: *mut ffi::Fts5Tokenizer) {
    if tokenizer.is_null() {
        return;
    }
    let tokenizer = Box::from_raw(tokenizer.cast::<PairsTokenizer>());
    if let Some(delete) = tokenizer.words.xDelete {
        delete(tokenizer.instance);
    }
}

/// A story's text gets its pairs beside its words; a query string marked
/// [`BY_PAIRS`] becomes its pairs; anything else is the words tokenizer's.
unsafe extern "C" fn tokenize(
    tokenizer: *mut ffi::Fts5Tokenizer,
    context: *mut c_void,
    flags: c_int,
    text: *const c_char,
    length: c_int,
    emit: Option<TokenCallback>,
) -> c_int {
    let tokenizer = &*tokenizer.cast::<PairsTokenizer>();
    let (Some(words), Some(emit)) = (tokenizer.words.xTokenize, emit) else {
        return ffi::SQLITE_ERROR;
    };
    let by_pairs = flags & ffi::FTS5_TOKENIZE_QUERY != 0
        && flags & ffi::FTS5_TOKENIZE_PREFIX == 0
        && length > 0
        && *text == BY_PAIRS as c_char;
    if flags & ffi::FTS5_TOKENIZE_DOCUMENT != 0 {
        let mut state = Document {
            context,
            emit,
            previous: Vec::new(),
            previous_start: None,
            pair: Vec::new(),
        };
        let state_pointer = (&mut state as *mut Document).cast::<c_void>();
        words(
            tokenizer.instance,
            state_pointer,
            flags,
            text,
            length,
            Some(document_token),
        )
    } else if by_pairs {
        let mut collected = Collected::default();
        let pointer = (&mut collected as *mut Collected).cast::<c_void>();
        let rc = words(
            tokenizer.instance,
            pointer,
            flags,
            text.add(1),
            length - 1,
            Some(collect_token),
        );
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        collected.emit_pairs(context, emit)
    } else {
        words(tokenizer.instance, context, flags, text, length, Some(emit))
    }
}

/// A story's text being indexed: each word goes through, after the pair it
/// closes, placed at the previous word's position.
struct Document {
    context: *mut c_void,
    emit: TokenCallback,
    previous: Vec<u8>,
    /// Where the previous word began; `None` before a column's first word.
    previous_start: Option<c_int>,
    pair: Vec<u8>,
}

unsafe extern "C" fn document_token(
    state: *mut c_void,
    flags: c_int,
    token: *const c_char,
    length: c_int,
    start: c_int,
    end: c_int,
) -> c_int {
    let state = &mut *state.cast::<Document>();
    // A word's alternative at its position (none with porter) makes no pairs.
    if flags & ffi::FTS5_TOKEN_COLOCATED != 0 {
        return (state.emit)(state.context, flags, token, length, start, end);
    }
    let word = bytes(token, length);
    if let Some(previous_start) = state.previous_start {
        pair_token(&state.previous, word, &mut state.pair);
        let rc = (state.emit)(
            state.context,
            ffi::FTS5_TOKEN_COLOCATED,
            state.pair.as_ptr().cast(),
            state.pair.len() as c_int,
            previous_start,
            end,
        );
        if rc != ffi::SQLITE_OK {
            return rc;
        }
    }
    state.previous.clear();
    state.previous.extend_from_slice(word);
    state.previous_start = Some(start);
    (state.emit)(state.context, flags, token, length, start, end)
}

/// A query string's words, to be turned into pairs.
#[derive(Default)]
struct Collected {
    words: Vec<(Vec<u8>, c_int, c_int)>,
}

unsafe extern "C" fn collect_token(
    state: *mut c_void,
    flags: c_int,
    token: *const c_char,
    length: c_int,
    start: c_int,
    end: c_int,
) -> c_int {
    let state = &mut *state.cast::<Collected>();
    if flags & ffi::FTS5_TOKEN_COLOCATED == 0 {
        state
            .words
            .push((bytes(token, length).to_vec(), start + 1, end + 1));
    }
    ffi::SQLITE_OK
}

impl Collected {
    /// The words' pairs, one after another: as a phrase they match exactly where
    /// the words do. A single word is itself; no words, nothing.
    unsafe fn emit_pairs(&self, context: *mut c_void, emit: TokenCallback) -> c_int {
        if let [(word, start, end)] = self.words.as_slice() {
            return emit(
                context,
                0,
                word.as_ptr().cast(),
                word.len() as c_int,
                *start,
                *end,
            );
        }
        let mut pair = Vec::new();
        for neighbours in self.words.windows(2) {
            let [(first, start, _), (second, _, end)] = neighbours else {
                continue;
            };
            pair_token(first, second, &mut pair);
            let rc = emit(
                context,
                0,
                pair.as_ptr().cast(),
                pair.len() as c_int,
                *start,
                *end,
            );
            if rc != ffi::SQLITE_OK {
                return rc;
            }
        }
        ffi::SQLITE_OK
    }
}

/// The bytes of a token FTS5 handed over (empty for a null or negative length).
unsafe fn bytes<'a>(token: *const c_char, length: c_int) -> &'a [u8] {
    if token.is_null() || length <= 0 {
        return &[];
    }
    slice::from_raw_parts(token.cast::<u8>(), length as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_cannot_be_a_word() {
        let mut pair = Vec::new();
        pair_token(b"talk", b"expand", &mut pair);
        assert_eq!(pair, b"\x01talk expand");
        assert!(pair.starts_with(&[BY_PAIRS as u8]));
    }
}
