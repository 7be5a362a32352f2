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

/// Objects collected for one pack, each at most once.
#[derive(Default)]
pub struct PackBuilder {
    bytes: Vec<u8>,
    count: u32,
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

    /// Adds object `id` of `kind` with its content; an object added before is skipped.
    pub fn add(&mut self, id: Oid, kind: ObjectType, data: &[u8]) {
        if !self.added.insert(id) {
            return;
        }
        let code: u8 = match kind {
            ObjectType::Commit => 1,
            ObjectType::Tree => 2,
            ObjectType::Blob => 3,
            _ => 4,
        };
        // Type and size: the low four bits of the size first, then seven bits a byte.
        let mut size = data.len();
        let mut byte = (code << 4) | (size & 0x0f) as u8;
        size >>= 4;
        while size > 0 {
            self.bytes.push(byte | 0x80);
            byte = (size & 0x7f) as u8;
            size >>= 7;
        }
        self.bytes.push(byte);
        write_stored_zlib(&mut self.bytes, data);
        self.count += 1;
    }

    /// Writes the pack into `odb` (with its index) and returns how many objects it
    /// holds. An empty builder writes nothing.
    pub fn write_to(self, odb: &Odb<'_>) -> Result<usize> {
        if self.count == 0 {
            return Ok(0);
        }
        let mut pack = Vec::with_capacity(self.bytes.len() + 32);
        pack.extend_from_slice(b"PACK");
        pack.extend_from_slice(&2u32.to_be_bytes());
        pack.extend_from_slice(&self.count.to_be_bytes());
        pack.extend_from_slice(&self.bytes);
        let digest = sha1_smol::Sha1::from(&pack).digest().bytes();
        pack.extend_from_slice(&digest);

        let failed = |e: git2::Error| Error::git("write a pack of the copied objects", e);
        let mut writer = odb.packwriter().map_err(failed)?;
        writer.write_all(&pack).map_err(|e| {
            Error::invalid(format!("could not write a pack of the copied objects: {e}"))
        })?;
        writer.commit().map_err(failed)?;
        Ok(self.count as usize)
    }
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
        let mut builder = PackBuilder::new();
        let mut ids = Vec::new();
        for (kind, data) in objects {
            let id = Oid::hash_object(kind, data).expect("hash");
            builder.add(id, kind, data);
            builder.add(id, kind, data);
            ids.push(id);
        }
        let written = builder.write_to(&odb).expect("write");
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
