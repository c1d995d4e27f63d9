//! Criterion benchmarks: extraction of one typical article, and a trends query over a store.
//! Run with `cargo bench --bench pipeline`.

use std::hint::black_box;

use breachwatch::extract::{extract, ArticleInput};
use breachwatch::model::{Affected, Incident};
use breachwatch::model::{Cause, DataType, Qualifier, Unit};
use breachwatch::query::{self, Period, TrendKey};
use breachwatch::store::{Store, WriteSet};
use criterion::{criterion_group, criterion_main, Criterion};

const ARTICLE: &str = "Kent Police has apologised after a spreadsheet containing the names, ranks and email addresses of 342 officers was emailed to the wrong recipients.\n\
The force said the email, about a training programme, was sent to an external distribution list in error on Friday. It did not include home addresses or phone numbers, a spokesperson said.\n\
The force has referred itself to the Information Commissioner's Office and asked recipients to delete the message. Officers were advised to remain vigilant and report anything suspicious.\n\
Kent Police Federation said members were \"understandably concerned\" and called for a review of how personal information is shared. A review of supplier contracts has been ordered by the chief constable.\n\
It follows a breach at the Police Service of Northern Ireland, where the details of around 10,000 officers and staff were published in error in response to a Freedom of Information request, and the loss of body-worn video footage at South Yorkshire Police.\n\
Campaigners said safeguards should have been in place long before now, and the Information Commissioner's Office said it would make enquiries. The incident is the latest in a series affecting public bodies.\n\
A spokesperson for the force said: \"We take the security of personal information extremely seriously and we are sorry that this happened. We have contacted every officer affected and put additional checks in place before any email is sent outside the organisation.\"\n\
The Police Federation said it would support members who were worried about their details being shared, and urged the force to publish the findings of its internal review once it is complete.";

fn bench_extract(c: &mut Criterion) {
    assert!(ARTICLE.len() > 1500 && ARTICLE.len() < 2500);
    let input = ArticleInput {
        url: "https://news.example/kent",
        title: "Kent Police apologises after officers' details emailed to wrong people",
        text: ARTICLE,
        source: "Example News",
        published: None,
    };
    assert!(extract(&input).relevant);
    c.bench_function("extract_2kb_article", |b| {
        b.iter(|| extract(black_box(&input)))
    });
}

/// A store of `n` incidents over eight years, 43 forces, every cause.
fn store_with_incidents(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let forces: Vec<(&str, &str)> = breachwatch::extract::all_uk_forces();
    let start = chrono::DateTime::parse_from_rfc3339("2018-01-01T09:00:00+00:00").unwrap();
    let mut w = WriteSet::new();
    for i in 0..n {
        let when = start + chrono::Duration::hours((i as i64 * 7919) % (8 * 365 * 24));
        let force = forces[i % forces.len()].0.to_string();
        let inc = Incident {
            id: format!("{force}-{i:06}"),
            title: format!("Synthetic incident {i}"),
            forces: vec![force.clone()],
            force_names: vec![force],
            data_types: vec![DataType::ALL[i % DataType::ALL.len()], DataType::Name],
            not_exposed: vec![],
            affected: (i % 3 != 0).then(|| Affected {
                count: (i % 5000) as u64 + 1,
                qualifier: Qualifier::Exact,
                unit: Unit::People,
            }),
            cause: Cause::ALL[i % Cause::ALL.len()],
            third_party: None,
            supplier: None,
            first_reported: when,
            last_reported: when,
            occurred: None,
            sources: vec![],
            figures: vec![],
            evidence: vec![],
            timeline: vec![],
            conflicts: vec![],
            members: vec![],
            related: vec![],
            opens_late: false,
            member_causes: Vec::new(),
            member_types: Vec::new(),
        };
        w.put_incident(&inc);
        if i % 2000 == 1999 {
            store.apply(std::mem::take(&mut w)).unwrap();
        }
    }
    store.apply(w).unwrap();
    (dir, store)
}

fn bench_trends(c: &mut Criterion) {
    let (_dir, store) = store_with_incidents(100_000);
    assert_eq!(store.incident_count(), 100_000);
    let rows = query::trends(&store, TrendKey::Force, Period::Year, None, None).unwrap();
    assert_eq!(rows.iter().map(|r| r.incidents).sum::<u64>(), 100_000);
    c.bench_function("trends_force_year_100k_incidents", |b| {
        b.iter(|| {
            query::trends(black_box(&store), TrendKey::Force, Period::Year, None, None).unwrap()
        })
    });
    let (since, until) = (
        chrono::NaiveDate::from_ymd_opt(2020, 3, 15),
        chrono::NaiveDate::from_ymd_opt(2023, 9, 20),
    );
    c.bench_function("trends_type_month_mid_month_range_100k_incidents", |b| {
        b.iter(|| {
            query::trends(
                black_box(&store),
                TrendKey::DataType,
                Period::Month,
                since,
                until,
            )
            .unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_extract, bench_trends
}
criterion_main!(benches);
