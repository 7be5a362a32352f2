//! Importing a folder of RFC-style documents, such as the Rust RFC repository's `text/`.
//!
//! Each `NNNN-slug.md` file becomes a memo of the same name. Its metadata, a Markdown
//! bullet list at the top (`- Feature Name: ...`, `- Start Date: ...`), is copied into
//! front matter. The file's bytes follow the new front matter unchanged, so nothing of
//! the source is lost: unknown metadata lines stay in the body, and so do the original
//! line endings. A folder named like a file holds that document's
//! attachments and is copied beside the memo.

use std::path::{Path, PathBuf};

use serde_yaml_ng::{Mapping, Value};

use crate::error::{Error, Result};
use crate::memo::edit::front_matter_block;
use crate::memo::{Memo, document, metadata, slug};
use crate::store::{self, Repo};
use crate::template::{Template, Templates};

/// One document found in the source folder.
#[derive(Clone, Debug)]
pub struct SourceDocument {
    pub path: PathBuf,
    pub file_name: String,
    pub number: u32,
    pub attachments: Option<PathBuf>,
}

/// Metadata lines read from the top of an RFC.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RfcMetadata {
    /// Every `- Key: value` line, in order.
    pub fields: Vec<(String, String)>,
}

impl RfcMetadata {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Reads the leading bullet list of `Key: value` lines. A title heading of any level
/// may come before the list, and footnote definitions inside it are skipped, as some
/// RFCs have them.
pub fn read_metadata(text: &str) -> RfcMetadata {
    let mut metadata = RfcMetadata::default();
    let mut started = false;
    let mut seen_title = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if started {
                break;
            }
            continue;
        }
        let is_heading =
            trimmed.trim_start_matches('#').starts_with(' ') && trimmed.starts_with('#');
        if !started && !seen_title && is_heading {
            seen_title = true;
            continue;
        }
        if started && trimmed.starts_with("[^") {
            continue;
        }
        let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        else {
            break;
        };
        let Some((key, value)) = item.split_once(':') else {
            break;
        };
        started = true;
        metadata
            .fields
            .push((key.trim().to_owned(), value.trim().to_owned()));
    }
    metadata
}

/// Reads a start date written as `2014-06-26`, `(2014-06-26)`, `2014/06/26` or
/// `2023-10-3`. Other forms (`23-07-2014`, an unfilled prompt) give no date, and
/// `memo check` reports the memo's missing `created`.
fn start_date(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let value = value
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    if let Some(time) = metadata::parse_timestamp(value) {
        return Some(time);
    }
    let parts: Vec<&str> = value.split(['-', '/']).collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(
        year.parse().ok()?,
        month.parse().ok()?,
        day.parse().ok()?,
    )?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// A file of the source folder that the import leaves out, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub file_name: String,
    pub reason: String,
}

/// Returns the number of a document file name, `NNNN-name.md`: four to nine digits, a
/// hyphen, a name without whitespace or control characters, and `.md` in lower case.
/// Otherwise returns why the name is not one.
pub fn document_number(file_name: &str) -> std::result::Result<u32, String> {
    let expected = "expected NNNN-name.md (four or more digits, a hyphen, a name, .md)";
    let Some(stem) = file_name.strip_suffix(".md") else {
        return Err(format!("the extension is not .md; {expected}"));
    };
    let digits = stem.len() - stem.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let name = stem[digits..].strip_prefix('-').unwrap_or_default();
    if digits < 4 {
        return Err(format!("the number has fewer than four digits; {expected}"));
    }
    if digits > 9 {
        return Err(format!("the number has more than nine digits; {expected}"));
    }
    if name.is_empty() {
        return Err(format!("no hyphen and name follow the number; {expected}"));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the name contains whitespace; rename it to {}",
            slug::file_name(stem[..digits].parse().unwrap_or(0), name)
        ));
    }
    stem[..digits]
        .parse()
        .map_err(|_| format!("the number is out of range; {expected}"))
}

