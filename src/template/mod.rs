//! Templates: the Markdown skeleton a memo starts from and the rules it is held to.
//!
//! A template is one Markdown file. Its YAML front matter declares the rules (see
//! `docs/templates.md`); its body is the skeleton, whose headings are the template's
//! sections and whose paragraphs under each heading are that section's writing prompt.
//! Built-in templates are compiled into the binary from `templates/`; a repository
//! adds or overrides templates with files in `.memo/templates/NAME.md`.

mod builtin;
mod invalid;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use invalid::TemplateError;

use crate::error::{Error, Result};
use crate::memo::document::FrontMatter;
use crate::memo::outline::{Outline, normalize_heading};
use crate::memo::{Document, LineIndex, text};

/// Where a template came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Repository(PathBuf),
}

#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub origin: Origin,
    /// Page budget of the body, appendix sections excluded.
    pub pages: Option<u32>,
    /// Words per page for the page budget, overriding the repository's setting.
    pub words_per_page: Option<u32>,
    /// Front matter keys every memo of this template needs.
    pub required_fields: Vec<String>,
    pub sections: Vec<TemplateSection>,
    /// The body of the template file, with `{{title}}` where the title goes.
    pub skeleton: String,
}

/// A section of a template with its rules.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateSection {
    pub heading: String,
    pub level: u8,
    /// Other headings accepted for this section.
    pub aliases: Vec<String>,
    pub required: bool,
    pub min_words: Option<u32>,
    pub max_words: Option<u32>,
    /// Largest share (0 to 1) of the section's words that may sit in list items.
    pub max_list_share: Option<f64>,
    /// Alternatives the section must describe.
    pub min_options: Option<u32>,
    /// Whether the section must cite evidence.
    pub evidence: bool,
    /// Whether the section is left out of the page budget.
    pub appendix: bool,
    /// The writing prompt: the skeleton's text under the heading.
    pub prompt: String,
    /// The heading and then the aliases, normalised for matching.
    pub names: Vec<String>,
    /// The prompt's sentences of six or more words, normalised for matching.
    pub sentences: Vec<String>,
}

impl TemplateSection {
    /// Returns whether a memo heading is this section, by its heading or an alias.
    pub fn matches(&self, heading: &str) -> bool {
        self.match_rank(&normalize_heading(heading)).is_some()
    }

    /// Returns how a normalised memo heading matches this section: 0 for the
    /// section's own heading, `k + 1` for its `k`-th alias, `None` when it does not.
    pub fn match_rank(&self, normalized_heading: &str) -> Option<usize> {
        self.names.iter().position(|n| n == normalized_heading)
    }

    /// Returns the prompt's sentences, the units `check` looks for in a memo.
    pub fn prompt_sentences(&self) -> &[String] {
        &self.sentences
    }
}

/// Splits prompt text into sentences of six or more words, normalised for matching.
pub fn prompt_sentences(prompt: &str) -> Vec<String> {
    let prose = text::prose_text(prompt);
    prose
        .split(['.', '?', '!', '\n'])
        .map(normalize_words)
        .filter(|s| s.split(' ').count() >= 6)
        .collect()
}

/// Lower-cases text and joins its words with single spaces.
pub fn normalize_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    pages: Option<u32>,
    #[serde(default)]
    words_per_page: Option<u32>,
    #[serde(default)]
    required_fields: Vec<String>,
    #[serde(default)]
    sections: Vec<SectionRules>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionRules {
    heading: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default = "default_true")]
    required: bool,
    min_words: Option<u32>,
    max_words: Option<u32>,
    max_list_share: Option<f64>,
    min_options: Option<u32>,
    #[serde(default)]
    evidence: bool,
    #[serde(default)]
    appendix: bool,
}

fn default_true() -> bool {
    true
}

/// Checks the values of a template's rules that the types alone allow: budgets of at
/// least one page and word, word limits in order, shares from 0 to 1, and one rule
/// entry per heading.
fn validate_rules(
    file: &TemplateFile,
    front_matter: &FrontMatter,
    invalid: &dyn Fn(usize, String, &str) -> TemplateError,
) -> Result<(), TemplateError> {
    let top_line = |key: &str| {
        front_matter
            .key_line(key)
            .unwrap_or(front_matter.first_line)
    };
    for (key, value) in [
        ("pages", file.pages),
        ("words_per_page", file.words_per_page),
    ] {
        if value == Some(0) {
            return Err(invalid(
                top_line(key),
                format!("{key}: 0 is not allowed (expected 1 or more)"),
                &format!("write a {key} of 1 or more, or remove the line for no limit"),
            ));
        }
    }

    for (index, rules) in file.sections.iter().enumerate() {
        let line = |key: &str| invalid::section_key_line(front_matter, index, key);
        let heading = &rules.heading;
        if let (Some(min), Some(max)) = (rules.min_words, rules.max_words)
            && min > max
        {
            return Err(invalid(
                line("min_words"),
                format!("sections: '{heading}' min_words {min} is more than max_words {max}"),
                "write a min_words no larger than max_words, or raise max_words",
            ));
        }
        if let Some(share) = rules.max_list_share
            && !(0.0..=1.0).contains(&share)
        {
            return Err(invalid(
                line("max_list_share"),
                format!(
                    "sections: '{heading}' max_list_share = {share} (expected a share from 0 to 1)"
                ),
                "write the share as a fraction, such as `max_list_share: 0.3` for 30%",
            ));
        }
        let earlier = file.sections[..index]
            .iter()
            .any(|r| normalize_heading(&r.heading) == normalize_heading(heading));
        if earlier {
            return Err(invalid(
                line("heading"),
                format!("sections: '{heading}' has a second entry of rules"),
                "merge the two entries into one",
            ));
        }
    }
    Ok(())
}

