//! The query language's parser: text to a syntax tree, or an error that points at the
//! place in the query where something else was expected.
//!
//! Grammar, loosest binding first (docs/search.md describes it for users):
//!
//! ```text
//! query   = or EOF
//! or      = and { "OR" and }
//! and     = unary { ["AND"] unary }
//! unary   = "NOT" unary | "-" unary | primary
//! primary = "(" or ")" | FIELD ":" value | PHRASE | WORD
//! value   = "(" or ")" | PHRASE | WORD
//! ```
//!
//! `AND`, `OR` and `NOT` are operators only in capitals; in lower case they are words.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

/// The maximum length of a query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// The maximum number of words, phrases and field values in one query.
pub const MAX_CLAUSES: usize = 64;

/// The deepest nesting of parentheses.
const MAX_DEPTH: usize = 16;

/// A field a query can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    Status,
    Tag,
    Author,
    Template,
    Section,
    Comment,
    Attachment,
    Created,
    Decided,
    Number,
}

impl Field {
    /// The names a query may use, with the field each names.
    pub const NAMES: [(&'static str, Field); 14] = [
        ("title", Field::Title),
        ("status", Field::Status),
        ("tag", Field::Tag),
        ("tags", Field::Tag),
        ("author", Field::Author),
        ("authors", Field::Author),
        ("template", Field::Template),
        ("section", Field::Section),
        ("comment", Field::Comment),
        ("attachment", Field::Attachment),
        ("created", Field::Created),
        ("decided", Field::Decided),
        ("number", Field::Number),
        ("num", Field::Number),
    ];

    fn from_name(name: &str) -> Option<Field> {
        Field::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        Field::NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }

    fn kind(self) -> FieldKind {
        match self {
            Field::Title | Field::Author | Field::Section | Field::Comment | Field::Attachment => {
                FieldKind::Text
            }
            Field::Status | Field::Tag | Field::Template => FieldKind::Keyword,
            Field::Created | Field::Decided => FieldKind::Date,
            Field::Number => FieldKind::Number,
        }
    }

    fn known_names() -> String {
        let mut names: Vec<&str> = Vec::new();
        for (name, field) in Field::NAMES {
            if field.name() == name {
                names.push(name);
            }
        }
        names.join(", ")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldKind {
    Text,
    Keyword,
    Date,
    Number,
}

/// The text a word or phrase searches for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// A word as typed; the analyzer may split it into several terms.
    Word(String),
    /// The words between quotes, in order.
    Phrase(String),
    /// A word ending in `*`, without the `*`.
    Prefix(String),
}

/// An interval of UTC days or numbers; `None` is unbounded. The start is included and
/// the end excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval<T> {
    pub start: Option<T>,
    pub end: Option<T>,
}

/// A node of the syntax tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Text in the default fields (`field` is `None`) or in one field.
    Text {
        field: Option<Field>,
        text: Text,
        span: Range<usize>,
    },
    Dates {
        field: Field,
        days: Interval<NaiveDate>,
    },
    Numbers {
        numbers: Interval<u64>,
    },
}

/// An invalid query: what was wrong, where, and what would have been valid there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub query: String,
    /// Byte range of the offending part of `query` (empty at the end for a query that
    /// stops too early).
    pub span: Range<usize>,
    pub message: String,
    /// The input the parser expected at `span`.
    pub expected: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = self.query[..self.span.start].chars().count() + 1;
        write!(
            f,
            "invalid query at column {column}: {}; expected {}",
            self.message, self.expected
        )
    }
}

impl std::error::Error for QueryError {}

