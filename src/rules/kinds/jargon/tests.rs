use super::*;

fn params() -> Params {
    shipped_params()
}

fn compile(options: &str) -> Result<Jargon, String> {
    let value: toml::Value = toml::from_str(options).map_err(|e| e.to_string())?;
    Jargon::compile(&params(), crate::rules::kinds::parse_options(Some(&value))?)
}

fn run_with(check: &Jargon, text: &str, audience: Audience) -> Vec<Finding> {
    let (_doc, out) = crate::rules::kinds::run_check(check, text, audience);
    out
}

/// The underlined texts of the findings for customers, with the default configuration.
fn terms(text: &str) -> Vec<String> {
    let check = compile("").unwrap();
    run_with(&check, text, Audience::Customers)
        .iter()
        .map(|f| text[f.primary.span.start..f.primary.span.end].to_string())
        .collect()
}

#[test]
fn a_dense_sentence_reports_each_term_once_with_the_section_figures() {
    let text = "Elevated latency on the primary replica caused timeouts and more latency.";
    let check = compile("").unwrap();
    let found = run_with(&check, text, Audience::Customers);
    assert_eq!(found.len(), 3);
    assert_eq!(
        found[0].message,
        "technical term `latency` in text written for customers"
    );
    assert_eq!(found[0].secondary[0].message, "4 uses of 3 technical terms in 11 words");
    assert_eq!(
        found[0].help.as_deref(),
        Some("say \"delay\", or explain the term the first time you use it")
    );
    assert!(found[0].suggestion.is_none());
}

#[test]
fn variants_of_a_term_are_one_term() {
    assert!(terms("We rolled back the change, then had to roll back again.").is_empty());
    assert_eq!(
        terms("We rolled back the deploy, then the rollback failed."),
        ["rolled back", "deploy"]
    );
}

#[test]
fn one_term_in_a_long_section_is_fine() {
    let filler = "Customers could not sign in for part of the morning. ".repeat(40);
    assert!(terms(&format!("{filler}We rolled back the change. {filler}")).is_empty());
}

#[test]
fn everyday_words_are_never_terms() {
    let text = "The server and the network had an outage. Reset your password, for instance, or \
                ask the server team. Our network outage hit the password server.";
    assert!(terms(text).is_empty());
}

#[test]
fn all_caps_terms_match_only_in_capitals() {
    assert_eq!(terms("The DNS and CDN failed."), ["DNS", "CDN"]);
    assert!(terms("The dns and cdn failed.").is_empty());
}

#[test]
fn identifiers_count_as_terms() {
    let text = "web-03 read /var/lib/app/data with --force via user_sessions and getUserById.";
    assert_eq!(
        terms(text),
        ["web-03", "/var/lib/app/data", "--force", "user_sessions", "getUserById"]
    );
    assert_eq!(
        terms("Calling Error::type_id or reload() rewrote settings.yaml on us-east-1."),
        ["Error::type_id", "reload()", "settings.yaml", "us-east-1"]
    );
    assert!(terms("The iPhone and macOS apps on GitHub, mid-2024, and/or 24/7 -- fine.").is_empty());
    assert!(terms("Our 1-to-1 calls, docs.rs and Node.js pages were fine on the whole.").is_empty());
}

#[test]
fn a_defined_term_stops_counting() {
    assert!(
        terms("Our CDN (the network that delivers our pages) failed, so the CDN served stale CDN pages.").is_empty()
    );
    // Uses before the definition still count.
    assert_eq!(
        terms("The CDN cache broke. The CDN, a network of servers, is back."),
        ["CDN", "cache"]
    );
}

#[test]
fn engineers_have_a_higher_threshold() {
    let text = "Elevated latency on the primary replica caused timeouts.";
    let check = compile("").unwrap();
    assert!(run_with(&check, text, Audience::Engineers).is_empty());
    let dense = "The deploy raised latency; replica lag caused timeouts, cache misses and a failover.";
    let found = run_with(&check, dense, Audience::Engineers);
    assert_eq!(found.len(), 6);
    assert_eq!(
        found[0].message,
        "technical term `deploy` in text written for engineers"
    );
}

#[test]
fn extra_terms_allow_and_thresholds_come_from_the_configuration() {
    let check = compile(
        r#"extra-terms = [{ term = "anycast", plain = "nearest server", drop-in = true }, { pattern = 'peering\s+links?' }]
           allow = ["latency", "replica"]
           thresholds.customers = { distinct = 3 }"#,
    )
    .unwrap();
    let found = run_with(
        &check,
        "Anycast over peering links raised latency on a replica.",
        Audience::Customers,
    );
    assert!(found.is_empty(), "{found:?}");
    let found = run_with(
        &check,
        "Anycast over peering links caused timeouts.",
        Audience::Customers,
    );
    assert_eq!(found.len(), 3);
    assert_eq!(
        found[0].suggestion.as_ref().map(|s| s.replacement.as_str()),
        Some("Nearest server")
    );
    assert_eq!(
        found[0].suggestion.as_ref().map(|s| s.applicability),
        Some(Applicability::MaybeIncorrect)
    );
    assert_eq!(found[1].help, None);
    let found = run_with(
        &check,
        "We saw timeouts with anycast over peering links.",
        Audience::Customers,
    );
    assert_eq!(
        found[1].suggestion.as_ref().map(|s| s.replacement.as_str()),
        Some("nearest server")
    );
}

#[test]
fn configuration_mistakes_are_clear_errors() {
    let error = |options: &str| compile(options).unwrap_err();
    assert!(error("alow = [\"API\"]").contains("alow"));
    assert!(error("extra-terms = [{ term = \"x\", pattern = \"y\" }]").contains("not both"));
    assert!(error("extra-terms = [{ plain = \"y\" }]").contains("needs a non-empty `term`"));
    assert!(error("extra-terms = [{ pattern = \"(x\" }]").contains("(x"));
    assert!(error("thresholds.customers = { distinct = 0 }").contains("at least 1"));
    assert!(error("thresholds.customers = { per-100-words = -1.0 }").contains("per-100-words"));
    assert!(error("thresholds.managers = { distinct = 2 }").contains("managers"));
    assert!(compile("thresholds.engineers = { per-100-words = 4 }").is_ok());
}
