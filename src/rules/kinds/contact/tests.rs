//! Channels (CL105) and empty channels (CL106), on the built-in rule files.

use super::empty::{EmptyChannel, EmptyContact};
use super::*;
use crate::rules::kinds::CheckSpec;
use std::sync::LazyLock;

static MISSING: LazyLock<MissingContact> = LazyLock::new(|| {
    let def = crate::config::builtin_rules()
        .iter()
        .find(|d| d.name == "missing-contact")
        .expect("built-in missing-contact");
    match &def.check {
        CheckSpec::Contact(params) => MissingContact::compile(params, Options::default()).expect("compiles"),
        _ => panic!("missing-contact is a contact rule"),
    }
});

static EMPTY: LazyLock<EmptyContact> = LazyLock::new(|| EmptyContact::builtin().expect("compiles"));

fn doc(text: &str) -> Document {
    Document::parse("t.md", format!("# Title\n\n{text}\n"))
}

/// The text of the first channel found, if any.
fn channel(text: &str) -> Option<String> {
    let d = doc(text);
    MISSING.channel(&d).map(|s| d.text(s).to_string())
}

/// The phrases (or link texts) reported as empty channels.
fn empties(text: &str) -> Vec<String> {
    let d = doc(text);
    EMPTY
        .find(&d)
        .into_iter()
        .map(|e| match e {
            EmptyChannel::Phrase { phrase, .. } => d.text(phrase).to_string(),
            EmptyChannel::Link { link, .. } => d.text(link).to_string(),
        })
        .collect()
}

#[test]
fn addresses_count_in_text_links_and_autolinks_but_not_in_code() {
    assert_eq!(
        channel("Reports go to security@example.com.").as_deref(),
        Some("security@example.com")
    );
    assert_eq!(
        channel("Write to <help@example.com>.").as_deref(),
        Some("help@example.com")
    );
    assert!(channel("[Write to us](mailto:team@example.com).").is_some());
    assert_eq!(channel("Run `mail ops@example.com` to test."), None);
    assert_eq!(channel("Something broke.\n\n```\nmail ops@example.com\n```"), None);
}

#[test]
fn addresses_and_urls_written_against_cjk_text_count() {
    // Chinese and Japanese put no space between words, nor before an address: a Unicode word
    // boundary, for which a CJK character is a word character, would find none of these.
    assert_eq!(
        channel("如有问题请联系support@example.com。").as_deref(),
        Some("support@example.com")
    );
    assert_eq!(
        channel("最新情况见https://status.example.com。").as_deref(),
        Some("https://status.example.com")
    );
}

#[test]
fn links_and_urls_count_by_their_destination_or_text() {
    assert!(channel("Write to [our team](https://example.com/support).").is_some());
    assert!(channel("Open [a ticket](https://example.com/new).").is_some());
    assert!(channel("See https://status.example.com for news.").is_some());
    assert!(channel("[Call](tel:+15550100199) any time.").is_some());
    assert_eq!(channel("Read [the post](https://example.com/blog/outage)."), None);
    assert_eq!(channel("![support](https://example.com/support.png)"), None);
    assert_eq!(channel("[Contact us](#) any time."), None);
}

#[test]
fn a_phone_number_needs_a_contact_verb_and_eight_digits_but_no_date() {
    assert!(channel("Questions? Call us on +44 20 7946 0000.").is_some());
    assert!(channel("You can reach the desk at (555) 010-0199.").is_some());
    assert_eq!(channel("Order 2024 5555 1234 shipped late."), None);
    assert_eq!(channel("Call us on 555 0199."), None);
    assert_eq!(channel("Report it if it fails after 2024-03-04 10 00."), None);
}

#[test]
fn a_named_channel_counts_after_a_contact_verb() {
    assert!(channel("Please open a ticket in the support portal.").is_some());
    assert!(channel("Contact your account manager for credits.").is_some());
    assert!(channel("Just reply to this email with questions.").is_some());
    assert_eq!(channel("The support portal was slow."), None);
    assert_eq!(channel("Contact us if you have questions."), None);
}

#[test]
fn an_empty_phrase_silences_the_missing_contact_finding() {
    let d = doc("If you have questions, please email us on or chat with us on");
    assert_eq!(MISSING.channel(&d), None);
    assert_eq!(
        empties("If you have questions, please email us on or chat with us on"),
        ["email us on", "chat with us on"]
    );
}

#[test]
fn an_empty_slot_ends_the_sentence_or_meets_a_conjunction_or_punctuation() {
    assert_eq!(
        empties("Please email us at or call us on."),
        ["email us at", "call us on"]
    );
    assert_eq!(
        empties("Reach out to our support team at, or by phone."),
        ["Reach out to our support team at"]
    );
    assert_eq!(empties("Contact support via (see below)."), Vec::<String>::new());
    assert_eq!(empties("Message us on\n\nThanks"), ["Message us on"]);
}

