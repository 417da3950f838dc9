use super::*;
use crate::kind::Audience;
use crate::rules::kinds::parse_options;

fn params() -> Params {
    let def = crate::rules::builtin_defs()
        .into_iter()
        .find(|d| d.name == "undefined-acronym")
        .expect("rule file");
    match def.check {
        CheckSpec::Acronym(params) => params,
        _ => panic!("undefined-acronym is not an acronym check"),
    }
}

fn compile(options: &str) -> Result<Acronyms, String> {
    let value: toml::Value = toml::from_str(options).map_err(|e| e.to_string())?;
    Acronyms::compile(&params(), parse_options(Some(&value))?)
}

fn run(check: &Acronyms, text: &str) -> (Document, Vec<Finding>) {
    let (doc, out) = crate::rules::kinds::run_check(check, text, Audience::Customers);
    (doc, out)
}

/// The underlined texts, with the default configuration.
fn reported(text: &str) -> Vec<String> {
    reported_by(&compile("").unwrap(), text)
}

/// The underlined texts, with `check`.
fn reported_by(check: &Acronyms, text: &str) -> Vec<String> {
    let (doc, found) = run(check, text);
    found.iter().map(|f| doc.text(f.primary.span).to_string()).collect()
}

#[test]
fn reports_each_undefined_acronym_once_at_its_first_use() {
    let (doc, found) = run(
        &compile("").unwrap(),
        "The RCA is attached. Read the RCA and the SOC 2 report.",
    );
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].message, "acronym `RCA` is not spelled out");
    assert_eq!(doc.text(found[0].primary.span), "RCA");
    assert_eq!(found[0].primary.span.start, 4);
    assert_eq!(found[1].message, "acronym `SOC` is not spelled out");
    assert!(found[0].help.is_none(), "the rule file's help is used");
}

#[test]
fn plurals_are_the_same_acronym() {
    assert_eq!(reported("Two WAFs failed, then a third WAF."), ["WAFs"]);
    assert!(reported("Web application firewalls (WAFs) failed, then a third WAF.").is_empty());
}

#[test]
fn expansion_before_the_parenthesis() {
    for text in [
        "Two-Factor Authentication (2FA) is on. Use 2FA.",
        "We use multi-factor authentication (MFA) now. MFA is required.",
        "The Department of Health (DH) called. DH agreed.",
        "The Bank of America (BOA) called. BOA agreed.",
        "A root cause analysis (\"RCA\") follows. The RCA is long.",
        "The Web Application Firewall (WAF, a filter) stopped it. The WAF is on.",
        "Research & Development (R&D) moved. R&D is fine.",
        "Our PagerDuty Incident Response (PDIR) guide. PDIR again.",
        "The **web application firewall** (WAF) stopped it.",
    ] {
        assert!(reported(text).is_empty(), "{text}: {:?}", reported(text));
    }
}

#[test]
fn expansion_after_the_acronym_and_cues() {
    for text in [
        "The WAF (web application firewall) stopped it. The WAF is on.",
        "2FA (two-factor authentication) is on.",
        "The WAF, short for web application firewall, stopped it.",
        "The WAF (short for web application firewall) stopped it.",
        "WAF stands for web application firewall.",
        "The WAF, which stands for web application firewall, stopped it.",
    ] {
        assert!(reported(text).is_empty(), "{text}: {:?}", reported(text));
    }
}

#[test]
fn initials_that_do_not_spell_the_acronym_define_nothing() {
    assert_eq!(reported("Web rules (WAF) stopped it."), ["WAF"]);
    assert_eq!(reported("The WAF (see below) stopped it."), ["WAF"]);
    assert_eq!(
        reported("The WAF (web application firewall rules) stopped it."),
        ["WAF"]
    );
    assert_eq!(reported("Application firewall (WAF) stopped it."), ["WAF"]);
    assert_eq!(reported("It was the firewall. (WAF) stopped it."), ["WAF"]);
}