/// Parses a query into its syntax tree.
pub fn parse(query: &str) -> Result<Node, QueryError> {
    let error = |span: Range<usize>, message: String, expected: &str| QueryError {
        query: query.to_owned(),
        span,
        message,
        expected: expected.to_owned(),
    };
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        let (cut, c) = query
            .char_indices()
            .nth(MAX_QUERY_CHARS)
            .unwrap_or((query.len(), ' '));
        return Err(error(
            cut..(cut + c.len_utf8()).min(query.len()),
            format!(
                "the query is {chars} characters long, more than the {MAX_QUERY_CHARS} allowed"
            ),
            "a shorter query",
        ));
    }
    let tokens = lex(query)?;
    let mut parser = Parser {
        query,
        tokens,
        next: 0,
        clauses: 0,
        depth: 0,
    };
    if parser.tokens.is_empty() {
        return Err(error(
            0..0,
            "the query is empty".to_owned(),
            EXPECTED_OPERAND,
        ));
    }
    let node = parser.or(None)?;
    if let Some(token) = parser.peek() {
        let span = token.span.clone();
        return Err(match token.kind {
            TokenKind::RightParen => error(
                span,
                "this `)` closes no `(`".to_owned(),
                "a word, an operator or the end of the query",
            ),
            _ => error(span, "unexpected text".to_owned(), "the end of the query"),
        });
    }
    Ok(node)
}

const EXPECTED_OPERAND: &str = "a word, a \"phrase\", a field such as title:word, or `(`";

#[derive(Clone, Debug, PartialEq, Eq)]
enum TokenKind {
    LeftParen,
    RightParen,
    And,
    Or,
    Not,
    /// A `-` right before a word, phrase, field or `(`.
    Minus,
    /// `name:` right before a value (no space between).
    Field(String),
    Phrase(String),
    Word(String),
}

#[derive(Clone, Debug)]
struct Token {
    kind: TokenKind,
    span: Range<usize>,
}

fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let error = |span: Range<usize>, message: &str, expected: &str| QueryError {
        query: query.to_owned(),
        span,
        message: message.to_owned(),
        expected: expected.to_owned(),
    };
    let mut tokens = Vec::new();
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < query.len() {
        let c = query[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind = match c {
            '(' => {
                i += 1;
                TokenKind::LeftParen
            }
            ')' => {
                i += 1;
                TokenKind::RightParen
            }
            '"' => {
                let mut text = String::new();
                let mut closed = false;
                i += 1;
                while i < query.len() {
                    let c = query[i..].chars().next().unwrap_or('"');
                    i += c.len_utf8();
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' if matches!(bytes.get(i), Some(b'"' | b'\\')) => {
                            text.push(bytes[i] as char);
                            i += 1;
                        }
                        c => text.push(c),
                    }
                }
                if !closed {
                    return Err(error(
                        start..start + 1,
                        "this quote opens a phrase that is never closed",
                        "a closing `\"` (write `\\\"` for a quote inside a phrase)",
                    ));
                }
                TokenKind::Phrase(text)
            }
            '-' => {
                i += 1;
                let next = query[i..].chars().next();
                if next.is_none_or(char::is_whitespace) {
                    return Err(error(
                        start..i,
                        "a lone `-`",
                        "a word, phrase, field or `(` right after `-`, as in -draft",
                    ));
                }
                TokenKind::Minus
            }
            _ => {
                while i < query.len() {
                    let c = query[i..].chars().next().unwrap_or(' ');
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                        break;
                    }
                    i += c.len_utf8();
                    // `name:` starts a field, but `std::io` stays one word.
                    if c == ':'
                        && is_field_name(&query[start..i - 1])
                        && !query[i..].starts_with(':')
                    {
                        break;
                    }
                }
                let word = &query[start..i];
                match word {
                    "AND" => TokenKind::And,
                    "OR" => TokenKind::Or,
                    "NOT" => TokenKind::Not,
                    _ => match word.strip_suffix(':').filter(|name| is_field_name(name)) {
                        Some(name) => TokenKind::Field(name.to_owned()),
                        None => TokenKind::Word(word.to_owned()),
                    },
                }
            }
        };
        tokens.push(Token {
            kind,
            span: start..i,
        });
    }
    Ok(tokens)
}

