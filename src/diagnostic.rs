//! The diagnostic model shared by rules, the engine and the emitters.
//!
//! Everything carries byte spans into the document source; only the line index and the
//! emitters turn them into lines and columns.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A byte range `[start, end)` into a document's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end}");
        Span { start, end }
    }

    /// An empty span at `at`.
    pub fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `other` lies entirely inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when `offset` lies inside this span.
    pub fn contains_offset(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The span shifted right by `by` bytes (for matches found in a sub-slice).
    pub fn shift(&self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// How serious a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    /// Should be fixed before publishing.
    Warning,
    /// Must be fixed before publishing.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's level for one document: a severity, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// See [`Severity::Info`].
    Info,
    /// See [`Severity::Warning`].
    Warning,
    /// See [`Severity::Error`].
    Error,
}

impl Level {
    /// The severity, or `None` when off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    /// The name used in rule files and in `crisislint rules`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A span with a short text shown under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What the reader should notice there (may be empty for the primary label).
    pub message: String,
}

impl Label {
    /// A label with a message.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// Whether a suggestion may be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// `--fix` applies it.
    MachineApplicable,
    /// Shown, never applied automatically.
    MaybeIncorrect,
}

impl Applicability {
    /// The name in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "machine-applicable",
            Applicability::MaybeIncorrect => "maybe-incorrect",
        }
    }
}

/// A replacement of the text at `span` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The text to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
    /// Whether `--fix` may apply it.
    pub applicability: Applicability,
}

/// What a check reports: everything but the rule's identity and severity, which the engine adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong: lowercase start, no final period.
    pub message: String,
    /// The text underlined, with its label (often empty).
    pub primary: Label,
    /// Other places worth showing (near misses, evidence).
    pub secondary: Vec<Label>,
    /// What to write instead; `None` takes the rule file's `help`.
    pub help: Option<String>,
    /// A mechanical replacement, when there is one.
    pub suggestion: Option<Suggestion>,
}

impl Finding {
    /// A finding with a message and a primary span, no label text, help from the rule file.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Finding {
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    /// Sets the primary label's text.
    pub fn with_label(mut self, text: impl Into<String>) -> Self {
        self.primary.message = text.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, text));
        self
    }

    /// Overrides the rule file's help.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a suggestion.
    pub fn with_suggestion(mut self, span: Span, replacement: impl Into<String>, applicability: Applicability) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
            applicability,
        });
        self
    }
}

/// A finding with the rule that made it and its severity for this document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule name, kebab-case (`missing-apology`).
    pub rule: String,
    /// Rule code (`CL101`).
    pub code: String,
    /// Severity for this document's kind, audience and configuration.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The text underlined.
    pub primary: Label,
    /// Other places worth showing.
    pub secondary: Vec<Label>,
    /// What to write instead.
    pub help: Option<String>,
    /// A mechanical replacement.
    pub suggestion: Option<Suggestion>,
}
