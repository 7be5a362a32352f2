//! The analyzer every text field of the index goes through, at index and query time.
//!
//! Text is split into words and runs of CJK characters:
//!
//! - a word is a run of letters, digits and combining marks in any script but Chinese,
//!   Japanese and Korean. It is normalised to NFKC, lower-cased, folded and stemmed:
//!   Latin letters lose their diacritics (`Zürich` becomes `zurich`, `ß` becomes `ss`),
//!   Greek letters their accents and final sigma, Arabic and Hebrew letters their vowel
//!   points, Cyrillic `ё` becomes `е`. Letters are never dropped: Cyrillic `й`, Indic
//!   vowel signs and every letter of other scripts stay as they are. ASCII words are
//!   stemmed as English and Cyrillic words as Russian (Snowball).
//! - a CJK run (Han, kana, Hangul) has no spaces between its words, so it is indexed as
//!   overlapping bigrams of its characters, plus each character alone. A query word of
//!   two or more CJK characters becomes the phrase of its bigrams, which matches exactly
//!   where those characters occur in that order inside a run: `請求書発行` finds
//!   `現在の請求書発行基盤は`. A query of one CJK character matches that character alone.
//!
//! Bigrams were chosen over a dictionary tokenizer (lindera, jieba) because they need no
//! per-language dictionary in the binary, and they never miss a match that a dictionary
//! would split differently in the query and in the text. The price is precision: `京都`
//! also matches inside `東京都`. docs/search.md records the measurements behind this.
//!
//! Runs of different kinds are separated by one unused position, so a phrase never
//! matches across a punctuation mark inside CJK text.

use std::collections::{HashMap, VecDeque};

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_segmentation::UnicodeSegmentation;

/// The name the memo analyzer is registered under in the index.
pub const ANALYZER: &str = "memo";

/// Terms longer than this many bytes are cut (at a character boundary), in the index
/// and in queries alike, so a long word is still found by its beginning.
pub const MAX_TERM_BYTES: usize = 64;

/// Whether CJK runs yield their single characters besides the bigrams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Bigrams plus every character alone, so one-character queries match.
    Index,
    /// Bigrams only (a run of one character yields that character), so a query word
    /// becomes the shortest phrase that finds it.
    Query,
}

/// Returns the analyzer with stemming, as the index uses it.
pub fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::from(MemoTokenizer::new(mode).stemmed())
}

/// Returns the analyzer without stemming, for prefix queries: `decision*` must keep
/// its letters to find `decisions`.
pub fn unstemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(MemoTokenizer::new(Mode::Query))
}

/// The index analyzer for text that is searched for a few known terms (the sections of
/// a hit, for its snippet). A word whose first letter starts none of the terms is left
/// unstemmed, because it cannot match: English and Russian Snowball stemming changes
/// word endings only, never the first letter.
pub struct TermFinder {
    tokenizer: MemoTokenizer,
    stems: Stems,
    initials: Vec<char>,
}

impl TermFinder {
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> TermFinder {
        let mut initials: Vec<char> = terms.into_iter().filter_map(|t| t.chars().next()).collect();
        initials.sort_unstable();
        initials.dedup();
        TermFinder {
            tokenizer: MemoTokenizer::new(Mode::Index),
            stems: Stems::default(),
            initials,
        }
    }

    /// Returns the tokens of `text` that can match one of the terms (those that start
    /// with a term's first letter), exactly as `analyzer(Mode::Index)` returns them.
    /// Stemming keeps a word's first letter, so no other token can match, and skipping
    /// them spares most of the copying and all of the stemming.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = self.tokenizer.token_stream(text);
        while let Some(token) = stream.next() {
            let first = token.text.chars().next();
            if first.is_none_or(|c| self.initials.binary_search(&c).is_err()) {
                continue;
            }
            let mut token = token.clone();
            self.stems.stem(&mut token.text);
            out.push(token);
        }
        out
    }
}

/// Splits text into normalised words and CJK bigrams (see the module documentation).
#[derive(Clone)]
pub struct MemoTokenizer {
    mode: Mode,
    token: Token,
    pending: VecDeque<Token>,
    stems: Option<Stems>,
}

impl MemoTokenizer {
    pub fn new(mode: Mode) -> MemoTokenizer {
        MemoTokenizer {
            mode,
            token: Token::default(),
            pending: VecDeque::new(),
            stems: None,
        }
    }

    /// Stems the words this tokenizer returns.
    pub fn stemmed(mut self) -> MemoTokenizer {
        self.stems = Some(Stems::default());
        self
    }
}

/// Snowball stemmers with a memory of the words already stemmed: words repeat so often
/// in prose that the memory saves most of the indexing time stemming would take.
#[derive(Clone)]
struct Stems {
    english: TextAnalyzer,
    russian: TextAnalyzer,
    known: HashMap<String, String>,
}

