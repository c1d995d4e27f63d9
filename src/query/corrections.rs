//! What the analysts' corrections left on an incident, for `show`, the API, the incident page
//! and the exports: which facts an analyst set, each correction with the value it replaced
//! and what extraction says, and whether the incident is dismissed. Written by the pipeline
//! (see `crate::pipeline`'s `correct`) next to the incident; read here.

use serde::{Deserialize, Serialize};

use crate::correction::{Action, Applied, Correction, Field};
use crate::model::{Incident, Member};
use crate::store::{Store, StoreError};

/// An incident as `show --format json` and `/api/incidents/{id}` give it: the incident, and
/// what analysts did to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    /// The incident, its facts as corrected.
    #[serde(flatten)]
    pub incident: Incident,
    /// Whether an analyst dismissed it as not a police data breach.
    #[serde(default)]
    pub dismissed: bool,
    /// The facts an analyst set (field ids), in the order `show` lists fields.
    #[serde(default)]
    pub corrected: Vec<Field>,
    /// Every correction that applies, oldest first.
    #[serde(default)]
    pub corrections: Vec<Applied>,
}

/// The corrections applied to the incident `id` (none: empty).
///
/// # Errors
///
/// When the store cannot be read.
pub fn applied(store: &Store, id: &str) -> Result<Vec<Applied>, StoreError> {
    Ok(store.applied(id)?.unwrap_or_default())
}

/// The facts of the incident `id` an analyst set.
///
/// # Errors
///
/// When the store cannot be read.
pub fn corrected_fields(store: &Store, id: &str) -> Result<Vec<Field>, StoreError> {
    Ok(fields_of(&applied(store, id)?))
}

fn fields_of(applied: &[Applied]) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| applied.iter().any(|a| a.field == Some(*f)))
        .collect()
}

/// The incident `id` with what analysts did to it; an id an incident had when a correction
/// named it (merged into another, say) finds the incident now holding its reports.
///
/// # Errors
///
/// When the store cannot be read.
pub fn incident_detail(store: &Store, id: &str) -> Result<Option<IncidentDetail>, StoreError> {
    let found = match super::incident(store, id)? {
        Some(inc) => Some(inc),
        None => match current_id(store, id)? {
            Some(now) => super::incident(store, &now)?,
            None => None,
        },
    };
    let Some(incident) = found else {
        return Ok(None);
    };
    let corrections = applied(store, &incident.id)?;
    Ok(Some(IncidentDetail {
        dismissed: store.dismissed_incident(&incident.id)?.is_some(),
        corrected: fields_of(&corrections),
        corrections,
        incident,
    }))
}

/// The dismissed incidents, newest first.
///
/// # Errors
///
/// When the store cannot be read.
pub fn dismissed(store: &Store) -> Result<Vec<Incident>, StoreError> {
    let mut all: Vec<Incident> = store.dismissed_incidents().collect::<Result<_, _>>()?;
    all.sort_by(|a, b| (b.first_reported, &b.id).cmp(&(a.first_reported, &a.id)));
    Ok(all)
}

/// The id an incident has now, given an id it had when a correction named it (an incident
/// merged into another, or one whose earliest report was split out): the corrected incident
/// holding most of that correction's anchor. `None` when no correction named it, or no
/// incident holds any of it.
///
/// # Errors
///
/// When the store cannot be read.
pub fn current_id(store: &Store, id: &str) -> Result<Option<String>, StoreError> {
    if !store.has_corrections()? {
        return Ok(None);
    }
    let log: Vec<Correction> = store.corrections()?;
    let anchor: Vec<Member> = log
        .iter()
        .rev()
        .find_map(|c| match &c.action {
            Action::Merge {
                other,
                other_anchor,
            } if other == id => Some(other_anchor.clone()),
            _ if c.incident == id => Some(c.anchor.clone()),
            _ => None,
        })
        .unwrap_or_default();
    if anchor.is_empty() {
        return Ok(None);
    }
    let mut best: Option<(usize, String)> = None;
    for cid in store.corrected_ids()? {
        let Some(inc) = store.incident(&cid)?.or(store.dismissed_incident(&cid)?) else {
            continue;
        };
        let held = inc.members.iter().filter(|m| anchor.contains(m)).count();
        if held > 0 && best.as_ref().is_none_or(|(n, _)| held > *n) {
            best = Some((held, cid));
        }
    }
    Ok(best.map(|(_, id)| id))
}
