//! Importing decision documents written elsewhere.

pub mod rfc;