impl Template {
    /// Parses a template file. Every error names the file and the line to change.
    pub fn parse(name: &str, origin: Origin, bytes: &[u8]) -> Result<Template, TemplateError> {
        let path = match &origin {
            Origin::Builtin => PathBuf::from(format!("templates/{name}.md")),
            Origin::Repository(path) => path.clone(),
        };
        let invalid = |line: usize, message: String, hint: &str| TemplateError {
            name: name.to_owned(),
            path: path.clone(),
            line,
            message,
            hint: Some(hint.to_owned()),
        };
        let document =
            Document::parse(&path, bytes).map_err(|e| TemplateError::from_parse(name, &e))?;
        if let Some(error) = &document.front_matter_error {
            return Err(TemplateError::from_parse(name, error));
        }
        let file: TemplateFile = match &document.front_matter {
            Some(front_matter) => serde_yaml_ng::from_value(serde_yaml_ng::Value::Mapping(
                front_matter.mapping.clone(),
            ))
            .map_err(|e| {
                invalid(
                    front_matter.first_line,
                    format!("front matter: {e}"),
                    "docs/templates.md lists the keys a template may set and their types",
                )
            })?,
            None => TemplateFile {
                name: None,
                description: String::new(),
                pages: None,
                words_per_page: None,
                required_fields: Vec::new(),
                sections: Vec::new(),
            },
        };
        if let Some(front_matter) = &document.front_matter {
            validate_rules(&file, front_matter, &invalid)?;
        }

        let skeleton_start = document.body_offset
            + (document.body().len() - document.body().trim_start_matches('\n').len());
        let skeleton = document.text()[skeleton_start..].to_owned();
        let outline = Outline::parse(&skeleton, 0);
        let mut sections: Vec<TemplateSection> = Vec::new();
        for section in outline.sections.iter().filter(|s| s.level >= 2) {
            let prompt = skeleton[section.own_range.clone()].trim().to_owned();
            let rules = file
                .sections
                .iter()
                .find(|r| normalize_heading(&r.heading) == normalize_heading(&section.heading));
            let aliases = rules.map(|r| r.aliases.clone()).unwrap_or_default();
            let names: Vec<String> = std::iter::once(&section.heading)
                .chain(&aliases)
                .map(|h| normalize_heading(h))
                .collect();
            // Aliases may be shared (an RFC's "Drawbacks and alternatives" is both
            // sections), but a memo heading that is two sections' own is ambiguous.
            let same_heading = sections.iter().find(|earlier| earlier.names[0] == names[0]);
            if let Some(earlier) = same_heading {
                let line = LineIndex::new(document.text())
                    .line(skeleton_start + section.heading_range.start);
                return Err(invalid(
                    line,
                    format!(
                        "section '{}' has the same heading as the section '{}' before it, so a memo's heading could match either",
                        section.heading, earlier.heading
                    ),
                    "give each section its own heading, or merge the two sections",
                ));
            }
            sections.push(TemplateSection {
                sentences: prompt_sentences(&prompt),
                names,
                heading: section.heading.clone(),
                level: section.level,
                aliases,
                required: rules.is_none_or(|r| r.required),
                min_words: rules.and_then(|r| r.min_words),
                max_words: rules.and_then(|r| r.max_words),
                max_list_share: rules.and_then(|r| r.max_list_share),
                min_options: rules.and_then(|r| r.min_options),
                evidence: rules.is_some_and(|r| r.evidence),
                appendix: rules.is_some_and(|r| r.appendix),
                prompt,
            });
        }
        for (index, rules) in file.sections.iter().enumerate() {
            if !sections
                .iter()
                .any(|s| normalize_heading(&s.heading) == normalize_heading(&rules.heading))
            {
                let line = document
                    .front_matter
                    .as_ref()
                    .map_or(1, |f| invalid::section_key_line(f, index, "heading"));
                return Err(invalid(
                    line,
                    format!(
                        "sections: '{}' has rules but no heading in the skeleton",
                        rules.heading
                    ),
                    "add the heading to the template's body, or correct the `heading:` value",
                ));
            }
        }

        Ok(Template {
            name: file.name.unwrap_or_else(|| name.to_owned()),
            description: file.description,
            origin,
            pages: file.pages,
            words_per_page: file.words_per_page,
            required_fields: file.required_fields,
            sections,
            skeleton,
        })
    }

