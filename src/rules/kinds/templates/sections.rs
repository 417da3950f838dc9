//! Section ids and templates: the built-in data (`rules/_sections.toml`) merged with a
//! configuration's `[sections.<id>]` and `[templates.<kind>]`, compiled once per configuration.

use super::super::presence::{self, pattern::compile_bounded};
use super::super::{parse_options, CheckSpec};
use crate::config::{SectionConfig, TemplateConfig};
use crate::diagnostic::Span;
use crate::document::Document;
use crate::kind::DocKind;
use crate::rules::kinds::pattern_set::PatternSet;
use crate::rules::kinds::LazyRegex;
use crate::rules::RuleDef;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The built-in section ids and templates.
pub const BUILTIN_SECTIONS: &str = include_str!("../../../../rules/_sections.toml");

/// `rules/_sections.toml` as written: the same tables a configuration may give.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SectionData {
    /// Section ids.
    #[serde(default)]
    pub sections: BTreeMap<String, SectionConfig>,
    /// Templates per kind.
    #[serde(default)]
    pub templates: BTreeMap<DocKind, TemplateConfig>,
}

impl SectionData {
    /// The built-in data, parsed; panics only if the shipped file is malformed, which the tests
    /// rule out.
    pub fn builtin() -> SectionData {
        toml::from_str(BUILTIN_SECTIONS).unwrap_or_else(|e| panic!("rules/_sections.toml: {e}"))
    }
}

/// A template problem, with the text to look for in the configuration to place it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub message: String,
    /// Snippets of the configuration that locate it, most precise first.
    pub near: Vec<String>,
}

impl TemplateError {
    fn new(message: String, near: Vec<String>) -> Self {
        TemplateError { message, near }
    }
}

/// One section id, compiled.
#[derive(Debug)]
pub struct SectionId {
    /// The id (`timeline`).
    pub id: String,
    /// The heading to suggest when it is missing (`Timeline`).
    pub title: String,
}

/// One kind's template: indices into [`Templates::sections`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    /// Required ids, in template order.
    pub required: Vec<usize>,
    /// Allowed, not required.
    pub optional: Vec<usize>,
    /// Whether the required ids must appear in order.
    pub ordered: bool,
}

/// Every section id and every kind's template under one configuration.
#[derive(Debug, Default)]
pub struct Templates {
    /// Section ids, sorted by id.
    pub sections: Vec<SectionId>,
    /// Every section's heading patterns, searched together: each heading is asked only of the
    /// few patterns whose words it has.
    headings: PatternSet,
    /// The section (index into `sections`) of each member of `headings`.
    heading_section: Vec<usize>,
    by_kind: BTreeMap<DocKind, Template>,
}

/// Where a heading or bold label that stands for a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The heading's or label's text (what findings underline).
    pub span: Span,
    /// The heading's index in `Document::headings`, or `None` for a bold label.
    pub heading: Option<usize>,
}

impl Templates {
    /// Merges the built-in data with a configuration's tables and compiles every pattern.
    /// `headings_of` gives a presence rule's heading patterns as configured.
    pub fn build(
        builtin: SectionData,
        sections: &BTreeMap<String, SectionConfig>,
        templates: &BTreeMap<DocKind, TemplateConfig>,
        headings_of: &dyn Fn(&str) -> Result<Vec<String>, String>,
    ) -> Result<Templates, TemplateError> {
        let mut defs = builtin.sections;
        for (id, config) in sections {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(TemplateError::new(
                    format!("section id `{id}` must be kebab-case (lowercase letters, digits and `-`)"),
                    vec![format!("[sections.{id}]")],
                ));
            }
            defs.insert(id.clone(), config.clone());
        }
        let mut compiled = Vec::with_capacity(defs.len());
        let mut headings = Vec::new();
        let mut heading_section = Vec::new();
        for (id, def) in &defs {
            let (section, patterns) = compile_section(id, def, headings_of)?;
            heading_section.extend(std::iter::repeat_n(compiled.len(), patterns.len()));
            headings.extend(patterns);
            compiled.push(section);
        }
        let index_of = |id: &str| compiled.iter().position(|s: &SectionId| s.id == id);