/// Returns whether text before a `:` names a field (known or not): ASCII letters and
/// underscores. `10:30` and `std::io` do not.
fn is_field_name(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Token>,
    next: usize,
    clauses: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn error(&self, span: Range<usize>, message: impl Into<String>, expected: &str) -> QueryError {
        QueryError {
            query: self.query.to_owned(),
            span,
            message: message.into(),
            expected: expected.to_owned(),
        }
    }

    /// Returns the empty span just after the last token read, for errors about a
    /// missing part.
    fn end_span(&self) -> Range<usize> {
        let end = self
            .tokens
            .get(self.next.wrapping_sub(1))
            .map_or(0, |t| t.span.end);
        end..end
    }

    fn or(&mut self, field: Option<(Field, Range<usize>)>) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and(field.clone())?];
        while let Some(token) = self.peek() {
            if token.kind != TokenKind::Or {
                break;
            }
            self.next += 1;
            self.expect_operand("after OR")?;
            alternatives.push(self.and(field.clone())?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Node::Or(alternatives)
        })
    }

    fn and(&mut self, field: Option<(Field, Range<usize>)>) -> Result<Node, QueryError> {
        let mut parts = vec![self.unary(field.clone())?];
        while let Some(token) = self.peek() {
            match token.kind {
                TokenKind::Or | TokenKind::RightParen => break,
                TokenKind::And => {
                    self.next += 1;
                    self.expect_operand("after AND")?;
                }
                _ => {}
            }
            parts.push(self.unary(field.clone())?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::And(parts)
        })
    }

    /// Fails unless the next token can start an operand, naming what came before.
    fn expect_operand(&self, after: &str) -> Result<(), QueryError> {
        match self.peek() {
            None => Err(self.error(
                self.end_span(),
                format!("the query ends {after}"),
                EXPECTED_OPERAND,
            )),
            Some(token) => match token.kind {
                TokenKind::And | TokenKind::Or => Err(self.error(
                    token.span.clone(),
                    format!("an operator {after}"),
                    EXPECTED_OPERAND,
                )),
                TokenKind::RightParen => {
                    Err(self.error(token.span.clone(), format!("`)` {after}"), EXPECTED_OPERAND))
                }
                _ => Ok(()),
            },
        }
    }

    fn unary(&mut self, field: Option<(Field, Range<usize>)>) -> Result<Node, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error(self.end_span(), "the query ends early", EXPECTED_OPERAND));
        };
        match token.kind {
            TokenKind::Not | TokenKind::Minus => {
                self.next += 1;
                let after = if token.kind == TokenKind::Not {
                    "after NOT"
                } else {
                    "after -"
                };
                self.expect_operand(after)?;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error(
                        token.span,
                        format!("more than {MAX_DEPTH} nested NOT, - and parentheses"),
                        "a simpler query",
                    ));
                }
                let operand = self.unary(field)?;
                self.depth -= 1;
                Ok(Node::Not(Box::new(operand)))
            }
            TokenKind::And | TokenKind::Or => Err(self.error(
                token.span.clone(),
                format!(
                    "`{}` has nothing on its left",
                    &self.query[token.span.clone()]
                ),
                EXPECTED_OPERAND,
            )),
            _ => self.primary(field),
        }
    }

    fn primary(&mut self, field: Option<(Field, Range<usize>)>) -> Result<Node, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error(self.end_span(), "the query ends early", EXPECTED_OPERAND));
        };
        self.next += 1;
        match token.kind {
            TokenKind::LeftParen => self.group(token.span, field),
            TokenKind::RightParen => {
                Err(self.error(token.span, "this `)` closes no `(`", EXPECTED_OPERAND))
            }
            TokenKind::Field(name) => {
                let name_span = token.span.start..token.span.end - 1;
                let Some(named) = Field::from_name(&name) else {
                    return Err(self.error(
                        name_span,
                        format!("unknown field `{name}`"),
                        &format!(
                            "one of the fields {} (to search for the text itself, put it in quotes: \"{}\")",
                            Field::known_names(),
                            self.quoted_rest(token.span.start)
                        ),
                    ));
                };
                if let Some((outer, outer_span)) = &field {
                    return Err(self.error(
                        name_span,
                        format!(
                            "field `{name}` inside the parentheses of `{}` (at column {})",
                            outer.name(),
                            self.query[..outer_span.start].chars().count() + 1
                        ),
                        "words or phrases for the outer field",
                    ));
                }
                let attached = self
                    .peek()
                    .is_some_and(|next| next.span.start == token.span.end);
                if !attached {
                    return Err(self.error(
                        token.span.end..token.span.end,
                        format!("`{name}:` has no value"),
                        &format!("a value right after `{name}:`, with no space"),
                    ));
                }
                self.value(named, token.span)
            }
            TokenKind::Phrase(text) => {
                self.count_clause(&token.span)?;
                let node = match field {
                    Some((field, _)) => self.field_value(field, Value::Phrase(text), token.span)?,
                    None => Node::Text {
                        field: None,
                        text: Text::Phrase(text),
                        span: token.span,
                    },
                };
                Ok(node)
            }
            TokenKind::Word(word) => {
                self.count_clause(&token.span)?;
                match field {
                    Some((field, _)) => self.field_value(field, Value::Word(word), token.span),
                    None => Ok(Node::Text {
                        field: None,
                        text: self.word(&word, &token.span)?,
                        span: token.span,
                    }),
                }
            }
            TokenKind::And | TokenKind::Or | TokenKind::Not | TokenKind::Minus => {
                Err(self.error(token.span, "an operator here", EXPECTED_OPERAND))
            }
        }
    }

    /// Returns the text of the query from `start` to the next space, for a hint.
    fn quoted_rest(&self, start: usize) -> String {
        let rest = &self.query[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest[..end].replace('"', "\\\"")
    }

    fn group(
        &mut self,
        open: Range<usize>,
        field: Option<(Field, Range<usize>)>,
    ) -> Result<Node, QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                open,
                format!("more than {MAX_DEPTH} nested NOT, - and parentheses"),
                "a simpler query",
            ));
        }
        if self.peek().is_some_and(|t| t.kind == TokenKind::RightParen) {
            let close = self.peek().map_or(open.clone(), |t| t.span.clone());
            return Err(self.error(open.start..close.end, "empty parentheses", EXPECTED_OPERAND));
        }
        if self.peek().is_none() {
            return Err(self.error(open, "this `(` is never closed", "a closing `)`"));
        }
        let node = self.or(field)?;
        match self.peek() {
            Some(token) if token.kind == TokenKind::RightParen => {
                self.next += 1;
                self.depth -= 1;
                Ok(node)
            }
            _ => Err(self.error(open, "this `(` is never closed", "a closing `)`")),
        }
    }

    /// Parses what follows `field:`.
    fn value(&mut self, field: Field, name_span: Range<usize>) -> Result<Node, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error(self.end_span(), "a field without a value", "a value"));
        };
        match token.kind {
            TokenKind::LeftParen => {
                self.next += 1;
                self.group(token.span, Some((field, name_span)))
            }
            TokenKind::Phrase(text) => {
                self.next += 1;
                self.count_clause(&token.span)?;
                self.field_value(field, Value::Phrase(text), token.span)
            }
            TokenKind::Word(word) => {
                self.next += 1;
                self.count_clause(&token.span)?;
                self.field_value(field, Value::Word(word), token.span)
            }
            TokenKind::Field(_) => Err(self.error(
                token.span,
                format!("a second `:` after `{}:`", field.name()),
                "one value; put text with a colon in quotes",
            )),
            _ => Err(self.error(
                token.span,
                format!("`{}:` is followed by an operator", field.name()),
                "a word, a \"phrase\" or `(` after the field",
            )),
        }
    }

    fn count_clause(&mut self, span: &Range<usize>) -> Result<(), QueryError> {
        self.clauses += 1;
        if self.clauses > MAX_CLAUSES {
            return Err(self.error(
                span.clone(),
                format!("more than {MAX_CLAUSES} words, phrases and field values"),
                "a shorter query",
            ));
        }
        Ok(())
    }

    /// Reads a word, which may end in `*` to ask for a prefix.
    fn word(&self, word: &str, span: &Range<usize>) -> Result<Text, QueryError> {
        let Some(star) = word.find('*') else {
            return Ok(Text::Word(word.to_owned()));
        };
        let prefix = &word[..star];
        if star + 1 != word.len() {
            let at = span.start + star;
            return Err(self.error(
                at..at + 1,
                "`*` inside a word",
                "`*` only at the end of a word, as in deci*",
            ));
        }
        let searchable: Vec<char> = prefix.chars().filter(|c| c.is_alphanumeric()).collect();
        let enough = searchable.len() >= 2
            || searchable
                .first()
                .is_some_and(|c| crate::search::analyzer::is_cjk(*c));
        if !enough {
            return Err(self.error(
                span.clone(),
                format!("the prefix `{word}` is too short"),
                "at least two letters or digits (one CJK character) before `*`",
            ));
        }
        Ok(Text::Prefix(prefix.to_owned()))
    }

    fn field_value(
        &self,
        field: Field,
        value: Value,
        span: Range<usize>,
    ) -> Result<Node, QueryError> {
        match field.kind() {
            FieldKind::Text | FieldKind::Keyword => {
                let text = match value {
                    Value::Phrase(text) => Text::Phrase(text),
                    Value::Word(word) => self.word(&word, &span)?,
                };
                Ok(Node::Text {
                    field: Some(field),
                    text,
                    span,
                })
            }
            FieldKind::Date => {
                let Value::Word(word) = value else {
                    return Err(self.error(span, "a phrase as a date", DATE_FORMS));
                };
                let days =
                    parse_interval(&word, parse_day_interval).map_err(|(range, message)| {
                        self.value_error(&span, range, message, DATE_FORMS)
                    })?;
                Ok(Node::Dates { field, days })
            }
            FieldKind::Number => {
                let Value::Word(word) = value else {
                    return Err(self.error(span, "a phrase as a number", NUMBER_FORMS));
                };
                let numbers =
                    parse_interval(&word, parse_number_interval).map_err(|(range, message)| {
                        self.value_error(&span, range, message, NUMBER_FORMS)
                    })?;
                Ok(Node::Numbers { numbers })
            }
        }
    }

    /// Builds an error about part of a value, with `range` relative to the value.
    fn value_error(
        &self,
        value_span: &Range<usize>,
        range: Range<usize>,
        message: String,
        expected: &str,
    ) -> QueryError {
        let start = value_span.start + range.start;
        let end = (value_span.start + range.end).min(value_span.end);
        self.error(start..end.max(start), message, expected)
    }
}

