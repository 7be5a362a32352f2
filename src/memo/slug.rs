//! File names for memos.
//!
//! A memo's file name is its zero-padded number and a slug of its title. The slug is
//! ASCII (the `slug` crate transliterates other scripts), because non-ASCII file names
//! are stored differently by different file systems (macOS decomposes accents), which
//! git then shows as renames. The title itself is kept exactly in the front matter.

use unicode_normalization::UnicodeNormalization;

/// The slug of a title with nothing to transliterate, such as one made of symbols.
pub const FALLBACK_SLUG: &str = "untitled";

/// Maximum length of a slug in bytes. The file name adds the number and `.md`.
pub const MAX_SLUG_BYTES: usize = 80;

/// Returns the file-name slug of a title: lower-case ASCII letters, digits and single
/// hyphens, at most [`MAX_SLUG_BYTES`] long, never empty and never a path.
pub fn slugify(title: &str) -> String {
    let normalized: String = title.nfc().collect();
    let slug = slug::slugify(normalized);
    let slug = truncate_at_word(&slug, MAX_SLUG_BYTES);
    if slug.is_empty() {
        FALLBACK_SLUG.to_owned()
    } else {
        slug.to_owned()
    }
}

/// Cuts a slug at the last hyphen that fits, or at the limit when one word is longer.
fn truncate_at_word(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    // The slug is ASCII, so every byte offset is a character boundary.
    let cut = &slug[..max];
    match cut.rfind('-') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.trim_end_matches('-'),
    }
}

/// Returns the file name of memo `number` with this title.
pub fn file_name(number: u32, title: &str) -> String {
    format!("{number:04}-{}.md", slugify(title))
}

/// Reads the number prefix of a memo file name such as `0042-adopt-postgres.md`.
pub fn number_from_file_name(name: &str) -> Option<u32> {
    let digits: &str = &name[..name
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(name.len())];
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let rest = &name[digits.len()..];
    if !(rest.is_empty() || rest.starts_with(['-', '_', '.'])) {
        return None;
    }
    digits.parse().ok()
}

/// Turns a slug such as `0042-adopt-postgres` into a title: `Adopt postgres`.
pub fn title_from_file_stem(stem: &str) -> String {
    let words = match number_from_file_name(stem) {
        Some(_) => stem.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => stem,
    };
    let words = words
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        for title in [
            "../../outside",
            "C:\\temp\\evil",
            "a/b/c",
            ".hidden",
            "🚀🚀🚀",
            "   ",
        ] {
            let slug = slugify(title);
            assert!(!slug.is_empty(), "{title}");
            assert!(
                slug.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{title} -> {slug}"
            );
            assert!(!slug.starts_with('-'), "{slug}");
            assert!(!slug.ends_with('-'), "{slug}");
        }
        assert_eq!(slugify("../../outside"), "outside");
        assert_eq!(slugify("C:\\temp\\evil"), "c-temp-evil");
    }

    #[test]
    fn nfc_and_nfd_titles_share_a_slug() {
        let nfc = "Caf\u{e9} cr\u{e8}me pricing";
        let nfd = "Cafe\u{301} cre\u{300}me pricing";
        assert_eq!(slugify(nfc), slugify(nfd));
        assert_eq!(slugify(nfc), "cafe-creme-pricing");
    }

    #[test]
    fn long_titles_are_cut() {
        let slug = slugify(&"word ".repeat(100));
        assert!(slug.len() <= MAX_SLUG_BYTES);
        assert!(slug.ends_with("word"));
        let slug = slugify(&"A".repeat(300));
        assert_eq!(slug.len(), MAX_SLUG_BYTES);
    }

    #[test]
    fn non_latin_titles_keep_a_readable_slug() {
        assert_ne!(slugify("支払い基盤の移行計画"), FALLBACK_SLUG);
        assert_ne!(slugify("결제 시스템 이전"), FALLBACK_SLUG);
    }

    #[test]
    fn numbers_from_file_names() {
        assert_eq!(number_from_file_name("0042-adopt.md"), Some(42));
        assert_eq!(number_from_file_name("2071.md"), Some(2071));
        assert_eq!(number_from_file_name("42abc.md"), None);
        assert_eq!(number_from_file_name("readme.md"), None);
        assert_eq!(
            title_from_file_stem("0042-adopt-postgres"),
            "Adopt postgres"
        );
    }
}
