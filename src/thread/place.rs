//! Making an anchor from what the user points at: a quote, a section or the memo.

use std::ops::Range;

use git2::{ObjectType, Oid};

use crate::anchor::{Anchor, Occurrence, Target, find_occurrences, find_section};
use crate::error::{Error, Result};
use crate::memo::Memo;
use crate::render::sanitize_line;
use crate::store::Repo;

/// How many characters around a quote an ambiguity message shows.
const SHOWN_CONTEXT: usize = 24;

/// Prepares the memo's current file for anchoring. Returns it with the checked-out
/// commit when that commit contains exactly this file.
pub fn memo_target<'m>(repo: &Repo, memo: &'m Memo) -> Result<(Target<'m>, Option<String>)> {
    let absolute = repo.absolute(&memo.path);
    let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
    // The blob is stored so that later revisions can be diffed against this one, which
    // sharpens re-anchoring; for a committed file it is already there.
    let blob = repo
        .git
        .blob(&bytes)
        .or_else(|_| Oid::hash_object(ObjectType::Blob, &bytes))
        .map_err(|e| Error::git(format!("hash {}", absolute.display()), e))?;
    let commit = repo
        .git
        .head()
        .ok()
        .and_then(|head| head.peel_to_commit().ok())
        .filter(|commit| {
            commit
                .tree()
                .ok()
                .and_then(|tree| tree.get_path(&memo.path).ok())
                .is_some_and(|entry| entry.id() == blob)
        })
        .map(|commit| commit.id().to_string());
    let target = Target::new(memo.text(), memo.document.body_offset, &blob.to_string());
    Ok((target, commit))
}

/// Returns the memo's path as anchors record it: relative, with `/` separators.
fn anchor_path(memo: &Memo) -> String {
    memo.path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Finds the section a `--section` argument names. A path written without spaces around
/// `>` (`Options>Option A`) is read as `Options > Option A` when no heading is called
/// that as written, so a heading that contains `>` still matches.
fn section_index(target: &Target<'_>, wanted: &str) -> Result<usize> {
    let error = match find_section(target, wanted) {
        Ok(index) => return Ok(index),
        Err(error) => error,
    };
    let spaced = wanted
        .split('>')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" > ");
    if spaced == wanted {
        return Err(error);
    }
    find_section(target, &spaced).map_err(|_| error)
}

/// Makes the anchor for `memo comment add`. With a quote it is the quote's passage (the
/// `occurrence`-th, counting from 1, when it occurs more than once), looked for within
/// `section` when given. Without one it is the section, or else the whole memo.
pub fn anchor_for(
    repo: &Repo,
    memo: &Memo,
    quote: Option<&str>,
    section: Option<&str>,
    occurrence: Option<usize>,
) -> Result<Anchor> {
    let (target, commit) = memo_target(repo, memo)?;
    let path = anchor_path(memo);
    let section_index = section.map(|s| section_index(&target, s)).transpose()?;

    let Some(quote) = quote else {
        if occurrence.is_some() {
            return Err(Error::invalid(
                "--occurrence picks among occurrences of --quote; give a quote too",
            ));
        }
        return Ok(match section_index {
            Some(index) => Anchor::section(&target, index, &path, commit),
            None => Anchor::memo(&target, &path, commit),
        });
    };

    if quote.trim().is_empty() {
        return Err(Error::invalid_with_hint(
            "the quote is empty",
            "give the passage as --quote TEXT, or leave --quote out to comment on the section or the whole memo",
        ));
    }
    let scope = match section_index {
        Some(index) => target.outline().sections[index].range.clone(),
        None => target.body_offset()..target.text().len(),
    };
    let where_ = match section {
        Some(s) => format!("section '{}' of {}", sanitize_line(s), memo.path.display()),
        None => format!("{}", memo.path.display()),
    };
    let occurrences = find_occurrences(&target, scope, quote);
    let chosen = match (occurrences.len(), occurrence) {
        (0, _) => {
            return Err(Error::invalid_with_hint(
                format!("the quote '{}' is not in {where_}", sanitize_line(quote)),
                "quote the text as it stands in the memo (`memo show` prints it); line breaks, emphasis and link syntax may differ",
            ));
        }
        (1, None | Some(1)) => &occurrences[0],
        (n, Some(k)) if (1..=n).contains(&k) => &occurrences[k - 1],
        (n, Some(k)) => {
            return Err(Error::invalid(format!(
                "--occurrence {k} is out of range: the quote occurs {n} time(s) in {where_}"
            )));
        }
        (n, None) => {
            let listed: Vec<String> = occurrences
                .iter()
                .enumerate()
                .map(|(i, o)| format!("  {}. {}", i + 1, describe(&target, o)))
                .collect();
            return Err(Error::invalid_with_hint(
                format!(
                    "the quote '{}' occurs {n} times in {where_}:\n{}",
                    sanitize_line(quote),
                    listed.join("\n")
                ),
                "pick one with --occurrence N, or quote more of the passage",
            ));
        }
    };
    Ok(Anchor::quote(&target, chosen.range.clone(), &path, commit))
}

/// Makes the anchor of a byte range of the memo's text, as the terminal UI selects it.
/// A range that spans a whole section from its heading on is anchored to the section,
/// so the thread follows the section rather than the section's exact text.
pub fn anchor_for_range(repo: &Repo, memo: &Memo, range: Range<usize>) -> Result<Anchor> {
    let (target, commit) = memo_target(repo, memo)?;
    anchor_in_target(&target, commit, memo, range)
}

/// Makes the anchor of a byte range of the revision `target` holds; `commit` is the
/// commit that revision was read from.
pub fn anchor_in_target(
    target: &Target<'_>,
    commit: Option<String>,
    memo: &Memo,
    range: Range<usize>,
) -> Result<Anchor> {
    let text_end = |end: usize| target.text()[..end].trim_end().len();
    if let Some(index) =
        target.outline().sections.iter().position(|s| {
            s.heading_range.start == range.start && text_end(s.range.end) <= range.end
        })
    {
        return Ok(Anchor::section(target, index, &anchor_path(memo), commit));
    }
    let text = target.text();
    if range.start >= range.end
        || range.end > text.len()
        || !text.is_char_boundary(range.start)
        || !text.is_char_boundary(range.end)
    {
        return Err(Error::invalid(format!(
            "{}..{} is not a passage of {}",
            range.start,
            range.end,
            memo.path.display()
        )));
    }
    Ok(Anchor::quote(target, range, &anchor_path(memo), commit))
}

/// Describes an occurrence for a list: line, section and the text around it.
fn describe(target: &Target<'_>, occurrence: &Occurrence) -> String {
    let text = target.text();
    let before: String = text[..occurrence.range.start]
        .chars()
        .rev()
        .take(SHOWN_CONTEXT)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[occurrence.range.end..]
        .chars()
        .take(SHOWN_CONTEXT)
        .collect();
    let section = if occurrence.section.is_empty() {
        String::new()
    } else {
        format!(" ({})", occurrence.section.join(" > "))
    };
    let before = before.replace('\n', " ");
    let after = after.replace('\n', " ");
    sanitize_line(&format!(
        "line {}{section}: …{before}[{}]{after}…",
        occurrence.line,
        &text[occurrence.range.clone()]
    ))
    .into_owned()
}
