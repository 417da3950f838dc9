//! A limit that depends on the audience (RULES.md §2: the audience moves thresholds), as a rule
//! file gives it and as a configuration changes it.

use crate::kind::Audience;
use serde::Deserialize;

/// One value per audience, both required (the rule file's `[check]` table).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PerAudience<T> {
    /// For customers (the default audience of most kinds).
    pub customers: T,
    /// For engineers (postmortems).
    pub engineers: T,
}

/// Changes from a configuration: a field left out keeps the rule file's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PerAudienceChange<T> {
    /// The new value for customers.
    #[serde(default)]
    pub customers: Option<T>,
    /// The new value for engineers.
    #[serde(default)]
    pub engineers: Option<T>,
}

impl<T: Copy> PerAudience<T> {
    /// These values with a configuration's changes.
    pub fn with(self, change: Option<PerAudienceChange<T>>) -> Self {
        let change = change.unwrap_or(PerAudienceChange {
            customers: None,
            engineers: None,
        });
        PerAudience {
            customers: change.customers.unwrap_or(self.customers),
            engineers: change.engineers.unwrap_or(self.engineers),
        }
    }

    /// The value for one audience.
    pub fn get(&self, audience: Audience) -> T {
        match audience {
            Audience::Customers => self.customers,
            Audience::Engineers => self.engineers,
        }
    }

    /// Checks both values; `describe` says what is wrong with a bad one (`None` when fine).
    pub fn validate(&self, key: &str, describe: impl Fn(T) -> Option<String>) -> Result<(), String> {
        for (audience, value) in [("customers", self.customers), ("engineers", self.engineers)] {
            if let Some(problem) = describe(value) {
                return Err(format!("`{key}.{audience}` {problem}"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_replaces_only_the_audiences_it_names() {
        let limits = PerAudience {
            customers: 30,
            engineers: 40,
        };
        let change = PerAudienceChange {
            customers: Some(25),
            engineers: None,
        };
        let changed = limits.with(Some(change));
        assert_eq!(
            (changed.get(Audience::Customers), changed.get(Audience::Engineers)),
            (25, 40)
        );
        assert_eq!(limits.with(None), limits);
    }

    #[test]
    fn validation_names_the_key_and_the_audience() {
        let limits = PerAudience {
            customers: 0,
            engineers: 40,
        };
        let err = limits
            .validate("max-words", |n| (n == 0).then(|| "must be at least 1".to_string()))
            .unwrap_err();
        assert_eq!(err, "`max-words.customers` must be at least 1");
    }
}
