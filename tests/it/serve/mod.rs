//! The service: schedule (paused time), HTTP API, dashboard, hostile text in pages, Atom
//! feeds, the command line's remote client, shutdown and the demo, a file each. Incidents
//! are written directly with `WriteSet::put_incident` so these tests do not depend on the
//! extractor's accuracy; the fixtures they share are here.

mod api;
mod atom;
mod dashboard;
mod demo;
mod hostile;
mod remote;
mod schedule;
mod service;

use breachwatch::model::{Affected, Evidence, Figure, Incident, SourceRef};
use breachwatch::model::{Cause, DataType, Qualifier, Unit};
use breachwatch::store::{Store, WriteSet};
use chrono::{DateTime, FixedOffset};

use crate::helpers::temp_store;

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

pub fn source(url: &str, title: &str, published: &str) -> SourceRef {
    SourceRef {
        url: url.into(),
        canonical_url: None,
        title: title.into(),
        published: Some(at(published)),
        outlet: "Sample News".into(),
        article_key: format!("key-{url}"),
    }
}

pub fn incident(id: &str, force: &str, title: &str, first: &str, last: &str) -> Incident {
    let url = format!("https://news.example/{id}");
    Incident {
        id: id.into(),
        title: title.into(),
        forces: vec![force.into()],
        force_names: vec![format!("{force} police")],
        data_types: vec![DataType::Name, DataType::HomeAddress],
        not_exposed: vec![DataType::Financial],
        affected: Some(Affected {
            count: 1200,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
        }),
        cause: Cause::AccidentalDisclosure,
        third_party: Some(false),
        supplier: None,
        first_reported: at(first),
        last_reported: at(last),
        occurred: None,
        sources: vec![source(&url, title, first)],
        figures: vec![Figure {
            count: 1200,
            qualifier: Qualifier::Approx,
            unit: Unit::People,
            url: url.clone(),
            published: Some(at(first)),
            sentence: "About 1,200 officers were affected.".into(),
            weight: 3,
        }],
        evidence: vec![Evidence {
            field: "data_type".into(),
            value: "home_address".into(),
            url: url.clone(),
            sentence: "The spreadsheet held home addresses.".into(),
        }],
        timeline: Vec::new(),
        conflicts: Vec::new(),
        members: Vec::new(),
        related: Vec::new(),
        opens_late: false,
        member_causes: Vec::new(),
        member_types: Vec::new(),
    }
}

pub fn put(store: &Store, incidents: &[Incident]) {
    let mut w = WriteSet::new();
    for i in incidents {
        w.put_incident(i);
    }
    store.apply(w).unwrap();
}

/// Three incidents: two at kent (one with hostile markup in its title), one at essex.
pub fn seeded_store() -> (tempfile::TempDir, Store) {
    let (dir, store) = temp_store();
    put(
        &store,
        &[
            incident(
                "kent-2023-03-aaaaaa",
                "kent",
                "Kent Police emailed officers' details",
                "2023-03-14T09:00:00+00:00",
                "2023-10-12T08:00:00+00:00",
            ),
            incident(
                "essex-2023-05-bbbbbb",
                "essex",
                "Essex FOI response exposed victims",
                "2023-05-17T10:00:00+00:00",
                "2023-05-17T10:00:00+00:00",
            ),
            incident(
                "kent-2024-01-cccccc",
                "kent",
                "<script>alert('x')</script> Kent laptop stolen",
                "2024-01-02T10:00:00+00:00",
                "2024-01-02T10:00:00+00:00",
            ),
        ],
    );
    (dir, store)
}
