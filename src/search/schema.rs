//! The tantivy schema of the memo index: one document per memo.
//!
//! Text fields go through the memo analyzer (see `analyzer`) with positions, so phrases
//! and CJK words match. Status, tags and template are keywords: matched whole, in any
//! case. Bodies, attachments and comments are indexed but not stored: snippets are cut
//! from the memo file itself, which is always at least as new as the index.

use tantivy::Index;
use tantivy::schema::{
    DateOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};

use super::analyzer::{self, ANALYZER, Mode};

/// The name the keyword analyzer is registered under.
pub const KEYWORD: &str = "memo_keyword";

/// Bumped whenever the schema or an analyzer changes; an index of another version is
/// rebuilt.
pub const FORMAT_VERSION: u32 = 4;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The memo file, relative to the repository root, with `/` separators.
    pub path: Field,
    pub uid: Field,
    pub number: Field,
    pub title: Field,
    pub status: Field,
    pub template: Field,
    pub tags: Field,
    pub authors: Field,
    pub created: Field,
    pub decided: Field,
    /// The section headings, for `section:`.
    pub headings: Field,
    pub body: Field,
    pub attachments: Field,
    pub comments: Field,
    /// The git blob id of the memo file that was indexed.
    pub blob: Field,
    /// A fingerprint of the memo's other inputs (attachments, comment thread head).
    pub inputs: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let keyword = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_stored();
    let date = DateOptions::from(INDEXED | STORED | FAST);
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED),
        uid: builder.add_text_field("uid", STRING | STORED),
        number: builder.add_u64_field("number", INDEXED | STORED | FAST),
        title: builder.add_text_field("title", text(true)),
        status: builder.add_text_field("status", keyword.clone()),
        template: builder.add_text_field("template", keyword.clone()),
        tags: builder.add_text_field("tags", keyword),
        authors: builder.add_text_field("authors", text(true)),
        created: builder.add_date_field("created", date.clone()),
        decided: builder.add_date_field("decided", date),
        headings: builder.add_text_field("headings", text(false)),
        body: builder.add_text_field("body", text(false)),
        attachments: builder.add_text_field("attachments", text(false)),
        comments: builder.add_text_field("comments", text(false)),
        blob: builder.add_text_field("blob", STRING | STORED),
        inputs: builder.add_text_field("inputs", STRING | STORED),
    };
    (builder.build(), fields)
}

/// Registers the analyzers the schema names; needed on every opened index.
pub fn register_analyzers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(ANALYZER, analyzer::analyzer(Mode::Index));
    tokenizers.register(KEYWORD, keyword_analyzer());
}

/// Returns the analyzer for keywords: the whole value, lower-cased.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}
