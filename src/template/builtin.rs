//! The templates compiled into the binary from `templates/`.

use super::TemplateError;
use super::{Origin, Template};

const BUILTIN: [(&str, &str); 7] = [
    ("decision", include_str!("../../templates/decision.md")),
    ("six-pager", include_str!("../../templates/six-pager.md")),
    ("prfaq", include_str!("../../templates/prfaq.md")),
    ("one-pager", include_str!("../../templates/one-pager.md")),
    ("adr", include_str!("../../templates/adr.md")),
    ("madr", include_str!("../../templates/madr.md")),
    ("rfc", include_str!("../../templates/rfc.md")),
];

pub fn templates() -> Result<Vec<Template>, TemplateError> {
    BUILTIN
        .iter()
        .map(|(name, text)| Template::parse(name, Origin::Builtin, text.as_bytes()))
        .collect()
}
