use super::longest_ordered;
use crate::config::{ConfigFile, Settings};
use crate::diagnostic::Diagnostic;
use crate::engine::{lint_source, Overrides};
use crate::kind::DocKind;
use std::path::Path;
use std::sync::LazyLock;

/// Built-in settings, compiled once for these tests (compiling is slow in debug builds).
static BUILTIN: LazyLock<Settings> = LazyLock::new(Settings::builtin);

fn settings(config: &str) -> Result<Settings, String> {
    let file: ConfigFile = toml::from_str(config).map_err(|e| e.to_string())?;
    Settings::compile(None, config, file, Path::new(".")).map_err(|e| e.0)
}

fn lint(settings: &Settings, kind: DocKind, text: &str) -> Vec<Diagnostic> {
    let overrides = Overrides {
        kind: Some(kind),
        ..Overrides::default()
    };
    let report = lint_source(settings, &overrides, "t.md", Path::new("t.md"), text.to_string());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report.diagnostics
}

fn of<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.rule == rule).collect()
}

const REPORT: &str = "# Login outage\n\n## Impact\n\nNobody could sign in for forty minutes that morning.\n\n\
                      ## What happened\n\nA certificate expired on the login service.\n";

#[test]
fn a_configured_template_turns_the_template_rules_on_for_its_kind() {
    let s = settings(
        "[templates.incident-report]\nrequired = [\"what-happened\", \"impact\", \"next-steps\"]\nordered = true\n",
    )
    .unwrap();
    let found = lint(&s, DocKind::IncidentReport, REPORT);
    let missing = of(&found, "missing-section");
    assert_eq!(missing.len(), 1, "{found:#?}");
    assert_eq!(missing[0].message, "required section \"next-steps\" is missing");
    assert_eq!(
        missing[0].help.as_deref(),
        Some("add a \"## Next steps\" section after the \"Impact\" section")
    );
    let order = of(&found, "section-order");
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].message, "section \"what-happened\" comes after \"impact\"");
    assert_eq!(order[0].severity, crate::diagnostic::Severity::Info);
    // Without the template the rules are off for incident reports (RULES.md §4).
    let builtin = lint(&BUILTIN, DocKind::IncidentReport, REPORT);
    assert!(of(&builtin, "missing-section").is_empty() && of(&builtin, "section-order").is_empty());
}

#[test]
fn severity_settings_win_over_the_level_a_template_gives() {
    let s =
        settings("[templates.incident-report]\nrequired = [\"next-steps\"]\n[severity]\nmissing-section = \"off\"\n")
            .unwrap();
    assert!(of(&lint(&s, DocKind::IncidentReport, REPORT), "missing-section").is_empty());
}

#[test]
fn a_partial_template_keeps_the_built_in_values_it_does_not_name() {
    let s = settings("[templates.postmortem]\nordered = false\n").unwrap();
    let text = "# P\n\n## Timeline\n\nLots happened on that day, in this order.\n\n## Summary\n\nIt broke.\n";
    let found = lint(&s, DocKind::Postmortem, text);
    assert_eq!(
        of(&found, "missing-section").len(),
        3,
        "summary and timeline are present"
    );
    assert!(of(&found, "section-order").is_empty());
    let off = settings("[templates.postmortem]\nrequired = []\n").unwrap();
    assert!(of(&lint(&off, DocKind::Postmortem, text), "missing-section").is_empty());
}

#[test]
fn configured_sections_add_ids_and_presence_options_reach_the_shared_ids() {
    let s = settings(
        "[sections.customer-comms]\nheadings = ['how we kept you informed']\n\
         [templates.status-update]\nrequired = [\"customer-comms\", \"impact\"]\n\
         [rules.missing-impact]\nextra-headings = ['blast radius']\n",
    )
    .unwrap();
    let text = "# Update\n\n## Blast radius\n\nEvery customer in the EU region was affected.\n\n\
                ## How we kept you informed\n\nWe posted here every half hour.\n";
    assert!(of(&lint(&s, DocKind::StatusUpdate, text), "missing-section").is_empty());
    let missing = of(
        &lint(&s, DocKind::StatusUpdate, "# Update\n\nAll fine now.\n"),
        "missing-section",
    )
    .iter()
    .map(|d| d.help.clone().unwrap_or_default())
    .collect::<Vec<_>>();
    assert_eq!(
        missing,
        [
            "add a \"## Customer comms\" section after the title",
            "add a \"## Impact\" section after the title"
        ]
    );
}

