//! Recall of memo's analyzer for words in Chinese, Japanese, Korean and Russian text,
//! against tantivy's default tokenizer, on the translations of RFC 3392.
//!
//! Run: `MEMO_TEST_CORPUS=path/to/rust-rfcs/text cargo bench --bench cjk`
//!
//! Each paragraph of each translation is a document. For every query word, the
//! relevant paragraphs are those whose text contains the word (NFKC, lower case), as
//! grep would find them. An analyzer retrieves a paragraph when the word's terms occur
//! at consecutive positions in the paragraph's terms, which is how a phrase query
//! matches. The report gives recall and precision against grep, terms per 1,000
//! characters (what the index stores), and analysis speed.

use std::path::PathBuf;
use std::time::Instant;

use memo::search::analyzer::{self, Mode};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, Token};
use unicode_normalization::UnicodeNormalization;

const TRANSLATIONS: [(&str, &str, &[&str]); 5] = [
    (
        "Japanese",
        "Leadership-Council-RFCja.md",
        &[
            "ガバナンス",
            "要約",
            "カウンシル",
            "翻訳",
            "決定",
            "チーム",
            "モデレーション",
            "プロジェクト",
            "委任",
            "ポリシー",
            "責任",
        ],
    ),
    (
        "Chinese (simplified)",
        "Leadership-Council-RFCzh-Hans.md",
        &[
            "理事会",
            "摘要",
            "团队",
            "决策",
            "翻译",
            "项目",
            "审核",
            "责任",
            "政策",
        ],
    ),
    (
        "Chinese (traditional)",
        "Leadership-Council-RFCzh-Hant.md",
        &["理事會", "團隊", "決策", "翻譯", "專案", "責任", "政策"],
    ),
    (
        "Korean",
        "Leadership-Council-RFCko.md",
        &[
            "심의회",
            "팀",
            "결정",
            "거버넌스",
            "번역",
            "권한",
            "프로젝트",
            "위임",
            "중재",
            "책임",
            "정책",
        ],
    ),
    (
        "Russian",
        "Leadership-Council-RFCru-RU.md",
        &["совет", "команда", "решение", "перевод", "проект"],
    ),
];

fn main() {
    let Some(corpus) = std::env::var_os("MEMO_TEST_CORPUS").map(PathBuf::from) else {
        eprintln!("CJK benchmark skipped: set MEMO_TEST_CORPUS to the folder of RFCs");
        return;
    };
    let folder = corpus.join("3392-leadership-council");
    println!("# Analysis of the RFC 3392 translations\n");
    println!(
        "| language | paragraphs | query words | memo recall | memo precision | default recall | memo terms / 1,000 chars | default terms / 1,000 chars | memo MB/s | default MB/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (language, file, words) in TRANSLATIONS {
        let text = std::fs::read_to_string(folder.join(file)).expect("read a translation");
        let paragraphs: Vec<&str> = text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .collect();

        let mut memo_analyzer = analyzer::analyzer(Mode::Index);
        let mut memo_query = analyzer::analyzer(Mode::Query);
        let mut default = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build();

        let memo_terms: Vec<Vec<Token>> = paragraphs
            .iter()
            .map(|p| analyzer::tokens(&mut memo_analyzer, p))
            .collect();
        let default_terms: Vec<Vec<Token>> = paragraphs
            .iter()
            .map(|p| analyzer::tokens(&mut default, p))
            .collect();

        let (mut relevant, mut memo_found, mut memo_right, mut default_right) = (0, 0, 0, 0);
        for word in words {
            let needle = normalise(word);
            let memo_phrase = analyzer::tokens(&mut memo_query, word);
            let default_phrase = analyzer::tokens(&mut default, word);
            for (i, paragraph) in paragraphs.iter().enumerate() {
                let is_relevant = normalise(paragraph).contains(&needle);
                // Russian is stemmed, so memo also finds other forms of the word;
                // recall counts the forms grep finds.
                let by_memo = contains_phrase(&memo_terms[i], &memo_phrase);
                let by_default = contains_phrase(&default_terms[i], &default_phrase);
                relevant += usize::from(is_relevant);
                memo_found += usize::from(by_memo);
                memo_right += usize::from(by_memo && is_relevant);
                default_right += usize::from(by_default && is_relevant);
            }
        }

        let chars = text.chars().count() as f64 / 1000.0;
        let memo_count: usize = memo_terms.iter().map(Vec::len).sum();
        let default_count: usize = default_terms.iter().map(Vec::len).sum();
        let memo_speed = speed(&text, &mut analyzer::analyzer(Mode::Index));
        let default_speed = speed(&text, &mut default);
        println!(
            "| {language} | {} | {} | {:.0}% | {:.0}% | {:.0}% | {:.0} | {:.0} | {:.1} | {:.1} |",
            paragraphs.len(),
            words.len(),
            percent(memo_right, relevant),
            percent(memo_right, memo_found),
            percent(default_right, relevant),
            memo_count as f64 / chars,
            default_count as f64 / chars,
            memo_speed,
            default_speed,
        );
    }
}

fn normalise(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// Returns whether `phrase` occurs in `terms` at the same relative positions.
fn contains_phrase(terms: &[Token], phrase: &[Token]) -> bool {
    let Some(first) = phrase.first() else {
        return false;
    };
    terms.iter().filter(|t| t.text == first.text).any(|start| {
        phrase[1..].iter().all(|next| {
            let position = start.position + next.position - first.position;
            terms
                .iter()
                .any(|t| t.position == position && t.text == next.text)
        })
    })
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Returns the analysis speed in MB/s, best of ten passes over the text.
fn speed(text: &str, analyzer: &mut TextAnalyzer) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..10 {
        let started = Instant::now();
        let count = analyzer::tokens(analyzer, text).len();
        std::hint::black_box(count);
        best = best.min(started.elapsed().as_secs_f64());
    }
    text.len() as f64 / 1e6 / best
}