/// Lists the documents of a folder, sorted by name, and the Markdown files that are
/// left out because their names are not `NNNN-name.md`.
pub fn scan(dir: &Path) -> Result<(Vec<SourceDocument>, Vec<Skipped>)> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, e))?;
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_ok_and(|t| t.is_file()) || !crate::memo::is_markdown(&path) {
            continue;
        }
        let number = match document_number(&file_name) {
            Ok(number) => number,
            Err(reason) => {
                skipped.push(Skipped { file_name, reason });
                continue;
            }
        };
        let stem = path.with_extension("");
        let attachments = stem.is_dir().then_some(stem);
        documents.push(SourceDocument {
            path,
            file_name,
            number,
            attachments,
        });
    }
    documents.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    skipped.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok((documents, skipped))
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Memos this import committed, including those an interrupted earlier import had
    /// written but not committed.
    pub imported: Vec<PathBuf>,
    /// Documents whose memo is already present: committed as the import would write
    /// it, or found with the same uid and changed since.
    pub unchanged: usize,
    /// Attachment files this import committed.
    pub attachments: usize,
    /// Source files left out, with the reason.
    pub skipped: Vec<Skipped>,
    /// Numbers that imported memos now share with memos that were there before.
    pub shared_numbers: Vec<u32>,
}

/// Returns a document's title: its first level-1 heading that is not one of the
/// template's sections (old RFCs open with `# Summary`), else one made from the file
/// name.
pub fn title(memo: &Memo, template: Option<&Template>) -> String {
    memo.outline
        .sections
        .iter()
        .filter(|s| s.level == 1 && !s.heading.trim().is_empty())
        .filter(|s| !is_generic_heading(&s.heading))
        .find(|s| template.is_none_or(|t| t.section_for(&s.heading).is_none()))
        .map(|s| s.heading.clone())
        .unwrap_or_else(|| slug::title_from_file_stem(&memo.file_stem()))
}

/// Returns whether a heading names a part of any document, such as a table of
/// contents, rather than the document itself.
fn is_generic_heading(heading: &str) -> bool {
    let heading = heading.trim().trim_end_matches(':').trim();
    ["table of contents", "contents", "toc"]
        .iter()
        .any(|generic| heading.eq_ignore_ascii_case(generic))
}

/// Builds the memo file for one source document.
pub fn memo_bytes(
    document: &SourceDocument,
    source_label: &str,
    bytes: &[u8],
    template: Option<&Template>,
) -> Result<Vec<u8>> {
    let decoded = document::decode(&document.path, bytes)?;
    let metadata = read_metadata(&decoded.text);
    let parsed = Memo::parse(PathBuf::from(&document.file_name), bytes)?;
    let title = title(&parsed, template);

    let created = metadata.get("Start Date").and_then(start_date);
    // The uid is derived from the document, so importing it again gives the same memo.
    let millis = created.map_or(0, |time| {
        u64::try_from(time.timestamp_millis()).unwrap_or(0)
    });
    let uid = ulid::Ulid::from_parts(millis, rand_bits(&document.file_name)).to_string();
    let mut source = Mapping::new();
    for (key, value) in &metadata.fields {
        source.insert(Value::String(key.clone()), Value::String(value.clone()));
    }

    let mut fields = vec![
        ("number", Value::Number(document.number.into())),
        ("uid", Value::String(uid)),
        ("title", Value::String(title)),
        ("status", Value::String("accepted".to_owned())),
        ("template", Value::String("rfc".to_owned())),
        ("authors", Value::Sequence(Vec::new())),
    ];
    if let Some(created) = created {
        fields.push(("created", Value::String(crate::clock::format(created))));
    }
    fields.push((
        "tags",
        Value::Sequence(vec![Value::String("rfc".to_owned())]),
    ));
    fields.push(("imported_from", Value::String(source_label.to_owned())));
    if !source.is_empty() {
        fields.push(("rfc", Value::Mapping(source)));
    }
    let block = front_matter_block(&fields)?;

    let mut out = Vec::with_capacity(bytes.len() + block.len() + 8);
    let original = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if decoded.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let eol = decoded.line_ending.as_str();
    out.extend_from_slice(block.replace('\n', eol).as_bytes());
    out.extend_from_slice(eol.as_bytes());
    out.extend_from_slice(original);

    let check = Memo::parse(PathBuf::from(&document.file_name), &out)?;
    if let Some(error) = check.document.front_matter_error {
        return Err(Error::invalid(format!(
            "importing {} produced front matter memo cannot read back ({error})",
            document.path.display()
        )));
    }
    Ok(out)
}

