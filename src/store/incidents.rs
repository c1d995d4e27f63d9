//! Incidents (`inc/`) and their indexes: force/month (`ifm/`) and force/late (`ifl/`), valued
//! with the incident's profile (see `profile.rs`), from which merging finds the candidate
//! incidents of a report without decoding any incident; and time (`tim/`), which lists them.

use std::sync::Arc;

use crate::model::{Incident, IncidentProfile};

use super::encoding::to_json;
use super::profile::{self, LazyProfile};
use super::view::{prefix_end, Order};
use super::{keys, Store, StoreError, WriteSet};

/// The months an incident is indexed under: every month from its first to its last report.
/// Merging never joins a report more than six years after an incident's first, so the list
/// is bounded.
fn incident_months(inc: &IncidentProfile) -> Vec<String> {
    keys::months(inc.first, inc.last, 7 * 12 + 1)
}

impl WriteSet {
    /// Stores an incident with its force/month (and, when it opens late, force/first) index
    /// entries and its time index entry.
    pub fn put_incident(&mut self, inc: &Incident) {
        self.put_incident_index(inc);
        self.put_incident_view(inc);
    }

    /// The force/month and force/late index entries of an incident as merging made it (see
    /// `corrections.rs`: an analyst's corrections change what is shown, not what merging reads).
    pub fn put_incident_index(&mut self, inc: &Incident) {
        let p = inc.profile();
        let ts = p.first;
        let value = profile::encode(&p);
        for f in &p.forces {
            for m in incident_months(&p) {
                self.put(keys::force_month(f, &m, &p.id), value.clone());
            }
            if inc.opens_late {
                self.put(keys::force_late(f, ts, &p.id), value.clone());
            }
        }
    }

    /// The incident as it is shown, listed and counted: its record, its time index entry and
    /// its trend counters.
    pub fn put_incident_view(&mut self, inc: &Incident) {
        let p = inc.profile();
        self.put(keys::time(p.first, &p.id), Vec::new());
        self.put(keys::incident(&p.id), to_json(inc));
        self.count_incident(&p, 1);
    }

    /// Removes an incident and every index entry [`WriteSet::put_incident`] made for it. Its
    /// profile (from the index, or [`Incident::profile`]) has all that takes.
    pub fn remove_incident(&mut self, inc: &IncidentProfile) {
        self.remove_incident_index(inc);
        self.remove_incident_view(inc);
    }

    /// Removes what [`WriteSet::put_incident_index`] wrote.
    pub fn remove_incident_index(&mut self, inc: &IncidentProfile) {
        let ts = inc.first;
        for f in &inc.forces {
            for m in incident_months(inc) {
                self.delete(keys::force_month(f, &m, &inc.id));
            }
            // Written only for incidents that open late; deleting a missing key is harmless.
            self.delete(keys::force_late(f, ts, &inc.id));
        }
    }

    /// Removes what [`WriteSet::put_incident_view`] wrote, given the profile of the incident
    /// as shown.
    pub fn remove_incident_view(&mut self, inc: &IncidentProfile) {
        self.delete_stored(keys::time(inc.first, &inc.id));
        self.delete(keys::incident(&inc.id));
        self.count_incident(inc, -1);
    }
}

impl Store {
    /// The incident with this id, if any.
    pub fn incident(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        self.get_json(&keys::incident(id))
    }

    /// Every incident, in id order.
    pub fn incidents(&self) -> impl Iterator<Item = Result<Incident, StoreError>> + '_ {
        self.scan_json(keys::INCIDENT)
    }

    /// How many incidents are stored (counts the small time index, decodes no incident).
    pub fn incident_count(&self) -> usize {
        self.raw_prefix(keys::TIME).count()
    }

    /// Profiles of incidents of `force` with a report in some month from `from` to `to`
    /// (Unix seconds; whole months, so a superset), read from the force/month index alone.
    /// The cost depends on how many incidents the force had in those months, not on how many
    /// are stored.
    pub fn incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
        let (lo, hi) = keys::force_month_range(force, &keys::month_of(from), &keys::month_of(to));
        self.bucketed_profiles(keys::force_month_buckets(force, from, to), &lo, &hi)
    }

    /// Profiles of incidents of `force` that open late (see [`Incident::opens_late`]), first
    /// reported in `[from, to]`.
    pub fn late_incidents_of_force(
        &self,
        force: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Arc<LazyProfile>>, StoreError> {
        let (lo, hi) = keys::force_late_range(force, from, to);
        self.bucketed_profiles(vec![keys::force_late_bucket(force)], &lo, &hi)
    }

    /// Decodes an index entry valued with a profile; its members are left encoded (see
    /// [`LazyProfile`]).
    pub(super) fn profile_of(&self, k: &[u8], v: &[u8]) -> Result<LazyProfile, StoreError> {
        let mut p = profile::decode_lazy(v).ok_or_else(|| StoreError::BadIndex {
            key: String::from_utf8_lossy(k).into_owned(),
        })?;
        if p.member_count() == 0 {
            // Written by schema 4, without members: the incident has them.
            if let Some(inc) = self.incident(&p.head.id)? {
                p = LazyProfile::decoded(inc.profile());
            }
        }
        Ok(p)
    }

    /// Incident ids newest first, by the time index (no incident is decoded).
    pub fn incident_ids_newest_first(
        &self,
    ) -> impl Iterator<Item = Result<(i64, String), StoreError>> + '_ {
        let end = prefix_end(keys::TIME);
        self.raw_range(keys::TIME, end.as_deref(), Order::Reverse)
            .map(|r| {
                r.map(|(k, _)| keys::time_and_id(&k))
                    .map_err(StoreError::from)
            })
    }

    /// Incident ids first reported in `[from, to]` (Unix seconds), by the time index.
    pub fn incident_ids_between(&self, from: i64, to: i64) -> Result<Vec<String>, StoreError> {
        let (lo, hi) = (keys::time(from, ""), keys::time(to.saturating_add(1), ""));
        let mut out = Vec::new();
        for r in self.raw_range(&lo, Some(&hi), Order::Forward) {
            out.push(keys::time_and_id(&r?.0).1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::inc;
    use super::*;

    #[test]
    fn rewriting_an_incident_keeps_its_unchanged_index_entries_without_rewriting_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let old = inc("a", "2024-01-01T00:00:00Z");
        let mut w = WriteSet::new();
        w.put_incident(&old);
        store.apply(w).unwrap();
        store.commit().unwrap();
        let mut new = old.clone();
        new.title = "updated".into();
        let mut w = WriteSet::new();
        w.remove_incident(&old.profile());
        w.put_incident(&new);
        let time_entry = keys::time(old.first_reported.timestamp(), "a");
        assert!(
            !w.changes.contains_key(&time_entry),
            "the time entry is neither deleted nor rewritten"
        );
        store.apply(w).unwrap();
        store.commit().unwrap();
        assert!(store.tree.get(&time_entry).unwrap().is_some());
        assert_eq!(store.incident("a").unwrap().unwrap().title, "updated");
        assert_eq!(store.aggregates("force", None, None).unwrap()[0].2[0], 1);
    }
}