#[test]
fn a_later_definition_is_a_secondary_label() {
    let text = "The WAF stopped it. A web application firewall (WAF) filters requests.";
    let (doc, found) = run(&compile("").unwrap(), text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].primary.span.start, 4);
    assert_eq!(found[0].secondary.len(), 1);
    assert_eq!(found[0].secondary[0].message, "spelled out here, after its first use");
    assert_eq!(doc.text(found[0].secondary[0].span), "WAF");
    assert_eq!(found[0].secondary[0].span.start, text.rfind("WAF").unwrap());
}

#[test]
fn allowed_zones_terms_status_words_and_numerals_are_never_reported() {
    for text in [
        "The FAQ and the PDF for US and EU users, Q3, IDs.",
        "From 9:00 UTC to 10:00 PST, or 14:00 CEST, or 8 ET.",
        "Our API, DNS, CDN and CI failed.",
        "UPDATE: we are still looking. NOTE this.",
        "Phase II and Tier IV.",
        "It starts at 10AM, 8UTC, with 100GB and 5 GB.",
        "SQL injection and HTTP 503 errors.",
    ] {
        assert!(reported(text).is_empty(), "{text}: {:?}", reported(text));
    }
}

#[test]
fn numbers_versions_and_timestamps_hold_no_acronym() {
    assert!(reported("Fixed in CVE-2024-1234 and SHA-256 at 2024-05-01T10:45:07Z; 1.5GB.").is_empty());
    assert_eq!(reported("The WAF-based filter"), ["WAF"]);
}

#[test]
fn shouting_and_all_caps_headings_are_not_acronyms() {
    assert!(reported("Please DO NOT restart your router.").is_empty());
    assert!(reported("# OUR SLO REPORT\n\nAll fine.").is_empty());
    assert_eq!(reported("# The SRE report\n\nAll fine."), ["SRE"]);
    assert_eq!(reported("Our AWS S3 bucket was public."), ["AWS", "S3"]);
    assert_eq!(reported("A VPN failed."), ["VPN"]);
}

#[test]
fn configuration_allows_more_acronyms() {
    let check = compile("allow = [\"AWS\", \"WAFs\"]").unwrap();
    let (_, found) = run(&check, "Our AWS account and our WAF and RCA.");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message, "acronym `RCA` is not spelled out");
    assert!(compile("allow = [\"\"]").is_err());
    assert!(compile("alow = [\"AWS\"]").is_err());
}

#[test]
fn code_and_link_destinations_are_not_prose() {
    assert!(reported("Run `RCA_TOOL --WAF` and see [the notes](https://x.test/RCA).").is_empty());
}

#[test]
fn a_parenthesis_far_from_any_expansion_stays_bounded() {
    // Many skip words before the parenthesis: the initials test reads a bounded window.
    let text = format!("{}(ABC) is new.", "of the and ".repeat(5000));
    assert_eq!(reported(&text), ["ABC"]);
}

#[test]
fn capitalised_words_suffixed_numbers_date_formats_and_slash_pairs() {
    for text in [
        "Rotate ALL keys. Priority HIGH: done. The log said ERROR and WARN.",
        "About 16K files on 500G disks.",
        "Write dates as YYYY-MM-DD and times as HH:MM.",
        "Our CI/CD pipeline stopped.",
    ] {
        assert!(reported(text).is_empty(), "{text}: {:?}", reported(text));
    }
    assert_eq!(reported("Over TCP/IP."), ["TCP", "IP"]);
}

/// An answer kept from one document is the answer for the next, and the kept answers stay
/// within their bound.
#[test]
fn kept_answers_are_the_answers_and_stay_bounded() {
    let check = compile("allow = [\"XYZ\"]").unwrap();
    for _ in 0..2 {
        assert_eq!(
            reported_by(&check, "Read the RCA in UTC via the XYZ and the API."),
            ["RCA"]
        );
    }
    for i in 0..(ANSWERS_KEPT + 10) {
        check.is_known(&format!("Q{i}"));
    }
    let kept = check.answers.lock().unwrap().len();
    assert!((1..=ANSWERS_KEPT).contains(&kept), "{kept} answers kept");
    assert!(check.is_known("XYZ") && check.is_known("UTC") && !check.is_known("RCA"));
}