/// Derives the random part of an imported memo's ULID from its file name, so
/// importing the same folder twice gives the same uids.
fn rand_bits(name: &str) -> u128 {
    // FNV-1a, widened to the 80 bits a ULID's random part holds.
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in name.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    hash & ((1u128 << 80) - 1)
}

/// Imports every document of `dir` into the repository's memo folder in one commit.
pub fn import(repo: &Repo, dir: &Path, progress: &dyn Fn(usize, usize)) -> Result<ImportReport> {
    let identity = repo.identity()?;
    repo.commit_branch()?;
    let (documents, mut skipped) = scan(dir)?;
    if documents.is_empty() && skipped.is_empty() {
        return Err(Error::invalid_with_hint(
            format!("{} holds no NNNN-name.md documents", dir.display()),
            "point memo at the folder that holds the RFC files (for the Rust RFCs, text/)",
        ));
    }
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let memo_dir = repo.memo_dir_relative();
    let templates = Templates::load(Some(&repo.template_dir()))?;
    let template = templates.get("rfc").ok();
    let committed = Committed::read(repo)?;

    // Build every memo first, so a file that cannot be imported is known before
    // anything is written. Such a file is skipped and the rest is imported.
    let mut planned = Vec::with_capacity(documents.len());
    for document in &documents {
        let memo = match read_document(document, &folder, template) {
            Ok(memo) => memo,
            Err(reason) => {
                skipped.push(Skipped {
                    file_name: document.file_name.clone(),
                    reason,
                });
                continue;
            }
        };
        let relative = memo_dir.join(&document.file_name);
        match std::fs::read(repo.absolute(&relative)) {
            // An interrupted import may have written the memo without committing it.
            Ok(existing) if existing == memo && committed.holds(&relative, &memo) => {
                planned.push((document, relative, None));
            }
            Ok(existing) if existing == memo => {
                planned.push((document, relative, Some(Planned::Commit)));
            }
            // The memo this document became, changed since (a new status, edits).
            Ok(existing) if same_uid(&relative, &existing, &memo) => {
                planned.push((document, relative, None));
            }
            Ok(_) => skipped.push(Skipped {
                file_name: document.file_name.clone(),
                reason: format!(
                    "{} already exists and is a different memo; move it away to import this one",
                    relative.display()
                ),
            }),
            Err(_) => planned.push((document, relative, Some(Planned::Write(memo)))),
        }
    }
    skipped.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    let shared_numbers = shared_numbers(repo, &planned)?;

    let mut report = ImportReport {
        skipped,
        shared_numbers,
        ..ImportReport::default()
    };
    let mut changed: Vec<PathBuf> = Vec::new();
    let total = planned.len();
    std::fs::create_dir_all(repo.memo_dir())
        .map_err(|e| Error::io("create", repo.memo_dir(), e))?;
    for (i, (document, relative, memo)) in planned.into_iter().enumerate() {
        progress(i + 1, total);
        match memo {
            Some(planned) => {
                if let Planned::Write(bytes) = planned {
                    store::write_atomic(&repo.absolute(&relative), &bytes)?;
                }
                changed.push(relative.clone());
                report.imported.push(relative.clone());
            }
            None => report.unchanged += 1,
        }
        if let Some(attachments) = &document.attachments {
            let target = relative.with_extension("");
            for (file, bytes) in copy_tree(attachments, &repo.absolute(&target))? {
                let path = target.join(file);
                if !committed.holds(&path, &bytes) {
                    report.attachments += 1;
                    changed.push(path);
                }
            }
        }
    }

    if !changed.is_empty() {
        let paths: Vec<&Path> = changed.iter().map(PathBuf::as_path).collect();
        let message = format!(
            "Import {} RFC{} from {folder}/",
            report.imported.len(),
            if report.imported.len() == 1 { "" } else { "s" }
        );
        store::commit_paths(repo, &paths, &message, &identity)?;
    }
    Ok(report)
}

