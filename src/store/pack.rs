//! Writing a batch of objects into a repository as one pack file.
//!
//! A pack takes one file where loose objects take one file each, which matters when a
//! sync copies tens of thousands of small event objects. The pack is written in the
//! version 2 format that git and libgit2 read (git's `gitformat-pack` documentation):
//! a header, each object as a type-and-size header followed by its zlib stream, and a
//! SHA-1 of everything before it. libgit2's indexer then checks every object's id as
//! it writes the pack and its index into `objects/pack/`.
//!
//! The zlib streams use stored (uncompressed) blocks. Compressing the objects one by
//! one cost more than the rest of the copy, because a zlib stream's state is set up
//! anew for every object. Both repositories are on this machine, and `git gc`
//! compresses the objects when it repacks.

use std::collections::HashSet;
use std::io::Write;

use git2::{ObjectType, Odb, Oid};

use crate::error::{Error, Result};

/// The largest block of a stored deflate stream.
const MAX_STORED_BLOCK: usize = 65_535;

/// How many bytes of entries are collected before they go to the pack writer.
const CHUNK_SIZE: usize = 1 << 20;

/// The objects chosen for one pack, each at most once, in the order they were added.
/// Only their ids are kept; [`PackBuilder::write`] reads each object as it writes it,
/// so a pack of any size takes little memory.
#[derive(Default)]
pub struct PackBuilder {
    ids: Vec<Oid>,
    added: HashSet<Oid>,
}

impl PackBuilder {
    pub fn new() -> PackBuilder {
        PackBuilder::default()
    }

    /// Returns whether `id` is in the pack already.
    pub fn contains(&self, id: Oid) -> bool {
        self.added.contains(&id)
    }

    /// Adds object `id`; an object added before is skipped.
    pub fn add(&mut self, id: Oid) {
        if self.added.insert(id) {
            self.ids.push(id);
        }
    }

    /// Reads every object from `source` and writes them as one pack into `target`
    /// (libgit2 writes the index beside it). Returns how many objects the pack holds;
    /// an empty builder writes nothing.
    pub fn write(&self, source: &Odb<'_>, target: &Odb<'_>) -> Result<usize> {
        if self.ids.is_empty() {
            return Ok(0);
        }
        let failed = |e: git2::Error| Error::git("write a pack of the copied objects", e);
        let mut writer = HashingWriter {
            inner: target.packwriter().map_err(failed)?,
            sha1: sha1_smol::Sha1::new(),
        };
        let count = u32::try_from(self.ids.len())
            .map_err(|_| Error::invalid("more than 4,294,967,295 objects to copy in one pack"))?;
        let mut header = Vec::with_capacity(12);
        header.extend_from_slice(b"PACK");
        header.extend_from_slice(&2u32.to_be_bytes());
        header.extend_from_slice(&count.to_be_bytes());
        writer.write(&header)?;

        // Entries are handed to libgit2 in chunks of about 1 MiB: one call per object
        // costs a system call each.
        let mut chunk = Vec::with_capacity(CHUNK_SIZE + MAX_STORED_BLOCK);
        for id in &self.ids {
            let object = source
                .read(*id)
                .map_err(|e| Error::git(format!("read object {id}"), e))?;
            write_entry(&mut chunk, object.kind(), object.data());
            if chunk.len() >= CHUNK_SIZE {
                writer.write(&chunk)?;
                chunk.clear();
            }
        }
        writer.write(&chunk)?;
        let digest = writer.sha1.digest().bytes();
        let mut inner = writer.inner;
        inner.write_all(&digest).map_err(write_failed)?;
        inner.commit().map_err(failed)?;
        Ok(self.ids.len())
    }
}

/// A pack writer that hashes what passes through it, for the pack's trailer.
struct HashingWriter<'odb> {
    inner: git2::OdbPackwriter<'odb>,
    sha1: sha1_smol::Sha1,
}

impl HashingWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.sha1.update(bytes);
        self.inner.write_all(bytes).map_err(write_failed)
    }
}

fn write_failed(error: std::io::Error) -> Error {
    Error::invalid(format!(
        "could not write a pack of the copied objects: {error}"
    ))
}

/// Appends one pack entry: the object's type and size, then its content as a zlib
/// stream.
fn write_entry(out: &mut Vec<u8>, kind: ObjectType, data: &[u8]) {
    let code: u8 = match kind {
        ObjectType::Commit => 1,
        ObjectType::Tree => 2,
        ObjectType::Blob => 3,
        _ => 4,
    };
    // The low four bits of the size first, then seven bits a byte.
    let mut size = data.len();
    let mut byte = (code << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
    write_stored_zlib(out, data);
}

/// Appends `data` as a zlib stream of stored blocks: a two-byte header, blocks of at
/// most 65,535 bytes each with its length, and the Adler-32 of the data.
fn write_stored_zlib(out: &mut Vec<u8>, data: &[u8]) {
    // Deflate with a 32 KiB window, no preset dictionary, fastest level; 0x7801 is a
    // multiple of 31 as the header's check bits require.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut blocks = data.chunks(MAX_STORED_BLOCK).peekable();
    if data.is_empty() {
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        out.push(u8::from(last));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let mut adler = adler2::Adler32::new();
    adler.write_slice(data);
    out.extend_from_slice(&adler.checksum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_round_trips_through_libgit2() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let repo = git2::Repository::init_bare(dir.path()).expect("repository");
        let odb = repo.odb().expect("odb");
        let big = vec![b'x'; 200_000];
        let objects: [(ObjectType, &[u8]); 3] = [
            (ObjectType::Blob, b""),
            (ObjectType::Blob, b"an event\n"),
            (ObjectType::Blob, &big),
        ];
        let source_dir = tempfile::tempdir().expect("temporary folder");
        let source = git2::Repository::init_bare(source_dir.path()).expect("source");
        let source_odb = source.odb().expect("odb");
        let mut builder = PackBuilder::new();
        let mut ids = Vec::new();
        for (kind, data) in objects {
            let id = source_odb.write(kind, data).expect("write");
            builder.add(id);
            builder.add(id);
            ids.push(id);
        }
        let written = builder.write(&source_odb, &odb).expect("write");
        assert_eq!(written, 3, "an object added twice is packed once");

        for ((_, data), id) in objects.iter().zip(ids) {
            let read = odb.read(id).expect("read back");
            assert_eq!(read.data(), *data);
        }
        let names: Vec<String> = std::fs::read_dir(dir.path().join("objects/pack"))
            .expect("pack folder")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names.iter().filter(|n| n.ends_with(".pack")).count(),
            1,
            "{names:?}"
        );
        assert_eq!(
            names.iter().filter(|n| n.ends_with(".idx")).count(),
            1,
            "{names:?}"
        );
    }
}