enum Value {
    Word(String),
    Phrase(String),
}

const DATE_FORMS: &str =
    "a date as YYYY, YYYY-MM or YYYY-MM-DD, optionally after >, >=, < or <=, or a range FROM..TO";
const NUMBER_FORMS: &str = "a whole number, optionally after >, >=, < or <=, or a range FROM..TO";

/// An error inside a value: the byte range within the value and the message.
type ValueError = (Range<usize>, String);

/// Parses a comparison (`>=X`, `<X`, ...), a range (`X..Y`, `X..`, `..Y`) or a single
/// value into an interval. `single` turns one value into the interval it covers (a
/// year covers its days).
fn parse_interval<T: Copy + PartialOrd>(
    text: &str,
    single: fn(&str) -> Result<Interval<T>, String>,
) -> Result<Interval<T>, ValueError> {
    let whole = |message: String| (0..text.len(), message);
    for (operator, make) in [
        (">=", Comparison::AtLeast),
        ("<=", Comparison::AtMost),
        (">", Comparison::After),
        ("<", Comparison::Before),
        ("=", Comparison::Equal),
    ] {
        if let Some(rest) = text.strip_prefix(operator) {
            if rest.is_empty() {
                return Err(whole(format!("`{operator}` has no value after it")));
            }
            let covered = single(rest).map_err(|m| (operator.len()..text.len(), m))?;
            return Ok(match make {
                Comparison::AtLeast => Interval {
                    start: covered.start,
                    end: None,
                },
                Comparison::After => Interval {
                    start: covered.end,
                    end: None,
                },
                Comparison::AtMost => Interval {
                    start: None,
                    end: covered.end,
                },
                Comparison::Before => Interval {
                    start: None,
                    end: covered.start,
                },
                Comparison::Equal => covered,
            });
        }
    }
    if let Some((from, to)) = text.split_once("..") {
        if from.is_empty() && to.is_empty() {
            return Err(whole("`..` has no bounds".to_owned()));
        }
        let start = if from.is_empty() {
            None
        } else {
            single(from).map_err(|m| (0..from.len(), m))?.start
        };
        let end = if to.is_empty() {
            None
        } else {
            let offset = from.len() + 2;
            single(to).map_err(|m| (offset..text.len(), m))?.end
        };
        if let (Some(start), Some(end)) = (start, end)
            && start >= end
        {
            return Err(whole(format!("the range `{text}` ends before it starts")));
        }
        return Ok(Interval { start, end });
    }
    single(text).map_err(whole)
}

