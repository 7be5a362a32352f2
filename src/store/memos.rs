//! Reading memo files from the memo folder and finding memos by reference.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Repo;
use crate::error::{Error, Result};
use crate::memo::{self, Memo, ParseError, slug};

/// Every memo of a repository, plus the files that could not be decoded.
#[derive(Debug, Default)]
pub struct MemoSet {
    /// Sorted by number, then path; memos without a number come last.
    pub memos: Vec<Memo>,
    pub unreadable: Vec<ParseError>,
}

impl MemoSet {
    /// Sorts the memos by number, then path, with memos without a number last.
    pub fn sort(&mut self) {
        self.memos.sort_by(|a, b| {
            (a.number().is_none(), a.number(), &a.path).cmp(&(
                b.number().is_none(),
                b.number(),
                &b.path,
            ))
        });
    }

    /// Returns every problem worth a warning: undecodable files and broken front
    /// matter.
    pub fn warnings(&self) -> impl Iterator<Item = &ParseError> {
        self.unreadable.iter().chain(
            self.memos
                .iter()
                .filter_map(|m| m.document.front_matter_error.as_ref()),
        )
    }

    /// Returns the numbers that more than one memo uses, with those memos.
    pub fn duplicate_numbers(&self) -> Vec<(u32, Vec<&Memo>)> {
        let mut duplicates: Vec<(u32, Vec<&Memo>)> = Vec::new();
        for memo in &self.memos {
            let Some(number) = memo.number() else {
                continue;
            };
            match duplicates.iter_mut().find(|(n, _)| *n == number) {
                Some((_, memos)) => memos.push(memo),
                None => duplicates.push((number, vec![memo])),
            }
        }
        duplicates.retain(|(_, memos)| memos.len() > 1);
        duplicates
    }

    pub fn is_duplicate_number(&self, memo: &Memo) -> bool {
        !self.same_number(memo).is_empty()
    }

    /// Returns the other memos that have the same number as `memo`.
    pub fn same_number(&self, memo: &Memo) -> Vec<&Memo> {
        let Some(number) = memo.number() else {
            return Vec::new();
        };
        self.memos
            .iter()
            .filter(|m| m.number() == Some(number) && m.path != memo.path)
            .collect()
    }

    /// Returns the number a new memo gets: one above the highest in use.
    pub fn next_number(&self) -> u32 {
        let from_memos = self.memos.iter().filter_map(Memo::number);
        let from_unreadable = self.unreadable.iter().filter_map(|e| {
            e.path
                .file_name()
                .and_then(|n| slug::number_from_file_name(&n.to_string_lossy()))
        });
        from_memos.chain(from_unreadable).max().map_or(1, |n| n + 1)
    }

    pub fn find_by_uid(&self, uid: &str) -> Option<&Memo> {
        self.memos
            .iter()
            .find(|m| m.uid().is_some_and(|u| u.eq_ignore_ascii_case(uid)))
    }

    /// Finds the memo a reference names: a number, a uid or a unique prefix of one,
    /// a file name (with or without `.md`) or a path.
    pub fn resolve(&self, repo: &Repo, reference: &str) -> Result<&Memo> {
        let reference = reference.trim();
        let not_found = || Error::MemoNotFound {
            reference: reference.to_owned(),
        };
        if reference.is_empty() {
            return Err(not_found());
        }

        if reference.chars().all(|c| c.is_ascii_digit()) {
            let number: Option<u32> = reference.parse().ok();
            let matches: Vec<&Memo> = self
                .memos
                .iter()
                .filter(|m| number.is_some() && m.number() == number)
                .collect();
            match matches.len() {
                0 => {}
                1 => return Ok(matches[0]),
                _ => return Err(ambiguous(reference, &matches)),
            }
        }

        if looks_like_path(reference)
            && let Some(relative) = repo.relative(Path::new(reference))
            && let Some(memo) = self.memos.iter().find(|m| m.path == relative)
        {
            return Ok(memo);
        }

        let stem = reference.strip_suffix(".md").unwrap_or(reference);
        if let Some(memo) = self.memos.iter().find(|m| m.file_stem() == stem) {
            return Ok(memo);
        }

        if reference.len() >= 4 {
            if let Some(memo) = self.find_by_uid(reference) {
                return Ok(memo);
            }
            let matches: Vec<&Memo> = self
                .memos
                .iter()
                .filter(|m| {
                    m.uid().is_some_and(|u| {
                        u.len() >= reference.len()
                            && u[..reference.len()].eq_ignore_ascii_case(reference)
                    })
                })
                .collect();
            match matches.len() {
                0 => {}
                1 => return Ok(matches[0]),
                _ => return Err(ambiguous(reference, &matches)),
            }
        }
        match self.unreadable_named(repo, reference) {
            Some(error) => Err(Error::Parse(error.clone())),
            None => Err(not_found()),
        }
    }