/// The maximum number of words [`Stems`] remembers before it starts over, an
/// estimated 4 MB. tantivy keeps one analyzer per text field and indexing thread, so
/// a build holds a dozen of these memories.
const MAX_KNOWN_STEMS: usize = 50_000;

impl Default for Stems {
    fn default() -> Stems {
        let stemmer = |language| {
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(language))
                .build()
        };
        Stems {
            english: stemmer(Language::English),
            russian: stemmer(Language::Russian),
            known: HashMap::new(),
        }
    }
}

impl Stems {
    /// Replaces a normalised word with its stem: English for words in Latin letters,
    /// Russian for words with Cyrillic letters, none for other scripts.
    fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.known.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stemmer = if word.is_ascii() {
            &mut self.english
        } else if word.chars().any(|c| matches!(c as u32, 0x0400..=0x04FF)) {
            &mut self.russian
        } else {
            return;
        };
        let mut stream = stemmer.token_stream(word);
        let Some(stem) = stream.next().map(|t| t.text.clone()) else {
            return;
        };
        drop(stream);
        if self.known.len() >= MAX_KNOWN_STEMS {
            self.known.clear();
        }
        let original = std::mem::replace(word, stem);
        self.known.insert(original, word.clone());
    }
}

impl Tokenizer for MemoTokenizer {
    type TokenStream<'a> = MemoTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoTokenStream<'a> {
        self.token.reset();
        self.pending.clear();
        MemoTokenStream {
            text,
            cursor: 0,
            next_position: 0,
            mode: self.mode,
            token: &mut self.token,
            pending: &mut self.pending,
            stems: self.stems.as_mut(),
        }
    }
}

pub struct MemoTokenStream<'a> {
    text: &'a str,
    /// Byte offset where scanning continues.
    cursor: usize,
    next_position: usize,
    mode: Mode,
    token: &'a mut Token,
    /// Tokens of the current CJK run not yet returned.
    pending: &'a mut VecDeque<Token>,
    stems: Option<&'a mut Stems>,
}

impl TokenStream for MemoTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            *self.token = next;
            return true;
        }
        let bytes = self.text.as_bytes();
        while self.cursor < bytes.len() {
            let start = self.cursor;
            // ASCII fast path: most memo text is ASCII words and punctuation.
            let byte = bytes[start];
            if byte.is_ascii() {
                if byte.is_ascii_alphanumeric() {
                    self.word(start);
                    return true;
                }
                self.cursor += 1;
                continue;
            }
            let Some(c) = self.text[start..].chars().next() else {
                break;
            };
            if is_cjk(c) {
                self.cjk_run(start);
                if let Some(next) = self.pending.pop_front() {
                    *self.token = next;
                    return true;
                }
            } else if is_word_char(c) {
                self.word(start);
                return true;
            } else {
                self.cursor += c.len_utf8();
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl MemoTokenStream<'_> {
    /// Reads the word starting at `start` into the current token.
    fn word(&mut self, start: usize) {
        let mut end = start;
        let mut ascii = true;
        for (offset, c) in self.text[start..].char_indices() {
            let continues = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                ascii = false;
                (is_word_char(c) || is_combining_mark(c)) && !is_cjk(c)
            };
            if !continues {
                break;
            }
            end = start + offset + c.len_utf8();
        }
        let raw = &self.text[start..end];
        let token = &mut *self.token;
        token.text.clear();
        if ascii {
            token.text.push_str(raw);
            token.text.make_ascii_lowercase();
        } else {
            normalize_word(raw, &mut token.text);
        }
        truncate_term(&mut token.text);
        if let Some(stems) = self.stems.as_deref_mut() {
            stems.stem(&mut token.text);
        }
        token.offset_from = start;
        token.offset_to = end;
        token.position = self.next_position;
        token.position_length = 1;
        self.next_position += 1;
        self.cursor = end;
    }

    /// Queues the tokens of the CJK run starting at `start`.
    fn cjk_run(&mut self, start: usize) {
        let mut end = start;
        for (offset, c) in self.text[start..].char_indices() {
            if !(is_cjk(c) || (end > start && is_combining_mark(c))) {
                break;
            }
            end = start + offset + c.len_utf8();
        }
        self.cursor = end;

        // A character with its combining marks (a kana with a voicing mark, a Hangul
        // syllable written as separate jamo) is one unit.
        let units: Vec<(usize, usize, String)> = self.text[start..end]
            .grapheme_indices(true)
            .map(|(offset, grapheme)| {
                let from = start + offset;
                (from, from + grapheme.len(), grapheme.nfkc().collect())
            })
            .collect();
        let base = self.next_position;
        let single = units.len() == 1;
        for (i, (from, to, text)) in units.iter().enumerate() {
            if self.mode == Mode::Index || single {
                self.pending.push_back(Token {
                    offset_from: *from,
                    offset_to: *to,
                    position: base + i,
                    text: text.clone(),
                    position_length: 1,
                });
            }
            if let Some((_, next_to, next_text)) = units.get(i + 1) {
                let mut bigram = String::with_capacity(text.len() + next_text.len());
                bigram.push_str(text);
                bigram.push_str(next_text);
                self.pending.push_back(Token {
                    offset_from: *from,
                    offset_to: *next_to,
                    position: base + i,
                    text: bigram,
                    position_length: 1,
                });
            }
        }
        // One unused position after the run keeps phrases from matching across it.
        self.next_position = base + units.len() + 1;
    }
}

