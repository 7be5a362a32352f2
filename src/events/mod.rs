//! Per-memo event logs in git: the store under comment threads and meetings.
//!
//! Each memo with events has a ref, `refs/memo/events/<uid>`, pointing at a commit
//! whose tree holds every event of the memo as one JSON file. Appending writes a new
//! commit on top and moves the ref by compare-and-swap; two versions of a log merge as
//! the union of their files. State (threads, meetings) is a fold over the events in
//! (clock, id) order, so every clone that holds the same events shows the same state.
//! `docs/storage.md` describes the format for other programs.

mod event;
mod log;
mod merge;

pub use event::{
    Author, Event, FORMAT_VERSION, MAX_CLOCK, NewEvent, file_name, folder_name, is_valid_id,
    new_id, parse, parse_file_name,
};
pub use log::{EventLog, LogRead, Problem, REF_PREFIX, canonical_uid, heads, keep_recent_reads};
pub(crate) use log::{event_files, heads_under};
pub use merge::{
    MergeOutcome, PlannedMerges, merge_into_log, merge_into_logs, plan_merges, union_merge,
};
