//! The rules, grouped by what they look at.

pub mod budget;
pub mod front_matter;
pub mod links;
pub mod sections;
pub mod text;