    /// Returns the body of a new memo: the skeleton with its title filled in.
    pub fn scaffold(&self, title: &str) -> String {
        self.skeleton.replace("{{title}}", title)
    }

    /// Returns the template section a memo heading belongs to.
    pub fn section_for(&self, heading: &str) -> Option<&TemplateSection> {
        self.sections.iter().find(|s| s.matches(heading))
    }
}

/// Checks that a template name is a plain name, so it can never become a path.
pub fn validate_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_with_hint(
            format!(
                "invalid template name '{}'",
                crate::render::sanitize_line(name)
            ),
            "template names use ASCII letters, digits, '-' and '_'",
        ))
    }
}

/// The templates available in a repository (or only the built-ins without one).
#[derive(Clone, Debug)]
pub struct Templates {
    pub templates: Vec<Template>,
    /// Template files of the repository that cannot be used, by name. Memos of such a
    /// template fail with its error; the other templates still work.
    pub invalid: Vec<TemplateError>,
}

impl Templates {
    /// Loads the built-in templates and, when `dir` is given, the repository's, which
    /// override built-ins of the same name. An invalid repository template overrides
    /// too, so a memo of it fails instead of being held to the built-in's rules.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut templates = builtin::templates()?;
        let mut invalid = Vec::new();
        if let Some(dir) = dir {
            for loaded in load_dir(dir)? {
                match loaded {
                    Ok(template) => match templates.iter_mut().find(|t| t.name == template.name) {
                        Some(existing) => *existing = template,
                        None => templates.push(template),
                    },
                    Err(error) => {
                        templates.retain(|t| t.name != error.name);
                        invalid.push(error);
                    }
                }
            }
        }
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        invalid.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Templates { templates, invalid })
    }

    /// Returns the template of a name, or the error of an invalid template file of
    /// that name, or an error that lists the templates.
    pub fn get(&self, name: &str) -> Result<&Template> {
        validate_name(name)?;
        if let Some(error) = self.invalid_named(name) {
            return Err(error.clone().into());
        }
        self.templates
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| Error::TemplateNotFound {
                name: name.to_owned(),
                available: self.names(),
            })
    }

    /// Returns the error of the invalid template file of a name, if there is one.
    pub fn invalid_named(&self, name: &str) -> Option<&TemplateError> {
        self.invalid.iter().find(|e| e.name == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.templates.iter().map(|t| t.name.clone()).collect()
    }
}

/// Reads the template files of a folder: each a template or the error that makes it
/// unusable.
fn load_dir(dir: &Path) -> Result<Vec<Result<Template, TemplateError>>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read", dir, e)),
    };
    let mut templates = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let path = entry.path();
        if !crate::memo::is_markdown(&path) {
            continue;
        }
        let Some(name) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if validate_name(&name).is_err() {
            templates.push(Err(TemplateError {
                name: crate::render::sanitize_line(&name).into_owned(),
                path,
                line: 1,
                message: "the file name is not a valid template name".to_owned(),
                hint: Some(
                    "rename the file: template names use ASCII letters, digits, '-' and '_'"
                        .to_owned(),
                ),
            }));
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        templates.push(Template::parse(&name, Origin::Repository(path), &bytes));
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_with_prompts() {
        let templates = Templates::load(None).expect("built-in templates parse");
        for name in [
            "decision",
            "six-pager",
            "prfaq",
            "one-pager",
            "adr",
            "madr",
            "rfc",
        ] {
            let template = templates.get(name).expect(name);
            assert!(!template.sections.is_empty(), "{name} has sections");
            assert!(
                template.skeleton.contains("{{title}}"),
                "{name} has a title line"
            );
            for section in &template.sections {
                assert!(
                    !section.prompt_sentences().is_empty(),
                    "{name}: section '{}' has a prompt of full sentences",
                    section.heading
                );
            }
        }
    }

    #[test]
    fn rules_for_missing_headings_are_rejected() {
        let text =
            "---\nsections:\n  - heading: Nowhere\n---\n# {{title}}\n\n## Here\n\nWrite it.\n";
        assert!(Template::parse("t", Origin::Builtin, text.as_bytes()).is_err());
    }

    #[test]
    fn names_cannot_be_paths() {
        for name in ["../x", "a/b", "", "a\\b", "."] {
            assert!(validate_name(name).is_err(), "{name}");
        }
    }
}
