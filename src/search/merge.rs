//! The merge policy of the index: which segments are merged, and when.
//!
//! tantivy's log merge policy merges segments into ever larger ones, and a merge reads
//! its input segments whole. At 100,000 memos its final merges took about as long as
//! the indexing itself (106 s in all, against 45 s with merging turned off) and raised
//! peak memory from 518 MB to 708 MB, on the benchmark machine. This policy merges
//! small segments only, into segments of at most [`MAX_DOCS`] memos, and rewrites a
//! segment once a third of its documents are deleted.

use tantivy::index::SegmentMeta;
use tantivy::merge_policy::{MergeCandidate, MergePolicy};

/// The maximum number of memos a merge produces.
const MAX_DOCS: u32 = 20_000;

/// The minimum number of small segments worth a merge.
const MIN_SEGMENTS: usize = 4;

/// The share of deleted documents that makes a segment worth rewriting.
const DELETED_SHARE: f32 = 1.0 / 3.0;

#[derive(Clone, Copy, Debug, Default)]
pub struct BoundedMergePolicy;

/// Returns the size level of a segment: below 1,000 memos, then each eight times more.
fn level(docs: u32) -> u32 {
    let mut level = 0;
    let mut bound: u64 = 1000;
    while u64::from(docs) >= bound {
        level += 1;
        bound *= 8;
    }
    level
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut candidates = Vec::new();

        // Segments with many deleted documents are rewritten alone.
        let worn = |s: &&SegmentMeta| {
            let total = s.max_doc().max(1) as f32;
            s.num_deleted_docs() as f32 / total >= DELETED_SHARE
        };
        for segment in segments.iter().filter(worn) {
            candidates.push(MergeCandidate(vec![segment.id()]));
        }

        // Small segments of a similar size (one level) are merged once a level has
        // enough of them, smallest first, in groups that stay under the cap. A new
        // one-memo segment thus merges with its like, not with a large segment.
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|s| !worn(s) && s.num_docs() < MAX_DOCS / 2)
            .collect();
        small.sort_by_key(|s| (level(s.num_docs()), s.num_docs()));
        for same_level in small.chunk_by(|a, b| level(a.num_docs()) == level(b.num_docs())) {
            if same_level.len() < MIN_SEGMENTS {
                continue;
            }
            let mut group = Vec::new();
            let mut docs = 0;
            for segment in same_level {
                if docs + segment.num_docs() > MAX_DOCS {
                    if group.len() >= 2 {
                        candidates.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    docs = 0;
                }
                group.push(segment.id());
                docs += segment.num_docs();
            }
            if group.len() >= 2 {
                candidates.push(MergeCandidate(group));
            }
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use tantivy::Index;
    use tantivy::index::SegmentId;
    use tantivy::schema::{STRING, Schema};

    use super::*;

    fn segments(sizes: &[(u32, u32)]) -> Vec<SegmentMeta> {
        let mut schema = Schema::builder();
        schema.add_text_field("path", STRING);
        let index = Index::create_in_ram(schema.build());
        sizes
            .iter()
            .map(|&(docs, deleted)| {
                let meta = index.new_segment_meta(SegmentId::generate_random(), docs);
                if deleted == 0 {
                    meta
                } else {
                    meta.with_delete_meta(deleted, 1)
                }
            })
            .collect()
    }

    fn merged_sizes(segments: &[SegmentMeta]) -> Vec<Vec<u32>> {
        BoundedMergePolicy
            .compute_merge_candidates(segments)
            .into_iter()
            .map(|candidate| {
                let mut sizes: Vec<u32> = candidate
                    .0
                    .iter()
                    .filter_map(|id| segments.iter().find(|s| s.id() == *id))
                    .map(SegmentMeta::max_doc)
                    .collect();
                sizes.sort_unstable();
                sizes
            })
            .collect()
    }

    #[test]
    fn small_segments_merge_up_to_the_cap() {
        let found = merged_sizes(&segments(&[(6000, 0); 7]));
        assert_eq!(found, [vec![6000; 3], vec![6000; 3]]);
        assert!(merged_sizes(&segments(&[(6000, 0); 3])).is_empty());
        let found = merged_sizes(&segments(&[(100, 0), (200, 0), (300, 0), (400, 0)]));
        assert_eq!(found, [vec![100, 200, 300, 400]]);
    }

    #[test]
    fn new_small_segments_wait_for_their_like() {
        assert!(merged_sizes(&segments(&[(1, 0), (1, 0), (1, 0), (9000, 0)])).is_empty());
        let found = merged_sizes(&segments(&[(1, 0), (1, 0), (1, 0), (1, 0), (9000, 0)]));
        assert_eq!(found, [vec![1, 1, 1, 1]]);
    }

    #[test]
    fn large_segments_are_left_alone() {
        assert!(merged_sizes(&segments(&[(15_000, 0); 6])).is_empty());
    }

    #[test]
    fn worn_segments_are_rewritten() {
        let found = merged_sizes(&segments(&[(15_000, 6000), (15_000, 100)]));
        assert_eq!(found, [vec![15_000]]);
    }
}
