//! Document kinds and audiences (RULES.md §2).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What sort of announcement a document is; decides which rules run and how severe they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// A live notice during an incident, or its resolution notice.
    StatusUpdate,
    /// The customer-facing account afterwards (the default).
    #[default]
    IncidentReport,
    /// The detailed review: timeline, causes, action items.
    Postmortem,
    /// An advisory about a vulnerability, breach or exposure.
    SecurityDisclosure,
}

impl DocKind {
    /// Every kind, in the order of the RULES.md §4 table.
    pub const ALL: [DocKind; 4] = [
        DocKind::StatusUpdate,
        DocKind::IncidentReport,
        DocKind::Postmortem,
        DocKind::SecurityDisclosure,
    ];

    /// The kebab-case name used in flags, config and front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::StatusUpdate => "status-update",
            DocKind::IncidentReport => "incident-report",
            DocKind::Postmortem => "postmortem",
            DocKind::SecurityDisclosure => "security-disclosure",
        }
    }

    /// Who reads this kind when nothing says otherwise.
    pub fn default_audience(self) -> Audience {
        match self {
            DocKind::Postmortem => Audience::Engineers,
            _ => Audience::Customers,
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DocKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            format!(
                "unknown document kind `{s}` (expected one of: {})",
                DocKind::ALL.map(|k| k.as_str()).join(", ")
            )
        })
    }
}

/// Who the document is written for; moves thresholds, never which rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Customers and other non-specialists.
    Customers,
    /// Engineers, who may be spared some plain-language rules.
    Engineers,
}

impl Audience {
    /// Both audiences.
    pub const ALL: [Audience; 2] = [Audience::Customers, Audience::Engineers];

    /// The name used in flags, config and front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Customers => "customers",
            Audience::Engineers => "engineers",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Audience::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown audience `{s}` (expected customers or engineers)"))
    }
}