/// Returns whether a character belongs to a script written without spaces between
/// words: Han ideographs, hiragana, katakana (with the prolonged sound mark and
/// half-width forms), Hangul, and the ideographic iteration and closing marks.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul jamo
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3021..=0x3029    // Hangzhou numerals
        | 0x3031..=0x3035    // kana repeat marks
        | 0x303B..=0x303C
        | 0x3040..=0x30FF    // hiragana, katakana
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0x31F0..=0x31FF    // katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xA960..=0xA97F    // Hangul jamo extended A
        | 0xAC00..=0xD7FF    // Hangul syllables, jamo extended B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width katakana
        | 0xFFA0..=0xFFDC    // half-width Hangul
        | 0x1B000..=0x1B16F  // kana supplement and extended
        | 0x20000..=0x3134F  // CJK extensions B to G
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Writes the normalised form of a word with non-ASCII characters into `out`: NFKC,
/// lower case, then the folding the module documentation describes.
fn normalize_word(raw: &str, out: &mut String) {
    for c in raw.nfkc().flat_map(char::to_lowercase) {
        fold_char(c, out);
    }
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    let special = match c {
        'ß' => Some("ss"),
        'æ' => Some("ae"),
        'œ' => Some("oe"),
        'ø' => Some("o"),
        'đ' | 'ð' => Some("d"),
        'þ' => Some("th"),
        'ł' => Some("l"),
        'ı' => Some("i"),
        'ħ' => Some("h"),
        'ŀ' => Some("l"),
        'ſ' => Some("s"),
        'ς' => Some("σ"),
        'ё' => Some("е"),
        _ => None,
    };
    if let Some(folded) = special {
        out.push_str(folded);
        return;
    }
    if is_droppable_mark(c) {
        return;
    }
    let code = c as u32;
    let latin = matches!(code, 0x00C0..=0x024F | 0x1E00..=0x1EFF);
    let greek = matches!(code, 0x0370..=0x03FF | 0x1F00..=0x1FFF);
    if latin || greek {
        // Keep the base letter of the canonical decomposition and drop its marks.
        let mut base = None;
        decompose_canonical(c, |part| {
            if base.is_none() {
                base = Some(part);
            }
        });
        match base {
            Some(base) if base != c && !is_combining_mark(base) => {
                out.extend(base.to_lowercase());
            }
            _ => out.push(c),
        }
        return;
    }
    out.push(c);
}

/// Returns whether a character is a mark that search folds away: combining diacritics
/// (left over after NFKC when no precomposed letter exists), Greek accents, Arabic
/// vowel marks and Hebrew points.
fn is_droppable_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F      // combining diacritical marks
        | 0x1AB0..=0x1AFF    // combining diacritical marks extended
        | 0x1DC0..=0x1DFF    // combining diacritical marks supplement
        | 0x0591..=0x05BD    // Hebrew accents and points
        | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7
        | 0x064B..=0x065F    // Arabic harakat
        | 0x0670             // Arabic superscript alef
    )
}

