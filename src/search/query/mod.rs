//! The query language: parsing (see `parse`) and turning the syntax tree into tantivy
//! queries over the memo fields, plus the patterns snippets highlight.
//!
//! tantivy's own query parser is not used: its errors carry no position, it has no date
//! shorthands such as `created:2024`, and it would not analyze a CJK word into the
//! phrase of its bigrams.

mod parse;

use std::ops::{Bound, Range};

use chrono::NaiveDate;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;

pub use parse::{Field, Interval, MAX_CLAUSES, MAX_QUERY_CHARS, Node, QueryError, Text, parse};

use super::analyzer::{self, Mode};
use super::schema::{Fields, keyword_analyzer};

/// The fields a word without a field name is looked up in, with their boosts.
const DEFAULT_FIELDS: [(DefaultField, f32); 7] = [
    (DefaultField::Title, 3.0),
    (DefaultField::Headings, 1.5),
    (DefaultField::Tags, 1.5),
    (DefaultField::Body, 1.0),
    (DefaultField::Comments, 1.0),
    (DefaultField::Authors, 1.0),
    (DefaultField::Attachments, 0.7),
];

#[derive(Clone, Copy)]
enum DefaultField {
    Title,
    Headings,
    Tags,
    Body,
    Comments,
    Authors,
    Attachments,
}

/// A term of a pattern: the terms that match at one offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternTerm {
    /// Offset from the pattern's first term, in positions.
    pub offset: usize,
    /// The analyzed terms that match here.
    pub terms: Vec<String>,
    /// Whether the terms are prefixes of the text's terms.
    pub prefix: bool,
}

/// A word, phrase or prefix the query looks for, as analyzed terms: what a snippet
/// highlights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub terms: Vec<PatternTerm>,
}

impl Pattern {
    /// Returns whether the pattern's term at `index` matches an analyzed token.
    pub fn matches(&self, index: usize, token: &str) -> bool {
        let term = &self.terms[index];
        term.terms.iter().any(|t| {
            if term.prefix {
                token.starts_with(t.as_str())
            } else {
                token == t
            }
        })
    }
}

/// A query ready to run.
pub struct CompiledQuery {
    pub query: Box<dyn Query>,
    /// Patterns to highlight in memo text.
    pub patterns: Vec<Pattern>,
    /// Patterns from `section:` clauses, to prefer the sections they name.
    pub section_patterns: Vec<Pattern>,
}

/// Parses and compiles a query.
pub fn compile(text: &str, fields: &Fields) -> Result<CompiledQuery, QueryError> {
    let node = parse(text)?;
    let mut compiler = Compiler {
        query: text,
        fields,
        analyzer: analyzer::analyzer(Mode::Query),
        unstemmed: analyzer::unstemmed_analyzer(),
        keyword: keyword_analyzer(),
        patterns: Vec::new(),
        section_patterns: Vec::new(),
    };
    let query = compiler.node(&node, false)?;
    Ok(CompiledQuery {
        query,
        patterns: compiler.patterns,
        section_patterns: compiler.section_patterns,
    })
}

struct Compiler<'a> {
    query: &'a str,
    fields: &'a Fields,
    analyzer: TextAnalyzer,
    unstemmed: TextAnalyzer,
    keyword: TextAnalyzer,
    patterns: Vec<Pattern>,
    section_patterns: Vec<Pattern>,
}

/// Analyzed terms with their positions relative to the first.
type Terms = Vec<(usize, String)>;

