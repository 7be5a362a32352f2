//! The tantivy schema of the memo index and the analyzer its text goes through.

use tantivy::schema::{
    DateOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// The name the memo analyzer is registered under.
pub const ANALYZER: &str = "memo";

/// Bumped whenever the schema or the analyzer changes; an index of another version is
/// rebuilt.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub path: Field,
    pub uid: Field,
    pub number: Field,
    pub title: Field,
    pub status: Field,
    pub template: Field,
    pub tags: Field,
    pub authors: Field,
    pub created: Field,
    pub body: Field,
    pub attachments: Field,
    pub blob: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED),
        uid: builder.add_text_field("uid", STRING | STORED),
        number: builder.add_u64_field("number", INDEXED | STORED | FAST),
        title: builder.add_text_field("title", text.clone()),
        status: builder.add_text_field("status", STRING | STORED),
        template: builder.add_text_field("template", STRING | STORED),
        tags: builder.add_text_field("tags", STRING | STORED),
        authors: builder.add_text_field("authors", text.clone()),
        created: builder.add_date_field("created", DateOptions::from(INDEXED | STORED | FAST)),
        body: builder.add_text_field("body", text.clone()),
        attachments: builder.add_text_field("attachments", text),
        blob: builder.add_text_field("blob", STRING | STORED),
    };
    (builder.build(), fields)
}

/// Returns the analyzer for memo text: words split on non-alphanumerics, lower-cased,
/// accents folded to ASCII (`café` is found by `cafe`) and stemmed as English.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}