#[derive(Clone, Copy)]
enum Comparison {
    AtLeast,
    After,
    AtMost,
    Before,
    Equal,
}

/// Returns the days a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` value covers.
fn parse_day_interval(text: &str) -> Result<Interval<NaiveDate>, String> {
    let invalid = || format!("`{text}` is not a date");
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str, digits: usize| -> Option<u32> {
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let year = parts
        .first()
        .and_then(|p| number(p, 4))
        .ok_or_else(invalid)? as i32;
    let month = match parts.get(1) {
        None => None,
        Some(part) => {
            let month = number(part, 2).ok_or_else(invalid)?;
            if !(1..=12).contains(&month) {
                return Err(format!("`{text}` has no month {month:02}"));
            }
            Some(month)
        }
    };
    let day = match parts.get(2) {
        None => None,
        Some(part) => Some(number(part, 2).ok_or_else(invalid)?),
    };
    if parts.len() > 3 {
        return Err(invalid());
    }
    let start = NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1))
        .ok_or_else(|| format!("`{text}` is not a day of the calendar"))?;
    let end = match (month, day) {
        (None, _) => NaiveDate::from_ymd_opt(year + 1, 1, 1),
        (Some(_), None) => start.checked_add_months(chrono::Months::new(1)),
        (Some(_), Some(_)) => start.succ_opt(),
    }
    .ok_or_else(|| format!("`{text}` is out of range"))?;
    Ok(Interval {
        start: Some(start),
        end: Some(end),
    })
}