#[test]
fn template_errors_name_the_line_and_the_closest_id() {
    let error = settings("[templates.postmortem]\nrequired = [\"summary\", \"timelin\"]\n").unwrap_err();
    assert!(error.contains(":2:"), "{error}");
    assert!(error.contains("unknown section id `timelin`"), "{error}");
    assert!(error.contains("did you mean `timeline`?"), "{error}");

    let error = settings("[sections.x]\nheadings = ['(unclosed']\n").unwrap_err();
    assert!(error.contains(":2:") && error.contains("invalid pattern"), "{error}");

    let error = settings("[sections.Bad_Id]\nheadings = ['x']\n").unwrap_err();
    assert!(error.contains("kebab-case"), "{error}");

    let error = settings("[sections.x]\nheadings-of = \"missing-apology\"\n").unwrap_err();
    assert!(error.contains("not a presence rule"), "{error}");

    let error = settings("[sections.x]\ntitle = \"X\"\n").unwrap_err();
    assert!(error.contains("no heading patterns"), "{error}");

    let error = settings("[templates.postmortem]\nrequired = [\"summary\"]\noptional = [\"summary\"]\n").unwrap_err();
    assert!(error.contains("both required and optional"), "{error}");

    let error = settings("[templates.memo]\nrequired = []\n").unwrap_err();
    assert!(error.contains("memo"), "{error}");

    let error = settings("[templates.postmortem]\nrequire = []\n").unwrap_err();
    assert!(error.contains("unknown field `require`"), "{error}");

    let error = settings("[rules.missing-section]\nmin-section-words = 3\n").unwrap_err();
    assert!(error.contains("only to empty-section"), "{error}");
}

#[test]
fn empty_section_threshold_is_configurable() {
    let text = "# Outage\n\nLogins failed for 40 minutes because a certificate expired. We are sorry. \
                We added an expiry alert.\n\n## Resolution\n\nCertificate renewed by hand.\n";
    assert_eq!(
        of(&lint(&BUILTIN, DocKind::IncidentReport, text), "empty-section").len(),
        1
    );
    let s = settings("[rules.empty-section]\nmin-section-words = 3\n").unwrap();
    assert!(of(&lint(&s, DocKind::IncidentReport, text), "empty-section").is_empty());
}

#[test]
fn the_longest_ordered_run_keeps_the_most_sections_in_place() {
    assert_eq!(longest_ordered(&[0, 1, 2]), [true, true, true]);
    assert_eq!(longest_ordered(&[4, 0, 1, 2, 3]), [false, true, true, true, true]);
    assert_eq!(longest_ordered(&[1, 0]), [true, false]);
    assert_eq!(longest_ordered(&[]), Vec::<bool>::new());
}

#[test]
fn a_new_heading_takes_the_level_of_its_neighbour() {
    let text = "# P\n\n### Summary\n\nA short summary of the whole thing.\n";
    let found = lint(&BUILTIN, DocKind::Postmortem, text);
    let help = of(&found, "missing-section")[0].help.clone().unwrap();
    assert_eq!(help, "add a \"### Impact\" section after the \"Summary\" section");
}

#[test]
fn every_built_in_section_pattern_compiles_eagerly() {
    // Settings compile these on first use; this is what makes that safe.
    use super::sections::{presence_headings, SectionData, Templates};
    let defs = crate::config::builtin_rules();
    let headings_of = |rule: &str| {
        let def = defs.iter().find(|d| d.name == rule).ok_or(format!("no rule {rule}"))?;
        presence_headings(def, None)
    };
    let built = Templates::build(
        SectionData::builtin(),
        &Default::default(),
        &Default::default(),
        &headings_of,
    );
    let templates = built.expect("built-in sections compile");
    assert_eq!(templates.sections.len(), 10);
    assert!(templates
        .for_kind(DocKind::Postmortem)
        .is_some_and(|t| t.ordered && t.required.len() == 5));
}