/// Reads a source document and builds its memo, or returns why it cannot be imported.
fn read_document(
    document: &SourceDocument,
    folder: &str,
    template: Option<&Template>,
) -> std::result::Result<Vec<u8>, String> {
    let bytes = std::fs::read(&document.path).map_err(|e| format!("cannot read it: {e}"))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".to_owned());
    }
    let label = format!("{folder}/{}", document.file_name);
    memo_bytes(document, &label, &bytes, template).map_err(|e| e.to_string())
}

/// Returns whether the memo file at `relative` has the uid of the memo the import
/// would write there, which makes it the same memo whatever its content now.
fn same_uid(relative: &Path, existing: &[u8], memo: &[u8]) -> bool {
    let uid = |bytes: &[u8]| {
        Memo::parse(relative.to_path_buf(), bytes)
            .ok()
            .and_then(|m| m.uid().map(str::to_owned))
    };
    uid(memo).is_some_and(|memo_uid| uid(existing) == Some(memo_uid))
}

/// Returns the numbers of planned memos that memos outside this import already use.
fn shared_numbers(
    repo: &Repo,
    planned: &[(&SourceDocument, PathBuf, Option<Planned>)],
) -> Result<Vec<u32>> {
    let imported: std::collections::HashSet<&Path> =
        planned.iter().map(|(_, path, _)| path.as_path()).collect();
    let existing: std::collections::HashSet<u32> = repo
        .load_memos()?
        .memos
        .iter()
        .filter(|m| !imported.contains(m.path.as_path()))
        .filter_map(Memo::number)
        .collect();
    let mut shared: Vec<u32> = planned
        .iter()
        .map(|(document, _, _)| document.number)
        .filter(|number| existing.contains(number))
        .collect();
    shared.dedup();
    Ok(shared)
}

/// The action the import takes for a memo that is not yet committed with the content
/// it should have.
enum Planned {
    /// Write these bytes, then commit them.
    Write(Vec<u8>),
    /// Commit the file as it is: an interrupted import already wrote these bytes.
    Commit,
}

/// The tree of the checked-out commit, to tell which files are already committed.
struct Committed<'r> {
    tree: Option<git2::Tree<'r>>,
}