/// Memo numbers are `u32`, so the interval's end never overflows.
fn parse_number_interval(text: &str) -> Result<Interval<u64>, String> {
    let number: u32 = text.parse().map_err(|_| {
        format!(
            "`{text}` is not a memo number (a whole number up to {})",
            u32::MAX
        )
    })?;
    Ok(Interval {
        start: Some(u64::from(number)),
        end: Some(u64::from(number) + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, span: Range<usize>) -> Node {
        Node::Text {
            field: None,
            text: Text::Word(text.to_owned()),
            span,
        }
    }

    fn error(query: &str) -> QueryError {
        match parse(query) {
            Ok(node) => panic!("{query:?} parsed as {node:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn words_are_anded() {
        assert_eq!(
            parse("event queue").expect("valid"),
            Node::And(vec![word("event", 0..5), word("queue", 6..11)])
        );
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let node = parse("a b OR c AND NOT d").expect("valid");
        assert_eq!(
            node,
            Node::Or(vec![
                Node::And(vec![word("a", 0..1), word("b", 2..3)]),
                Node::And(vec![
                    word("c", 7..8),
                    Node::Not(Box::new(word("d", 17..18)))
                ]),
            ])
        );
    }

    #[test]
    fn lower_case_operators_are_words() {
        assert_eq!(
            parse("salt and pepper").expect("valid"),
            Node::And(vec![
                word("salt", 0..4),
                word("and", 5..8),
                word("pepper", 9..15)
            ])
        );
    }

    #[test]
    fn minus_excludes_and_hyphens_stay_in_words() {
        assert_eq!(
            parse("-draft well-known").expect("valid"),
            Node::And(vec![
                Node::Not(Box::new(word("draft", 1..6))),
                word("well-known", 7..17)
            ])
        );
    }

    #[test]
    fn fields_phrases_and_prefixes() {
        assert_eq!(
            parse("title:\"event queue\" tag:gov*").expect("valid"),
            Node::And(vec![
                Node::Text {
                    field: Some(Field::Title),
                    text: Text::Phrase("event queue".to_owned()),
                    span: 6..19
                },
                Node::Text {
                    field: Some(Field::Tag),
                    text: Text::Prefix("gov".to_owned()),
                    span: 24..28
                },
            ])
        );
    }

    #[test]
    fn field_groups_apply_to_their_words() {
        assert_eq!(
            parse("status:(accepted OR review)").expect("valid"),
            Node::Or(vec![
                Node::Text {
                    field: Some(Field::Status),
                    text: Text::Word("accepted".to_owned()),
                    span: 8..16
                },
                Node::Text {
                    field: Some(Field::Status),
                    text: Text::Word("review".to_owned()),
                    span: 20..26
                },
            ])
        );
    }

    #[test]
    fn dates_cover_years_months_days_and_ranges() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let dates = |query: &str| match parse(query).expect("valid") {
            Node::Dates { days, .. } => days,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            dates("created:2024"),
            Interval {
                start: day(2024, 1, 1),
                end: day(2025, 1, 1)
            }
        );
        assert_eq!(
            dates("created:2024-02"),
            Interval {
                start: day(2024, 2, 1),
                end: day(2024, 3, 1)
            }
        );
        assert_eq!(
            dates("created:>=2025-03-01"),
            Interval {
                start: day(2025, 3, 1),
                end: None
            }
        );
        assert_eq!(
            dates("decided:<2026"),
            Interval {
                start: None,
                end: day(2026, 1, 1)
            }
        );
        assert_eq!(
            dates("created:>2024"),
            Interval {
                start: day(2025, 1, 1),
                end: None
            }
        );
        assert_eq!(
            dates("created:<=2024-02"),
            Interval {
                start: None,
                end: day(2024, 3, 1)
            }
        );
        assert_eq!(
            dates("created:2023..2024-06"),
            Interval {
                start: day(2023, 1, 1),
                end: day(2024, 7, 1)
            }
        );
    }

    #[test]
    fn errors_point_at_the_fault() {
        for (query, span, message) in [
            ("\"event queue", 0..1, "never closed"),
            ("(event queue", 0..1, "never closed"),
            ("event)", 5..6, "closes no"),
            ("AND queue", 0..3, "nothing on its left"),
            ("queue AND", 9..9, "ends after AND"),
            ("queue OR OR cache", 9..11, "operator after OR"),
            ("NOT", 3..3, "ends after NOT"),
            ("queue -", 6..7, "lone `-`"),
            ("foo:bar", 0..3, "unknown field `foo`"),
            ("title: queue", 6..6, "has no value"),
            ("created:2024-13-01", 8..18, "no month 13"),
            ("created:2024-02-30", 8..18, "not a day"),
            ("created:yesterday", 8..17, "not a date"),
            ("created:>=", 8..10, "no value after"),
            ("created:2024..20x", 14..17, "not a date"),
            ("number:abc", 7..10, "not a memo number"),
            ("created:2025..2024", 8..18, "ends before it starts"),
            ("qu*eue", 2..3, "inside a word"),
            ("q*", 0..2, "too short"),
            ("()", 0..2, "empty parentheses"),
            ("title:(status:draft)", 7..13, "inside the parentheses"),
            ("", 0..0, "empty"),
        ] {
            let e = error(query);
            assert_eq!(e.span, span, "{query:?}: {e}");
            assert!(e.message.contains(message), "{query:?}: {e}");
            assert!(!e.expected.is_empty(), "{query:?}");
        }
    }

    #[test]
    fn long_and_deep_queries_are_errors_not_panics() {
        let long = "word ".repeat(2000);
        assert!(error(&long).message.contains("characters long"));
        let many = (0..70)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(error(&many).message.contains("more than 64"));
        let deep = format!("{}x{}", "(".repeat(40), ")".repeat(40));
        assert!(error(&deep).message.contains("nested"));
        let negations = format!("{}x", "-".repeat(500));
        assert!(error(&negations).message.contains("nested"));
        let quotes = "\"".repeat(999);
        assert!(error(&quotes).message.contains("never closed"));
        let parens = ")".repeat(999);
        assert!(parse(&parens).is_err());
    }

    #[test]
    fn escaped_quotes_stay_in_phrases() {
        assert_eq!(
            parse(r#""say \"hi\"""#).expect("valid"),
            Node::Text {
                field: None,
                text: Text::Phrase("say \"hi\"".to_owned()),
                span: 0..12
            }
        );
    }

    #[test]
    fn colons_in_non_field_words_are_text() {
        assert_eq!(parse("10:30").expect("valid"), word("10:30", 0..5));
        assert_eq!(parse("std::io").expect("valid"), word("std::io", 0..7));
    }
}