fn truncate_term(text: &mut String) {
    if text.len() > MAX_TERM_BYTES {
        let mut end = MAX_TERM_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// Returns the tokens of `text` as the analyzer produces them.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mode: Mode, text: &str) -> Vec<String> {
        tokens(&mut analyzer(mode), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn query_terms(text: &str) -> Vec<String> {
        terms(Mode::Query, text)
    }

    #[test]
    fn english_words_are_lowercased_and_stemmed() {
        assert_eq!(
            query_terms("Decisions were DECIDED; queues."),
            ["decis", "were", "decid", "queue"]
        );
    }

    #[test]
    fn latin_diacritics_fold() {
        assert_eq!(
            query_terms("café Zürich Ærø straße"),
            ["cafe", "zurich", "aero", "strass"]
        );
        // Decomposed input folds like precomposed input.
        assert_eq!(query_terms("cafe\u{301}"), ["cafe"]);
        assert_eq!(query_terms("Łódź"), ["lodz"]);
    }

    #[test]
    fn non_latin_letters_survive() {
        for (text, expected) in [
            ("Совет управления", vec!["совет", "управлен"]),
            ("мой", vec!["мо"]),
            ("Ελληνικά ΣΟΦΊΑ", vec!["ελληνικα", "σοφια"]),
            ("مُحَمَّد", vec!["محمد"]),
            ("हिन्दी", vec!["हिन्दी"]),
            ("ไทย", vec!["ไทย"]),
        ] {
            assert_eq!(query_terms(text), expected, "{text}");
        }
        // Cyrillic й keeps its breve: it is a letter of its own, not a decorated и.
        assert!(terms(Mode::Index, "йод")[0].starts_with('й'));
        assert_eq!(query_terms("ёлка"), query_terms("елка"));
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(query_terms("請求書発行"), ["請求", "求書", "書発", "発行"]);
        assert_eq!(query_terms("決"), ["決"]);
        assert_eq!(
            terms(Mode::Index, "請求書"),
            ["請", "請求", "求", "求書", "書"]
        );
        assert_eq!(query_terms("대행사 교체"), ["대행", "행사", "교체"]);
    }

    #[test]
    fn cjk_positions_leave_a_gap_after_a_run() {
        let tokens = tokens(&mut analyzer(Mode::Query), "消息总线。日志归档 queue");
        let positions: Vec<(String, usize)> = tokens
            .iter()
            .map(|t| (t.text.clone(), t.position))
            .collect();
        assert_eq!(
            positions,
            [
                ("消息".to_owned(), 0),
                ("息总".to_owned(), 1),
                ("总线".to_owned(), 2),
                ("日志".to_owned(), 5),
                ("志归".to_owned(), 6),
                ("归档".to_owned(), 7),
                ("queue".to_owned(), 10),
            ]
        );
    }

    #[test]
    fn mixed_script_words_split_at_cjk() {
        assert_eq!(query_terms("Rustの体制"), ["rust", "の体", "体制"]);
    }

    #[test]
    fn offsets_cover_the_original_characters() {
        let text = "現在の請求書発行基盤は";
        for token in tokens(&mut analyzer(Mode::Index), text) {
            let slice = &text[token.offset_from..token.offset_to];
            assert_eq!(slice.nfkc().collect::<String>(), token.text);
        }
        let text = "Cafe\u{301} au lait";
        let first = &tokens(&mut analyzer(Mode::Index), text)[0];
        assert_eq!(&text[first.offset_from..first.offset_to], "Cafe\u{301}");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(query_terms("ＲＦＣ"), ["rfc"]);
        assert_eq!(query_terms("ｶﾀｶﾅ"), query_terms("カタカナ"));
        assert_eq!(query_terms("ﬁle"), ["file"]);
    }

    #[test]
    fn long_terms_are_cut_at_a_character_boundary() {
        let long = "é".repeat(100);
        let terms = query_terms(&long);
        assert_eq!(terms.len(), 1);
        assert!(terms[0].len() <= MAX_TERM_BYTES);
        assert!(terms[0].chars().all(|c| c == 'e'));
        let long = "ж".repeat(100);
        assert!(unstemmed_terms(&long)[0].len() <= MAX_TERM_BYTES);
    }

    fn unstemmed_terms(text: &str) -> Vec<String> {
        tokens(&mut unstemmed_analyzer(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn remembered_stems_equal_fresh_ones() {
        let text = "Decisions decided: Совета советы, 請求書発行 café cafés";
        let fresh = tokens(&mut analyzer(Mode::Index), text);
        let mut reused = analyzer(Mode::Index);
        assert_eq!(tokens(&mut reused, text), fresh);
        assert_eq!(tokens(&mut reused, text), fresh);
    }

    #[test]
    fn term_finder_stems_the_words_that_can_match() {
        let text = "Decisions decided queues: Совета, 請求書発行 and the rest";
        let full = tokens(&mut analyzer(Mode::Index), text);
        let mut finder = TermFinder::new(["decis", "совет", "請求"]);
        let found = finder.tokens(text);
        let candidates: Vec<&Token> = full
            .iter()
            .filter(|t| t.text.starts_with(['d', 'с', '請']))
            .collect();
        assert_eq!(found.len(), candidates.len());
        for (f, t) in found.iter().zip(candidates) {
            assert_eq!(
                (f.offset_from, f.position, &f.text),
                (t.offset_from, t.position, &t.text)
            );
        }
        // Words with other initials cannot match and are left out.
        assert!(!found.iter().any(|t| t.text.starts_with('q')));
    }

    #[test]
    fn punctuation_and_symbols_are_separators() {
        assert_eq!(
            query_terms("snake_case, v1.2 -- C++"),
            ["snake", "case", "v1", "2", "c"]
        );
        assert!(query_terms("!!! --- ***").is_empty());
    }
}
