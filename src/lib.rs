//! crisislint: a linter for incident announcements written in Markdown.
//!
//! Data flows one way: [`cli`] → [`discover`] → [`document`] → [`rules`] (run by [`engine`]) →
//! [`diagnostic`]s → [`emit`]. The library never prints except through the emitters it is handed.

pub mod baseline;
pub mod cli;
pub mod compiled_regex;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod emit;
pub mod engine;
pub mod fix;
pub mod guard;
pub mod kind;
pub mod rules;
pub mod server;

#[cfg(test)]
pub mod test_support;
