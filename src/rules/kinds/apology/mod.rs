//! The `apology` check kind: CL101 `missing-apology` (`report = "missing"`) and CL401
//! `non-apology` (`report = "hedged"`).
//!
//! Both read one classification of every apology keyword in the document, computed once and
//! cached in [`SharedAnalysis::apologies`](super::SharedAnalysis). Its lexicon is the
//! `[check.classification]` table of the built-in `missing-apology.toml` (RULES.md calls it
//! "CL101's apology classification"); CL401 and CL402 use it through [`document_apologies`], so
//! the three rules always agree, whichever of them is switched on.

mod classify;

pub use classify::{ApologyClass, ClassificationParams, Classifier, Reason};

use super::{Analysis, Check, CheckContext, CheckSpec};
use crate::diagnostic::{Finding, Span};
use crate::document::{BlockKind, CompactSpan};
use serde::Deserialize;
use std::sync::LazyLock;

/// What a rule of this kind reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Report {
    /// Once per document without a genuine apology (CL101).
    Missing,
    /// At each hedged apology of a document without a genuine one (CL401).
    Hedged,
}

/// Parameters of the rule file's `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Params {
    /// What to report.
    pub report: Report,
    /// The lexicon; absent means the built-in one (from `missing-apology.toml`). A team rule
    /// with a lexicon of its own classifies with it, without touching the shared cache.
    #[serde(default)]
    pub classification: Option<Box<ClassificationParams>>,
}

/// Options from the configuration's `[rules.<name>]` table. None: the classification is shared
/// by CL101, CL401 and CL402, so per-rule options would make them disagree; first person from
/// the configuration's `organization` is applied to all three.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Options {}

/// One apology keyword and its classification. Its spans are kept in 32 bits: the apologies of
/// a big document are kept from CL101 to CL402.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apology {
    keyword: CompactSpan,
    sentence: CompactSpan,
    hedge: Option<CompactSpan>,
    /// How it reads.
    pub class: ApologyClass,
    /// Inside a block quote (a relayed statement).
    pub in_quote: bool,
}

impl Apology {
    /// The keyword.
    pub fn keyword(&self) -> Span {
        self.keyword.span()
    }

    /// The sentence it is in.
    pub fn sentence(&self) -> Span {
        self.sentence.span()
    }

    /// The hedge phrase, for a hedged apology.
    pub fn hedge(&self) -> Option<Span> {
        self.hedge.map(CompactSpan::span)
    }

    /// From the first character of keyword or hedge to the last character of either.
    pub fn span(&self) -> Span {
        let keyword = self.keyword();
        match self.hedge() {
            Some(h) => Span::new(keyword.start.min(h.start), keyword.end.max(h.end)),
            None => keyword,
        }
    }

    /// True for a genuine apology.
    pub fn is_genuine(&self) -> bool {
        self.class == ApologyClass::Genuine
    }
}

/// True when some apology is genuine (block quotes included, as CL101 counts them).
pub fn has_genuine(apologies: &[Apology]) -> bool {
    apologies.iter().any(Apology::is_genuine)
}

/// True when some apology outside block quotes is genuine (CL402's "ownership").
pub fn has_own_genuine(apologies: &[Apology]) -> bool {
    apologies.iter().any(|a| a.is_genuine() && !a.in_quote)
}

/// The built-in lexicon, read from `rules/missing-apology.toml`, and its compiled form.
static BUILTIN: LazyLock<(ClassificationParams, Classifier)> = LazyLock::new(|| {
    let def = crate::config::builtin_rule("missing-apology").expect("missing-apology is built in");
    let CheckSpec::Apology(Params {
        classification: Some(params),
        ..
    }) = def.check.clone()
    else {
        panic!("missing-apology.toml: [check.classification] is required");
    };
    let classifier = Classifier::compile(&params).unwrap_or_else(|e| panic!("missing-apology.toml: {e}"));
    (*params, classifier)
});

/// Every apology keyword of the document, classified with the built-in lexicon; computed on
/// first use and cached for the other rules.
pub fn document_apologies<'a>(cx: &CheckContext<'a>) -> &'a [Apology] {
    cx.shared.apologies.get_or_init(|| classify_document(&BUILTIN.1, cx))
}

/// Classifies every sentence of the document.
pub fn classify_document(classifier: &Classifier, cx: &CheckContext<'_>) -> Vec<Apology> {
    let doc = cx.doc;
    let mut out = Vec::new();
    let mut keywords = classifier.keyword_filter();
    for sentence in &doc.sentences {
        let text = doc.prose(sentence.span());
        if !keywords.may_hold(text) {
            continue;
        }
        let block = doc.block_of(sentence);
        let in_heading = matches!(block.kind(), BlockKind::Heading(_));
        let base = sentence.span().start;
        let at = |(start, end): (usize, usize)| Span::new(start + base, end + base);
        for found in classifier.classify_sentence(text, in_heading, cx.organization) {
            out.push(Apology {
                keyword: CompactSpan::new(at(found.keyword)),
                sentence: CompactSpan::new(sentence.span()),
                hedge: found.hedge.map(|h| CompactSpan::new(at(h))),
                class: found.class,
                in_quote: block.in_quote(),
            });
        }
    }
    out.shrink_to_fit();
    out
}

/// Which lexicon a compiled rule classifies with.
#[derive(Debug)]
enum Lexicon {
    /// The built-in one, through the per-document cache.
    Shared,
    /// A team rule's own, computed per check.
    Own(Box<Classifier>),
}

/// The compiled check.
#[derive(Debug)]
pub struct ApologyCheck {
    report: Report,
    lexicon: Lexicon,
}

impl ApologyCheck {
    /// Compiles the rule file's parameters with the configuration's options.
    pub fn compile(params: &Params, _options: Options) -> Result<Self, String> {
        let lexicon = match &params.classification {
            Some(own) if **own != BUILTIN.0 => Lexicon::Own(Box::new(Classifier::compile(own)?)),
            _ => Lexicon::Shared,
        };
        Ok(ApologyCheck {
            report: params.report,
            lexicon,
        })
    }
}

impl Check for ApologyCheck {
    fn reads(&self) -> &'static [Analysis] {
        &[Analysis::Apologies]
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
        let own;
        let apologies: &[Apology] = match &self.lexicon {
            Lexicon::Shared => document_apologies(cx),
            Lexicon::Own(classifier) => {
                own = classify_document(classifier, cx);
                &own
            }
        };
        if has_genuine(apologies) {
            return;
        }
        let hedged = apologies.iter().filter(|a| a.class == ApologyClass::Hedged);
        match self.report {
            Report::Missing => {
                let finding = Finding::new(cx.doc.title_anchor(), "no apology to the people affected")
                    .with_label("announcement starts here");
                out.push(hedged.fold(finding, |f, a| {
                    f.with_secondary(a.span(), "this apology is hedged (CL401)")
                }));
            }
            Report::Hedged => out.extend(hedged.map(|a| {
                let hedge = a.hedge().map_or(String::new(), |h| collapse_spaces(cx.doc.prose(h)));
                Finding::new(a.span(), format!("apology is hedged by \"{hedge}\""))
            })),
        }
    }
}

/// The hedge as the reader sees it: markup blanked in the mask leaves runs of spaces.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