        let mut merged = builtin.templates;
        for (kind, config) in templates {
            let entry = merged.entry(*kind).or_default();
            if config.required.is_some() {
                entry.required.clone_from(&config.required);
            }
            if config.optional.is_some() {
                entry.optional.clone_from(&config.optional);
            }
            if config.ordered.is_some() {
                entry.ordered = config.ordered;
            }
        }
        let mut by_kind = BTreeMap::new();
        for (kind, config) in merged {
            let resolve = |key: &str, ids: &[String]| -> Result<Vec<usize>, TemplateError> {
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    let index = index_of(id).ok_or_else(|| unknown_id(kind, key, id, &compiled))?;
                    if out.contains(&index) {
                        return Err(TemplateError::new(
                            format!("section `{id}` is listed twice in [templates.{kind}] {key}"),
                            vec![format!("\"{id}\""), format!("[templates.{kind}]")],
                        ));
                    }
                    out.push(index);
                }
                Ok(out)
            };
            let required = resolve("required", config.required.as_deref().unwrap_or_default())?;
            let optional = resolve("optional", config.optional.as_deref().unwrap_or_default())?;
            if let Some(&both) = optional.iter().find(|i| required.contains(i)) {
                let id = &compiled[both].id;
                return Err(TemplateError::new(
                    format!("section `{id}` is both required and optional in [templates.{kind}]"),
                    vec![format!("[templates.{kind}]")],
                ));
            }
            let ordered = config.ordered.unwrap_or(false);
            by_kind.insert(
                kind,
                Template {
                    required,
                    optional,
                    ordered,
                },
            );
        }
        Ok(Templates {
            sections: compiled,
            headings: PatternSet::new(headings),
            heading_section,
            by_kind,
        })
    }

    /// The template of a kind, when it requires anything.
    pub fn for_kind(&self, kind: DocKind) -> Option<&Template> {
        self.by_kind.get(&kind).filter(|t| !t.required.is_empty())
    }

    /// The kinds whose template requires at least one section.
    pub fn kinds_with_template(&self) -> impl Iterator<Item = DocKind> + '_ {
        self.by_kind
            .iter()
            .filter(|(_, t)| !t.required.is_empty())
            .map(|(k, _)| *k)
    }

    /// For each section id, the headings and bold labels that stand for it, in source order.
    /// The title never counts; a heading inside code is not a heading.
    pub fn locate(&self, doc: &Document) -> Vec<Vec<Place>> {
        let mut found: Vec<Vec<Place>> = vec![Vec::new(); self.sections.len()];
        let title = doc.title.as_ref().map(|t| t.span);
        let headings = doc.body_headings().map(|(index, h)| {
            let place = Place {
                span: h.text_span(),
                heading: Some(index),
            };
            (place, h.normalized.as_str())
        });
        let labels = doc
            .labels
            .iter()
            .filter(|l| !title.is_some_and(|t| t.contains(l.text_span)))
            .map(|l| {
                let place = Place {
                    span: l.text_span,
                    heading: None,
                };
                (place, l.normalized.as_str())
            });
        for (place, text) in headings.chain(labels) {
            // A section's patterns are consecutive members: once one matches, skip the rest.
            let mut matched = None;
            for (member, re) in self.headings.candidates(text) {
                let section = self.heading_section[member];
                if matched != Some(section) && re.is_match(text) {
                    matched = Some(section);
                    found[section].push(place);
                }
            }
        }
        for places in &mut found {
            places.sort_by_key(|p| p.span);
        }
        found
    }
}

fn compile_section(
    id: &str,
    def: &SectionConfig,
    headings_of: &dyn Fn(&str) -> Result<Vec<String>, String>,
) -> Result<(SectionId, Vec<LazyRegex>), TemplateError> {
    let near = || vec![format!("[sections.{id}]")];
    let mut patterns = Vec::new();
    if let Some(rule) = &def.headings_of {
        let inherited = headings_of(rule).map_err(|e| {
            TemplateError::new(
                format!("section `{id}`: {e}"),
                vec![format!("\"{rule}\""), format!("'{rule}'"), format!("[sections.{id}]")],
            )
        })?;
        patterns.extend(inherited);
    }
    patterns.extend(def.headings.iter().cloned());
    if patterns.is_empty() {
        return Err(TemplateError::new(
            format!("section `{id}` has no heading patterns: give `headings = [...]` or `headings-of = \"<rule>\"`"),
            near(),
        ));
    }
    let headings = patterns
        .iter()
        .map(|p| {
            compile_bounded(p).map_err(|e| {
                TemplateError::new(
                    format!("in [sections.{id}] headings: {e}"),
                    vec![format!("'{p}'"), format!("\"{p}\""), format!("[sections.{id}]")],
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let title = def.title.clone().unwrap_or_else(|| title_from_id(id));
    let section = SectionId {
        id: id.to_string(),
        title,
    };
    Ok((section, headings))
}

/// `next-steps` → `Next steps`.
fn title_from_id(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn unknown_id(kind: DocKind, key: &str, id: &str, sections: &[SectionId]) -> TemplateError {
    let closest = sections
        .iter()
        .map(|s| (strsim::jaro_winkler(id, &s.id), &s.id))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| format!("; did you mean `{id}`?"))
        .unwrap_or_default();
    let known = sections.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ");
    TemplateError::new(
        format!(
            "unknown section id `{id}` in [templates.{kind}] {key}{closest} (known: {known}; add one with [sections.<id>])"
        ),
        vec![format!("\"{id}\""), format!("'{id}'"), format!("[templates.{kind}]")],
    )
}

/// A presence rule's heading patterns under its configured options (`headings` replaces,
/// `extra-headings` adds), for `headings-of`.
pub fn presence_headings(def: &RuleDef, options: Option<&toml::Value>) -> Result<Vec<String>, String> {
    let CheckSpec::Presence(params) = &def.check else {
        return Err(format!(
            "`headings-of` names `{}`, which is not a presence rule",
            def.name
        ));
    };
    let options: presence::Options =
        parse_options(options).map_err(|e| format!("in options for `{}`: {e}", def.name))?;
    let mut headings = options.headings.unwrap_or_else(|| params.headings.clone());
    headings.extend(options.extra_headings);
    Ok(headings)
}