#[test]
fn a_filled_slot_is_read_in_the_source() {
    assert!(empties("Email us at support@example.com.").is_empty());
    assert!(empties("Email us at <support@example.com>.").is_empty());
    assert!(empties("Email us at **support@example.com**.").is_empty());
    assert!(empties("Chat with us on https://chat.example.com today.").is_empty());
    assert!(empties("Ping us on `#incidents` in Slack.").is_empty());
    assert!(empties("Talk to the team via [the forum](https://example.com/forum).").is_empty());
    assert!(empties("Email us on Monday.").is_empty());
    assert!(empties("Contact us if anything looks wrong.").is_empty());
}

#[test]
fn a_placeholder_or_a_dead_link_in_the_slot_is_empty() {
    assert_eq!(empties("Chat with us via [the app]()."), ["Chat with us via"]);
    assert_eq!(empties("Email us at [email] today."), ["Email us at"]);
    assert_eq!(empties("Email us at <email> today."), ["Email us at"]);
    assert_eq!(empties("Email us at TODO."), ["Email us at"]);
    assert!(empties("Email us at [support@example.com] today.").is_empty());
}

#[test]
fn a_dead_link_alone_is_empty_only_when_it_names_a_channel() {
    assert_eq!(empties("Questions? [Email us]() any time."), ["[Email us]()"]);
    assert_eq!(empties("[chat](#) is open."), ["[chat](#)"]);
    assert!(empties("More in [the notes](#).").is_empty());
}

#[test]
fn phrases_in_code_are_not_read() {
    assert!(empties("Run `email us at` in the shell.").is_empty());
}

/// RULES.md §6: the founding example gives exactly two CL106 and no CL105. It lives in the
/// shared folder beside the repository (as in CI), not in the repository itself.
#[test]
fn the_founding_example_gives_two_empty_channels_and_no_missing_contact() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/zopim-2014-11-10.md");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let settings = crate::config::Settings::builtin();
    let report = crate::engine::lint_source(
        &settings,
        &crate::engine::Overrides::default(),
        "zopim.md",
        std::path::Path::new("zopim.md"),
        source.clone(),
    );
    let of = |rule: &str| -> Vec<&str> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| &source[d.primary.span.start..d.primary.span.end])
            .collect()
    };
    assert_eq!(of("empty-contact"), ["email us on", "chat with us on"]);
    assert!(of("missing-contact").is_empty());
}

#[test]
fn a_link_after_an_invitation_is_a_channel_whatever_its_address() {
    assert!(channel("Questions? Contact us on [the forum](https://forum.example.org/c/9).").is_some());
    assert!(channel("Let us know in [this thread](https://example.org/t/1) or by chat.").is_some());
    assert!(channel("Chat with us on https://chat.example.org.").is_some());
    assert_eq!(
        channel("Read [the post](https://example.org/blog/1) to learn more."),
        None
    );
    assert_eq!(
        channel("Get in touch to volunteer, or [donate](https://example.org/give)."),
        None
    );
    assert_eq!(
        channel("Contact us if you like. See [the post](https://example.org/blog/1)."),
        None
    );
}

#[test]
fn channel_words_count_where_they_name_a_channel() {
    assert!(channel("See https://support.example.com for refunds.").is_some());
    assert!(channel("See [our page](https://example.com/en-us/contact-us).").is_some());
    assert!(channel("Send [feedback](https://forms.example.com/f/1).").is_some());
    assert!(channel("Watch [the status page](https://example.org/x).").is_some());
    assert_eq!(
        channel("Read [the story](https://news.example.com/news/security/a-b-c)."),
        None
    );
    assert_eq!(
        channel("See https://blog.example.com/2024/help-us-grow for more."),
        None
    );
    assert_eq!(
        channel("As [one user noted](https://social.example.com/someone/status/123), it broke."),
        None
    );
    assert_eq!(
        channel("Read [the security advisory](https://lists.example.org/a/1)."),
        None
    );
}

#[test]
fn a_colon_announces_the_channel_on_its_line_or_in_the_next_block() {
    assert!(empties("Contact us at: support@example.com.").is_empty());
    assert!(empties("Reach our support team via:\n\n- chat in the app\n- phone: +1 555 010 0199").is_empty());
    assert!(empties("Write to us at:\n\nhelp@example.com").is_empty());
    assert_eq!(empties("Questions? Email us at:"), ["Email us at"]);
    assert_eq!(empties("Email us at:\n\nThanks for reading."), ["Email us at"]);
    assert_eq!(empties("Email us at: or call us."), ["Email us at"]);
}
