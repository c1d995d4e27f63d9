//! Rules for text nobody here wrote: headlines alone, asides to another breach, statistics,
//! comparisons. Every article below was written for these tests.

use super::*;
use crate::model::*;

fn extract_article(title: &str, text: &str) -> Extraction {
    extract(&ArticleInput {
        url: "https://example.org/a",
        title,
        text,
        source: "Test News",
        published: None,
    })
}

fn forces_of(e: &Extraction) -> Vec<Vec<String>> {
    e.reports.iter().map(|r| r.forces.clone()).collect()
}

fn only(e: &Extraction, id: &str) -> Report {
    assert!(e.relevant, "{e:#?}");
    assert_eq!(forces_of(e), vec![vec![id.to_string()]], "{e:#?}");
    e.reports[0].clone()
}

#[test]
fn a_headline_alone_naming_a_body_as_the_victim_is_a_report() {
    let r = only(
        &extract_article("Dorset Police fined £90,000 over data breach", ""),
        "dorset",
    );
    assert!(r.data_types.is_empty() && r.counts.is_empty());
    assert_eq!(r.cause.value, Cause::Unknown);
    assert!(r
        .developments
        .iter()
        .any(|d| d.kind == DevelopmentKind::Fine));

    only(
        &extract_article("Northumbria Police admits serious data breach", ""),
        "northumbria",
    );
    only(
        &extract_article(
            "Staffordshire Police on alert after breach of its IT network",
            "",
        ),
        "staffordshire",
    );
    only(
        &extract_article("Ransomware gang claims attack on Gwent Police", ""),
        "gwent",
    );
    let r = only(
        &extract_article(
            "Merseyside Police loses laptop holding witness statements",
            "",
        ),
        "merseyside",
    );
    assert_eq!(r.cause.value, Cause::LossOrTheft);
    let r = only(
        &extract_article(
            "Durham Constabulary officer sacked for misusing police computer",
            "",
        ),
        "durham",
    );
    assert_eq!(r.cause.value, Cause::InsiderMisuse);
}

#[test]
fn headlines_that_only_look_like_breaches_are_not_reports() {
    for title in [
        "Kent Police arrest man over council data breach",
        "Essex Police warn of bank data scam",
        "Surrey Police recorded 300 data breaches last year",
        "Derbyshire Police launch new website",
        "Police investigate hack at local school",
        "Suffolk County police help after county hack",
        "Officers from Thames Valley Police recovered stolen machinery worth 30000 pounds",
    ] {
        let e = extract_article(title, "");
        assert!(!e.relevant, "{title}: {e:#?}");
    }
}

#[test]
fn a_bare_mention_in_the_body_is_still_not_a_report() {
    let e = extract_article(
        "Force apologises for salary spreadsheet",
        "Cumbria Constabulary has apologised after the salaries and names of its staff were \
         published online in error.\nThe incident is far smaller than the leak at the Police \
         Service of Northern Ireland.",
    );
    only(&e, "cumbria");
}

#[test]
fn an_event_at_a_body_makes_it_the_victim() {
    let r = only(
        &extract_article(
            "Officers' addresses exposed",
            "A data breach at Wiltshire Police has exposed the home addresses of 40 officers.",
        ),
        "wiltshire",
    );
    assert!(r
        .data_types
        .iter()
        .any(|t| t.value == DataType::HomeAddress));
    let e = extract_article(
        "Supplier incident",
        "Cleveland Police is investigating a possible data breach following unauthorised \
         access to a supplier's system holding the names of officers.",
    );
    only(&e, "cleveland");
    let e = extract_article(
        "School systems hit",
        "Cleveland Police is investigating a data breach at a local school in which the names \
         of pupils were taken.",
    );
    assert!(!e.relevant, "{e:#?}");
}

#[test]
fn an_aside_to_another_breach_of_the_same_body_is_a_report_of_its_own() {
    let e = extract_article(
        "Laptop stolen from detective's car",
        "Lancashire Police said a laptop holding the names of 60 informants was stolen from a \
         detective's car on Friday.\nIt comes after the force apologised for emailing the \
         names of 300 witnesses to the wrong recipients in the spring.\nThe laptop was \
         encrypted, the force said.",
    );
    assert!(e.relevant, "{e:#?}");
    let causes: Vec<Cause> = e.reports.iter().map(|r| r.cause.value).collect();
    assert_eq!(e.reports.len(), 2, "{e:#?}");
    assert!(e.reports.iter().all(|r| r.forces == vec!["lancashire"]));
    assert!(causes.contains(&Cause::LossOrTheft), "{causes:?}");
    assert!(
        causes.contains(&Cause::MisdirectedCommunication),
        "{causes:?}"
    );
    // Each story keeps its own figure.
    for r in &e.reports {
        let want = if r.cause.value == Cause::LossOrTheft {
            60
        } else {
            300
        };
        assert_eq!(r.counts.first().map(|c| c.count), Some(want), "{r:#?}");
    }
}

#[test]
fn an_aside_whose_cause_is_not_stated_stays_with_the_main_story() {
    let e = extract_article(
        "Hackers publish police files",
        "Hackers have published files stolen from Gwent Police in a ransomware attack, \
         including officers' names.\nThis comes after a first batch posted a week earlier, which \
         held case files.",
    );
    let r = only(&e, "gwent");
    assert!(
        r.data_types
            .iter()
            .any(|t| t.value == DataType::CaseRecords),
        "{r:#?}"
    );
}

#[test]
fn a_comparison_with_another_force_does_not_take_the_facts() {
    let e = extract_article(
        "Pay list put online",
        "North Yorkshire Police published the names and ranks of its officers on its website \
         in error.\nThe breach, though smaller than the incident at Police Scotland, has \
         embarrassed North Yorkshire Police.\nThe list also included salaries.",
    );
    let r = only(&e, "north-yorkshire");
    assert!(
        r.data_types.iter().any(|t| t.value == DataType::Financial),
        "{r:#?}"
    );
}

#[test]
fn tallies_of_lost_kit_and_punished_staff_are_statistics() {
    let e = extract_article(
        "Forces lose hundreds of devices",
        "Police forces lost 412 laptops and phones in three years, figures obtained by the \
         paper show.\nKent Police lost 60 devices, more than any other force.",
    );
    assert!(!e.relevant, "{e:#?}");
    let e = extract_article(
        "Hundreds of police staff caught snooping",
        "More than 90 officers at Essex Police have been disciplined for misusing police \
         systems to look up people they knew, figures show.",
    );
    assert!(!e.relevant, "{e:#?}");
}

#[test]
fn contracted_and_without_negations() {
    let e = extract_article(
        "Leicestershire Police officers' details leaked",
        "Leicestershire Police said the names and photographs of 200 officers were leaked \
         online. Bank details weren't part of the data, the force said.",
    );
    let r = only(&e, "leicestershire");
    assert!(
        r.not_exposed.iter().any(|t| t.value == DataType::Financial),
        "{r:#?}"
    );
    let e = extract_article(
        "Force blames human error",
        "Gloucestershire Constabulary published the names of its officers on its website by \
         mistake, without divulging details such as home addresses or dates of birth.",
    );
    let r = only(&e, "gloucestershire");
    assert!(
        r.not_exposed
            .iter()
            .any(|t| t.value == DataType::HomeAddress),
        "{r:#?}"
    );
    assert!(
        !r.data_types
            .iter()
            .any(|t| t.value == DataType::HomeAddress),
        "{r:#?}"
    );
}
