//! Behaviour of the date scanner on plain text.

use super::*;

fn found(text: &str) -> Vec<(String, DateForm, Option<u16>)> {
    DateScanner::new()
        .scan(text, 0)
        .into_iter()
        .map(|d| {
            (
                text[d.span.start..d.span.end].to_string(),
                d.form,
                d.year.map(|y| y.value),
            )
        })
        .collect()
}

fn texts(text: &str) -> Vec<String> {
    found(text).into_iter().map(|d| d.0).collect()
}

#[test]
fn finds_iso_dates_and_their_parts() {
    let dates = found("Deployed 2024-03-04, then 2024/11/30 and 2024-03-04T10:30Z.");
    assert_eq!(dates.len(), 3);
    assert_eq!(
        dates[0],
        ("2024-03-04".into(), DateForm::Iso { month: 3, day: 4 }, Some(2024))
    );
    assert_eq!(dates[1].0, "2024/11/30");
    assert_eq!(dates[2].0, "2024-03-04");
    assert_eq!(
        texts("logged 2023-01-04/11:34 and 2024-03-04/2024-03-06"),
        ["2023-01-04", "2024-03-04", "2024-03-06"]
    );
    assert!(texts("build 2024-13-04 or 2024-3-4 or 12024-03-04").is_empty());
}

#[test]
fn finds_numeric_dates_with_a_year() {
    let dates = found("on 03/04/2024, 25.12.2023, 03-04-2024 and 1/15/24");
    let numeric = |first, second| DateForm::Numeric { first, second };
    assert_eq!(
        dates,
        [
            ("03/04/2024".into(), numeric(3, 4), Some(2024)),
            ("25.12.2023".into(), numeric(25, 12), Some(2023)),
            ("03-04-2024".into(), numeric(3, 4), Some(2024)),
            ("1/15/24".into(), numeric(1, 15), Some(2024)),
        ]
    );
}

#[test]
fn a_yearless_slash_date_needs_a_date_word() {
    assert_eq!(texts("Uploads fail since 6/7."), ["6/7"]);
    assert_eq!(texts("from Tuesday 6/7 to 6/9"), ["6/7", "6/9"]);
    assert_eq!(texts("on 6/7 - 6/9"), ["6/7", "6/9"]);
    assert!(texts("about 1/2 the nodes, 3/4 of requests, on 3/4 of hosts").is_empty());
    assert!(texts("support 24/7, a 50/50 split, page 3/4, step 2/5").is_empty());
}

#[test]
fn rejects_versions_addresses_and_longer_numbers() {
    let text = "version 4.10.2, v1.2.2024, 10.0.0.1, 192.168.1.10, 1/2/3/4, path a/1/2, 3/4%, 3/4th, \
                4.10.2024.5, $1/2/2024, 14:10 November";
    assert!(texts(text).is_empty(), "{:?}", texts(text));
}

#[test]
fn finds_a_day_before_or_after_a_month_name() {
    let named = |day, month, day_first| DateForm::Named { day, month, day_first };
    assert_eq!(
        found("on 10 November, 8th November 2014, 8th of Nov and 21st Sept"),
        [
            ("10 November".into(), named(10, 11, true), None),
            ("8th November".into(), named(8, 11, true), Some(2014)),
            ("8th of Nov".into(), named(8, 11, true), None),
            ("21st Sept".into(), named(21, 9, true), None),
        ]
    );
    assert_eq!(
        found("November 10, 2014 and Nov. 3rd and May 3"),
        [
            ("November 10".into(), named(10, 11, false), Some(2014)),
            ("Nov. 3rd".into(), named(3, 11, false), None),
            ("May 3".into(), named(3, 5, false), None),
        ]
    );
}

#[test]
fn month_names_alone_or_with_a_year_are_not_dates() {
    assert!(texts("we may restart in March 2024, or in may 3 weeks; 40 November; November 32").is_empty());
    assert!(texts("the Marching band, 10 Decembers, Nov10").is_empty());
}

#[test]
fn spans_are_shifted_and_multibyte_text_is_safe() {
    let text = "é日本 10 November ü";
    let dates = DateScanner::new().scan(text, 100);
    assert_eq!(dates.len(), 1);
    assert_eq!(dates[0].span.start, 100 + text.find("10").unwrap());
    assert!(texts("ü3/4/2024 日6/7 ü10 November").is_empty());
}
