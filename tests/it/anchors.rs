//! Anchors on real edit histories: threads on sentences of early revisions of Rust
//! RFCs (from `MEMO_TEST_REVISIONS`), found again in later revisions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use memo::anchor::{Anchor, State, Target};

/// Sentences taken from each early revision.
const SENTENCES_PER_REVISION: usize = 40;

fn revisions_dir() -> Option<PathBuf> {
    match std::env::var_os("MEMO_TEST_REVISIONS") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            eprintln!("anchors_follow_real_edits: skipped because MEMO_TEST_REVISIONS is not set");
            None
        }
    }
}

fn revisions(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read revisions")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("rev-"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            String::from_utf8_lossy(&std::fs::read(p).expect("read revision")).replace("\r\n", "\n")
        })
        .collect()
}

/// Returns byte ranges of prose sentences of 40 to 300 bytes, outside code blocks,
/// headings and tables.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut in_code = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start_of_line = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code
            || trimmed.starts_with('#')
            || trimmed.starts_with('|')
            || trimmed.starts_with("    ")
        {
            continue;
        }
        let mut sentence_start = start_of_line + (line.len() - trimmed.len());
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let end_here = matches!(b, b'.' | b'!' | b'?')
                && bytes
                    .get(i + 1)
                    .is_none_or(|next| next.is_ascii_whitespace());
            if end_here {
                let end = start_of_line + i + 1;
                let sentence = text[sentence_start..end].trim();
                if (40..=300).contains(&sentence.len()) {
                    let lead = text[sentence_start..end].len()
                        - text[sentence_start..end].trim_start().len();
                    found.push(sentence_start + lead..sentence_start + lead + sentence.len());
                }
                sentence_start = end;
                while sentence_start < start_of_line + line.len()
                    && text.as_bytes()[sentence_start].is_ascii_whitespace()
                {
                    sentence_start += 1;
                }
            }
        }
    }
    found
}

#[test]
fn anchors_follow_real_edits() {
    let Some(root) = revisions_dir() else {
        return;
    };
    let mut rfcs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("read corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    rfcs.sort();
    assert!(!rfcs.is_empty(), "{} holds no RFC folders", root.display());

    let mut counts: BTreeMap<State, usize> = State::ALL.iter().map(|s| (*s, 0)).collect();
    let mut verbatim = 0;
    let mut failures = Vec::new();
    for rfc in &rfcs {
        let texts = revisions(rfc);
        let last = texts.len() - 1;
        let name = rfc
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let bases: Vec<usize> = [0, last / 4].into_iter().filter(|&b| b < last).collect();
        for base in bases
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
        {
            let old = &texts[base];
            let old_target = Target::new(old, 0, &format!("{name}-{base}"));
            let all = sentences(old);
            let step = (all.len() / SENTENCES_PER_REVISION).max(1);
            let later: std::collections::BTreeSet<usize> =
                [base + 1, (base + last) / 2, last].into_iter().collect();
            for range in all.iter().step_by(step).take(SENTENCES_PER_REVISION) {
                let anchor = Anchor::quote(&old_target, range.clone(), "memo.md", None);
                let quote = anchor.quote.clone().expect("quote");
                for &revision in &later {
                    let new = &texts[revision];
                    let located = Target::new(new, 0, &format!("{name}-{revision}"))
                        .locate(&anchor, Some(old));
                    *counts.entry(located.state).or_default() += 1;
                    let place = format!("{name} rev {} -> {}: {quote:?}", base + 1, revision + 1);
                    let landed = located.range.clone().map(|r| new[r].to_owned());
                    if new.contains(&quote) {
                        verbatim += 1;
                        if !matches!(located.state, State::Exact | State::Moved)
                            || landed.as_deref() != Some(quote.as_str())
                        {
                            failures.push(format!(
                                "{place}: verbatim but {:?} at {landed:?}",
                                located.state
                            ));
                        }
                        continue;
                    }
                    match located.state {
                        State::Exact | State::Moved => {
                            failures.push(format!("{place}: gone but {:?}", located.state))
                        }
                        State::Fuzzy => {
                            let landed = landed.expect("a fuzzy match has a range");
                            let ratio =
                                similar::TextDiff::from_chars(quote.as_str(), landed.as_str())
                                    .ratio();
                            if ratio < 0.6 {
                                failures.push(format!(
                                    "{place}: landed on {landed:?} (similarity {ratio:.2})"
                                ));
                            }
                        }
                        State::Section | State::Outdated => {}
                    }
                }
            }
        }
    }

    let total: usize = counts.values().sum();
    eprintln!(
        "anchors_follow_real_edits: {total} threads re-found in {} RFCs ({verbatim} quotes still verbatim)",
        rfcs.len()
    );
    for (state, count) in &counts {
        eprintln!("  {:<9} {count}", state.as_str());
    }
    assert!(
        failures.is_empty(),
        "{} wrong placements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total > 1000, "the corpus gave only {total} threads");
    assert!(
        counts[&State::Fuzzy] > 0 && counts[&State::Outdated] > 0,
        "{counts:?}"
    );
}
