//! Rules between memos: `duplicate-number`, `broken-memo-link` and `one-way-link`.

use std::path::{Component, Path, PathBuf};

use crate::check::analysis::Analysis;
use crate::check::{Sink, Workspace};
use crate::memo::Memo;
use crate::render::sanitize_line;

pub fn check(memo: &Memo, analysis: &Analysis, workspace: &Workspace<'_>, sink: &mut Sink<'_>) {
    duplicate_number(memo, workspace, sink);
    supersession(memo, workspace, sink);
    markdown_links(memo, analysis, workspace, sink);
}

fn duplicate_number(memo: &Memo, workspace: &Workspace<'_>, sink: &mut Sink<'_>) {
    let Some(number) = memo.number() else {
        return;
    };
    let others: Vec<String> = workspace
        .memos
        .iter()
        .filter(|m| m.number() == Some(number) && m.path != memo.path)
        .map(|m| sanitize_line(&m.file_name()).into_owned())
        .collect();
    if others.is_empty() {
        return;
    }
    let line = key_line(memo, "number");
    sink.line(
        "duplicate-number",
        line,
        format!(
            "number {number:04} is used by {} memos: {}, {}",
            others.len() + 1,
            sanitize_line(&memo.file_name()),
            others.join(", ")
        ),
        Some(
            "give one of them the next free number (rename the file and change `number:`)"
                .to_owned(),
        ),
    );
}

fn key_line(memo: &Memo, key: &str) -> usize {
    memo.document
        .front_matter
        .as_ref()
        .and_then(|f| f.key_line(key))
        .unwrap_or(1)
}

/// The outcome of looking a memo reference up among the workspace's memos.
enum Lookup<'a> {
    Found(&'a Memo),
    Ambiguous(usize),
    Missing,
}

/// Resolves a reference the way the command line does: a number, a path, a file
/// name with or without `.md`, or a uid or unique uid prefix.
fn lookup<'a>(memos: &'a [Memo], reference: &str) -> Lookup<'a> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Lookup::Missing;
    }
    let pick = |found: Vec<&'a Memo>| match found.len() {
        0 => None,
        1 => Some(Lookup::Found(found[0])),
        n => Some(Lookup::Ambiguous(n)),
    };
    if let Ok(number) = reference.trim_start_matches('#').parse::<u32>()
        && let Some(result) = pick(
            memos
                .iter()
                .filter(|m| m.number() == Some(number))
                .collect(),
        )
    {
        return result;
    }
    let stem = reference.strip_suffix(".md").unwrap_or(reference);
    if let Some(result) = pick(
        memos
            .iter()
            .filter(|m| m.path == Path::new(reference) || m.file_stem() == stem)
            .collect(),
    ) {
        return result;
    }
    if reference.len() >= 4
        && let Some(result) = pick(
            memos
                .iter()
                .filter(|m| {
                    m.uid().is_some_and(|u| {
                        u.len() >= reference.len()
                            && u.is_char_boundary(reference.len())
                            && u[..reference.len()].eq_ignore_ascii_case(reference)
                    })
                })
                .collect(),
        )
    {
        return result;
    }
    Lookup::Missing
}

/// Returns whether one of the references names `memo`.
fn names(memo: &Memo, references: &[String], memos: &[Memo]) -> bool {
    references
        .iter()
        .any(|r| matches!(lookup(memos, r), Lookup::Found(m) if m.path == memo.path))
}

fn supersession(memo: &Memo, workspace: &Workspace<'_>, sink: &mut Sink<'_>) {
    // A memo checked on its own (a file outside a repository) has no others to find.
    if workspace.memos.is_empty() {
        return;
    }
    let links = [
        ("supersedes", &memo.meta.supersedes, "superseded_by"),
        ("superseded_by", &memo.meta.superseded_by, "supersedes"),
    ];
    for (key, references, back_key) in links {
        for reference in references {
            let line = key_line(memo, key);
            let shown = sanitize_line(reference).into_owned();
            match lookup(workspace.memos, reference) {
                Lookup::Missing => sink.line(
                    "broken-memo-link",
                    line,
                    format!("`{key}` names '{shown}', but no memo matches it"),
                    Some(
                        "name the memo by its number, file name or uid; `memo list` shows them"
                            .to_owned(),
                    ),
                ),
                Lookup::Ambiguous(n) => sink.line(
                    "broken-memo-link",
                    line,
                    format!("`{key}` names '{shown}', which matches {n} memos"),
                    Some("name the memo by its file name or uid instead".to_owned()),
                ),
                Lookup::Found(other) => {
                    let back = if back_key == "supersedes" {
                        &other.meta.supersedes
                    } else {
                        &other.meta.superseded_by
                    };
                    if !names(memo, back, workspace.memos) {
                        let own = memo
                            .number()
                            .map_or_else(|| memo.file_stem(), |n| n.to_string());
                        sink.line(
                            "one-way-link",
                            line,
                            format!(
                                "this memo's `{key}` names {}, but its `{back_key}` does not name this memo",
                                sanitize_line(&other.file_name())
                            ),
                            Some(format!(
                                "add `{back_key}: [{}]` to {}",
                                sanitize_line(&own),
                                sanitize_line(&other.path.to_string_lossy())
                            )),
                        );
                    }
                }
            }
        }
    }
}

fn markdown_links(
    memo: &Memo,
    analysis: &Analysis,
    workspace: &Workspace<'_>,
    sink: &mut Sink<'_>,
) {
    let folder = memo.path.parent().unwrap_or(Path::new(""));
    for link in &analysis.links {
        let shown = sanitize_line(&link.target).into_owned();
        let Some(target) = normalize(&folder.join(&link.target), workspace.in_repository) else {
            sink.at(
                "broken-memo-link",
                link.range.clone(),
                format!("link target '{shown}' leaves the repository"),
                Some("link to files inside the repository with a relative path".to_owned()),
            );
            continue;
        };
        let exists =
            workspace.memos.iter().any(|m| m.path == target) || (workspace.file_exists)(&target);
        if !exists {
            sink.at(
                "broken-memo-link",
                link.range.clone(),
                format!("link target '{shown}' does not exist"),
                Some(format!(
                    "fix the path, which is relative to {}",
                    if folder.as_os_str().is_empty() {
                        "the memo's folder".to_owned()
                    } else {
                        sanitize_line(&folder.to_string_lossy()).into_owned()
                    }
                )),
            );
        }
    }
}

/// Resolves `.` and `..` in a path without touching the disk. Inside a repository a
/// path that climbs above the root is `None`; outside one, leading `..` are kept.
fn normalize(path: &Path, in_repository: bool) -> Option<PathBuf> {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ if in_repository => return None,
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    Some(parts.iter().collect())
}