    /// Finds the file that could not be read which a reference names: by the number in
    /// its file name, its file name or its path. Such a file has no front matter to
    /// read a number or uid from, so those are the only names it has.
    fn unreadable_named(&self, repo: &Repo, reference: &str) -> Option<&ParseError> {
        let file_name = |e: &ParseError| {
            e.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        if reference.chars().all(|c| c.is_ascii_digit()) {
            let number: u32 = reference.parse().ok()?;
            return self
                .unreadable
                .iter()
                .find(|e| slug::number_from_file_name(&file_name(e)) == Some(number));
        }
        if looks_like_path(reference)
            && let Some(relative) = repo.relative(Path::new(reference))
            && let Some(error) = self.unreadable.iter().find(|e| e.path == relative)
        {
            return Some(error);
        }
        let stem = reference.strip_suffix(".md").unwrap_or(reference);
        self.unreadable.iter().find(|e| {
            e.path
                .file_stem()
                .is_some_and(|s| s.to_string_lossy() == stem)
        })
    }
}

fn looks_like_path(reference: &str) -> bool {
    reference.contains('/') || reference.contains('\\') || memo::is_markdown(Path::new(reference))
}

fn ambiguous(reference: &str, memos: &[&Memo]) -> Error {
    Error::AmbiguousReference {
        reference: reference.to_owned(),
        candidates: memos
            .iter()
            .map(|m| format!("{}  uid {}", m.path.display(), m.uid().unwrap_or("(none)")))
            .collect(),
    }
}

impl Repo {
    /// Returns the memo files (`*.md` directly in the memo folder), relative to the
    /// root, sorted by name.
    pub fn memo_files(&self) -> Result<Vec<PathBuf>> {
        let dir = self.memo_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("read the memo folder", &dir, e)),
        };
        let relative = self.memo_dir_relative();
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read the memo folder", &dir, e))?;
            let path = entry.path();
            if memo::is_markdown(&path) && entry.file_type().is_ok_and(|t| t.is_file()) {
                files.push(relative.join(entry.file_name()));
            }
        }
        files.sort();
        Ok(files)
    }

    /// Reads one memo file given relative to the root.
    pub fn load_memo(&self, relative: &Path) -> Result<Memo> {
        let absolute = self.absolute(relative);
        let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
        Ok(Memo::parse(relative, &bytes)?)
    }

    /// Reads every memo. Files that cannot be decoded are listed apart, so one bad file
    /// never hides the others.
    pub fn load_memos(&self) -> Result<MemoSet> {
        let mut set = MemoSet::default();
        for path in self.memo_files()? {
            let absolute = self.absolute(&path);
            let bytes = std::fs::read(&absolute).map_err(|e| Error::io("read", &absolute, e))?;
            match Memo::parse(path, &bytes) {
                Ok(memo) => set.memos.push(memo),
                Err(e) => set.unreadable.push(e),
            }
        }
        set.sort();
        Ok(set)
    }

    /// Loads the memos and resolves a reference among them.
    pub fn resolve(&self, reference: &str) -> Result<Memo> {
        let set = self.load_memos()?;
        set.resolve(self, reference).cloned()
    }

    /// Creates the file of a new memo under the next free number, with `content`
    /// producing its text from the number. A lock in `.git/memo/` keeps two `memo new`
    /// running at once from taking the same number.
    pub fn create_memo_file(
        &self,
        title: &str,
        content: impl Fn(u32) -> String,
    ) -> Result<NewMemoFile> {
        let dir = self.memo_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
        let lock_path = self.data_dir()?.join("new.lock");
        let lock = File::create(&lock_path).map_err(|e| Error::io("create", &lock_path, e))?;
        lock.lock().map_err(|e| Error::io("lock", &lock_path, e))?;

        let mut number = self.load_memos()?.next_number();
        loop {
            let relative = self
                .memo_dir_relative()
                .join(slug::file_name(number, title));
            let absolute = self.absolute(&relative);
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&absolute)
            {
                Ok(mut file) => {
                    file.write_all(content(number).as_bytes())
                        .map_err(|e| Error::io("write", &absolute, e))?;
                    return Ok(NewMemoFile {
                        number,
                        path: relative,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => number += 1,
                Err(e) => return Err(Error::io("create", &absolute, e)),
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewMemoFile {
    pub number: u32,
    /// Relative to the root.
    pub path: PathBuf,
}