impl Compiler<'_> {
    fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>, QueryError> {
        match node {
            Node::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for part in parts {
                    match part {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.node(inner, !negated)?));
                        }
                        part => clauses.push((Occur::Must, self.node(part, negated)?)),
                    }
                }
                if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for part in parts {
                    clauses.push((Occur::Should, self.node(part, negated)?));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Not(inner) => Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner, !negated)?),
            ]))),
            Node::Text { field, text, span } => self.text(*field, text, span, negated),
            Node::Dates { field, days } => {
                let field = match field {
                    Field::Decided => self.fields.decided,
                    _ => self.fields.created,
                };
                let bound = |day: Option<NaiveDate>| {
                    day.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| {
                        Term::from_field_date(
                            field,
                            tantivy::DateTime::from_timestamp_secs(t.and_utc().timestamp()),
                        )
                    })
                };
                Ok(range(bound(days.start), bound(days.end)))
            }
            Node::Numbers { numbers } => {
                let field = self.fields.number;
                let bound = |n: Option<u64>| n.map(|n| Term::from_field_u64(field, n));
                Ok(range(bound(numbers.start), bound(numbers.end)))
            }
        }
    }

    fn error(&self, span: &Range<usize>, message: String, expected: &str) -> QueryError {
        QueryError {
            query: self.query.to_owned(),
            span: span.clone(),
            message,
            expected: expected.to_owned(),
        }
    }

    fn text(
        &mut self,
        field: Option<Field>,
        text: &Text,
        span: &Range<usize>,
        negated: bool,
    ) -> Result<Box<dyn Query>, QueryError> {
        if let Some(keyword_field) = field.and_then(|f| self.keyword_field(f)) {
            return self.keyword(keyword_field, text, span);
        }
        let raw = match text {
            Text::Word(t) | Text::Phrase(t) | Text::Prefix(t) => t.as_str(),
        };
        let stemmed = terms(&mut self.analyzer, raw);
        if stemmed.is_empty() {
            return Err(self.error(
                span,
                format!("`{raw}` has no letters or digits to search for"),
                "a word with letters or digits",
            ));
        }
        let prefix = match text {
            Text::Prefix(_) => {
                let unstemmed = terms(&mut self.unstemmed, raw);
                let last = unstemmed.last().map(|(_, t)| t.clone()).unwrap_or_default();
                let stem = stemmed.last().map(|(_, t)| t.clone()).unwrap_or_default();
                let mut variants = vec![last];
                if !variants.contains(&stem) {
                    variants.push(stem);
                }
                Some(variants)
            }
            _ => None,
        };

        let pattern = pattern(&stemmed, prefix.as_deref());
        if !negated {
            if field == Some(Field::Section) {
                self.section_patterns.push(pattern.clone());
            }
            if field.is_none_or(|f| matches!(f, Field::Comment | Field::Attachment)) {
                self.patterns.push(pattern);
            }
        }

        let targets: Vec<(tantivy::schema::Field, f32)> = match field {
            None => DEFAULT_FIELDS
                .iter()
                .map(|(f, boost)| (self.default_field(*f), *boost))
                .collect(),
            Some(Field::Title) => vec![(self.fields.title, 1.0)],
            Some(Field::Author) => vec![(self.fields.authors, 1.0)],
            Some(Field::Section) => vec![(self.fields.headings, 1.0)],
            Some(Field::Comment) => vec![(self.fields.comments, 1.0)],
            Some(Field::Attachment) => vec![(self.fields.attachments, 1.0)],
            Some(_) => Vec::new(),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (target, boost) in targets {
            let query: Box<dyn Query> = if target == self.fields.tags {
                // Tags are keywords: the word as typed, not stemmed.
                match self.keyword_terms(raw).as_slice() {
                    [term] => match &prefix {
                        Some(_) => Box::new(PhrasePrefixQuery::new(vec![Term::from_field_text(
                            target, term,
                        )])),
                        None => Box::new(TermQuery::new(
                            Term::from_field_text(target, term),
                            IndexRecordOption::Basic,
                        )),
                    },
                    _ => continue,
                }
            } else {
                text_query(target, &stemmed, prefix.as_deref())
            };
            clauses.push((Occur::Should, boosted(query, boost)));
        }
        Ok(match clauses.len() {
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        })
    }

    fn keyword_field(&self, field: Field) -> Option<tantivy::schema::Field> {
        match field {
            Field::Status => Some(self.fields.status),
            Field::Tag => Some(self.fields.tags),
            Field::Template => Some(self.fields.template),
            _ => None,
        }
    }

    fn default_field(&self, field: DefaultField) -> tantivy::schema::Field {
        match field {
            DefaultField::Title => self.fields.title,
            DefaultField::Headings => self.fields.headings,
            DefaultField::Tags => self.fields.tags,
            DefaultField::Body => self.fields.body,
            DefaultField::Comments => self.fields.comments,
            DefaultField::Authors => self.fields.authors,
            DefaultField::Attachments => self.fields.attachments,
        }
    }

    fn keyword_terms(&mut self, raw: &str) -> Vec<String> {
        terms(&mut self.keyword, raw.trim())
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    fn keyword(
        &mut self,
        field: tantivy::schema::Field,
        text: &Text,
        span: &Range<usize>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let (raw, prefix) = match text {
            Text::Word(t) | Text::Phrase(t) => (t.as_str(), false),
            Text::Prefix(t) => (t.as_str(), true),
        };
        let Some(term) = self.keyword_terms(raw).into_iter().next() else {
            return Err(self.error(span, "an empty value".to_owned(), "a value"));
        };
        let term = Term::from_field_text(field, &term);
        Ok(if prefix {
            Box::new(PhrasePrefixQuery::new(vec![term]))
        } else {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        })
    }
}

/// Returns the analyzed terms of a text with positions relative to the first term.
fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Terms {
    let tokens = analyzer::tokens(analyzer, text);
    let first = tokens.first().map_or(0, |t| t.position);
    tokens
        .into_iter()
        .map(|t| (t.position - first, t.text))
        .collect()
}

/// Builds the query for analyzed terms in one text field: a term, a phrase, or a
/// phrase whose last term is a prefix (with its variants).
fn text_query(
    field: tantivy::schema::Field,
    terms: &Terms,
    prefix: Option<&[String]>,
) -> Box<dyn Query> {
    let term = |text: &str| Term::from_field_text(field, text);
    match prefix {
        Some(variants) => {
            let head: Vec<(usize, Term)> = terms[..terms.len() - 1]
                .iter()
                .map(|(offset, text)| (*offset, term(text)))
                .collect();
            let last_offset = terms.last().map_or(0, |(offset, _)| *offset);
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for variant in variants {
                let mut phrase = head.clone();
                phrase.push((last_offset, term(variant)));
                alternatives.push((
                    Occur::Should,
                    Box::new(PhrasePrefixQuery::new_with_offset(phrase)),
                ));
            }
            match alternatives.len() {
                1 => alternatives.remove(0).1,
                _ => Box::new(BooleanQuery::new(alternatives)),
            }
        }
        None if terms.len() == 1 => Box::new(TermQuery::new(
            term(&terms[0].1),
            IndexRecordOption::WithFreqs,
        )),
        None => Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|(offset, text)| (*offset, term(text)))
                .collect(),
        )),
    }
}

fn pattern(terms: &Terms, prefix: Option<&[String]>) -> Pattern {
    let last = terms.len() - 1;
    Pattern {
        terms: terms
            .iter()
            .enumerate()
            .map(|(i, (offset, text))| match prefix {
                Some(variants) if i == last => PatternTerm {
                    offset: *offset,
                    terms: variants.to_vec(),
                    prefix: true,
                },
                _ => PatternTerm {
                    offset: *offset,
                    terms: vec![text.clone()],
                    prefix: false,
                },
            })
            .collect(),
    }
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

fn range(start: Option<Term>, end: Option<Term>) -> Box<dyn Query> {
    let start = start.map_or(Bound::Unbounded, Bound::Included);
    let end = end.map_or(Bound::Unbounded, Bound::Excluded);
    if matches!((&start, &end), (Bound::Unbounded, Bound::Unbounded)) {
        return Box::new(AllQuery);
    }
    Box::new(RangeQuery::new(start, end))
}