impl<'r> Committed<'r> {
    fn read(repo: &'r Repo) -> Result<Committed<'r>> {
        let tree = match repo.git.head() {
            Ok(head) => Some(
                head.peel_to_tree()
                    .map_err(|e| Error::git("read HEAD's tree", e))?,
            ),
            // A new repository has no commit yet.
            Err(_) => None,
        };
        Ok(Committed { tree })
    }

    /// Returns whether HEAD contains `bytes` at `relative`.
    fn holds(&self, relative: &Path, bytes: &[u8]) -> bool {
        let Some(entry) = self.tree.as_ref().and_then(|t| t.get_path(relative).ok()) else {
            return false;
        };
        git2::Oid::hash_object(git2::ObjectType::Blob, bytes).is_ok_and(|id| id == entry.id())
    }
}

/// Copies a folder's files, returning their paths relative to the folder with their
/// content.
fn copy_tree(from: &Path, to: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut copied = Vec::new();
    std::fs::create_dir_all(to).map_err(|e| Error::io("create", to, e))?;
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .map_err(|e| Error::io("read", from, e))?
        .filter_map(std::result::Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = PathBuf::from(entry.file_name());
        let source = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("read", &source, e))?;
        if kind.is_dir() {
            for (inner, bytes) in copy_tree(&source, &to.join(&name))? {
                copied.push((name.join(inner), bytes));
            }
        } else if kind.is_file() {
            let target = to.join(&name);
            let bytes = std::fs::read(&source).map_err(|e| Error::io("read", &source, e))?;
            if std::fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
                store::write_atomic(&target, &bytes)?;
            }
            copied.push((name, bytes));
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_lines_are_read_in_order() {
        let text = "- Feature Name: `impl_trait`\n- Start Date: 2014-06-26\n- RFC PR: [#1](x)\n- Odd Key: kept\n\n# Summary\n";
        let metadata = read_metadata(text);
        assert_eq!(metadata.get("feature name"), Some("`impl_trait`"));
        assert_eq!(metadata.get("Start Date"), Some("2014-06-26"));
        assert_eq!(metadata.fields.len(), 4);
    }

    #[test]
    fn metadata_after_a_title_heading() {
        let metadata =
            read_metadata("# Module system cleanups\n\n- Start Date: 2014-10-10\n\n## Summary\n");
        assert_eq!(metadata.get("Start Date"), Some("2014-10-10"));
        let metadata = read_metadata(
            "## Refined impls\n\n- Feature Name: `x`\n[^note]: a footnote\n- Start Date: 2022-03-22\n",
        );
        assert_eq!(metadata.get("Start Date"), Some("2022-03-22"));
        let metadata = read_metadata("# Summary\n\nText.\n\n- item: not metadata\n");
        assert!(metadata.fields.is_empty());
    }

    #[test]
    fn document_names_are_checked() {
        assert_eq!(document_number("0042-thing.md"), Ok(42));
        assert_eq!(document_number("1011-process.exit.md"), Ok(1011));
        assert_eq!(document_number("12345-five.md"), Ok(12345));
        for (name, reason) in [
            ("0001.md", "no hyphen and name follow the number"),
            ("0001-.md", "no hyphen and name follow the number"),
            ("12-short.md", "fewer than four digits"),
            ("1234567890-long.md", "more than nine digits"),
            ("0013-UPPER.MD", "the extension is not .md"),
            ("0015-ext.markdown", "the extension is not .md"),
            ("0014-with space.md", "rename it to 0014-with-space.md"),
            ("notes.md", "fewer than four digits"),
        ] {
            let error = document_number(name).expect_err(name);
            assert!(error.contains(reason), "{name}: {error}");
        }
    }

    #[test]
    fn generic_headings_are_recognised() {
        for heading in ["Table of contents", "CONTENTS", "TOC:", " toc "] {
            assert!(is_generic_heading(heading), "{heading}");
        }
        assert!(!is_generic_heading("Contents of the prelude"));
    }

    #[test]
    fn start_dates_in_loose_forms() {
        for (text, expected) in [
            ("2014-06-26", Some("2014-06-26")),
            ("(2023-06-27)", Some("2023-06-27")),
            ("2020/05/18", Some("2020-05-18")),
            ("2023-10-3", Some("2023-10-03")),
            ("23-07-2014", None),
            ("2014-19-19", None),
            ("(fill me in with today's date, YYYY-MM-DD)", None),
        ] {
            let parsed = start_date(text).map(|t| t.format("%Y-%m-%d").to_string());
            assert_eq!(parsed.as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn body_is_kept_byte_for_byte() {
        let source = b"- Start Date: 2014-06-26\r\n\r\n# Summary\r\n\r\nText.\r\n";
        let document = SourceDocument {
            path: PathBuf::from("text/0042-thing.md"),
            file_name: "0042-thing.md".to_owned(),
            number: 42,
            attachments: None,
        };
        let templates = Templates::load(None).expect("templates");
        let memo = memo_bytes(
            &document,
            "text/0042-thing.md",
            source,
            templates.get("rfc").ok(),
        )
        .expect("imports");
        assert!(memo.ends_with(source));
        let text = String::from_utf8(memo).expect("utf-8");
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "one line ending style"
        );
        let parsed = Memo::parse("m.md", text.as_bytes()).expect("parses");
        assert!(
            parsed.document.front_matter_error.is_none(),
            "{:?}\n{text}",
            parsed.document.front_matter_error
        );
        assert_eq!(parsed.number(), Some(42));
        assert_eq!(parsed.title(), "Thing");
        assert_eq!(parsed.meta.template.as_deref(), Some("rfc"));
        assert!(parsed.created().is_some());
    }
}
