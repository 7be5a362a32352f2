//! Integration tests: the built `memo` binary against real git repositories.

mod common;

mod anchors;
mod check;
mod comment_edit;
mod comments;
mod completions;
mod conflicts;
mod corpus;
mod demo;
mod editor;
mod events;
mod frontmatter;
mod hook;
mod identity;
mod import;
mod list_show;
mod man;
mod meetings;
mod new;
mod search;
mod search_lang;
mod search_lock;
mod search_query;
mod search_watch;
mod status;
mod sync;
mod templates;
mod tui;
