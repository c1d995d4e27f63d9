//! Analyst corrections: facts an analyst set, incidents merged, articles split out, incidents
//! dismissed as not a police data breach (and restored). Pure: the types, their parsing from
//! the command line (`FIELD=VALUE`) and from JSON bodies, and their application to what
//! extraction and merging produced.
//!
//! A correction never edits what extraction produced: it is an entry of an append-only log
//! (what, when, why, and the value it replaced), applied after merging every time an
//! incident is built, so new articles, `reprocess` and a rebuilt extractor never undo it.
//!
//! # Which incident a correction applies to
//!
//! Incident ids change when an earlier report of an incident is found, and merges and
//! splits make new incidents. So a correction names its incident by its **anchor**: the
//! incident's members (article and report) when the correction was made. It applies to the
//! one incident now holding the most of those members (ties: the one holding the earliest
//! of them); when none holds any, it applies to nothing and is listed as orphaned. The id at
//! the time is kept too, for people and for redirects.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::model::{Affected, Cause, DataType, Incident, Member, Occurred, Qualifier, Unit};

/// What went wrong reading a correction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionError {
    /// Not `FIELD=VALUE`.
    #[error("expected FIELD=VALUE, got {0:?}")]
    NotAnAssignment(String),
    /// A field no correction can set.
    #[error("unknown field {0:?} (fields: {fields})", fields = Field::ids().join(", "))]
    UnknownField(String),
    /// A value the field cannot take.
    #[error("{field}: {problem}")]
    BadValue {
        /// The field's id.
        field: &'static str,
        /// What is wrong, in words.
        problem: String,
    },
    /// A correction without a reason where one is required.
    #[error("a reason is required")]
    NoReason,
}

impl CorrectionError {
    /// A short stable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            CorrectionError::NotAnAssignment(_) => "bad_assignment",
            CorrectionError::UnknownField(_) => "unknown_field",
            CorrectionError::BadValue { .. } => "bad_value",
            CorrectionError::NoReason => "reason_required",
        }
    }
}

/// A fact of an incident an analyst can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// `forces`: comma-separated force ids.
    #[serde(rename = "forces")]
    Forces,
    /// `data_types`: comma-separated data type ids.
    #[serde(rename = "data_types")]
    DataTypes,
    /// `not_exposed`: comma-separated data type ids.
    #[serde(rename = "not_exposed")]
    NotExposed,
    /// `affected.count`: a whole number, or `none` to say no figure is known.
    #[serde(rename = "affected.count")]
    AffectedCount,
    /// `affected.qualifier`: `exact`, `approx`, `at_least` or `at_most`.
    #[serde(rename = "affected.qualifier")]
    AffectedQualifier,
    /// `affected.unit`: `people`, `records` or `files`.
    #[serde(rename = "affected.unit")]
    AffectedUnit,
    /// `cause`: a cause id.
    #[serde(rename = "cause")]
    Cause,
    /// `third_party`: `true`, `false` or `unknown`.
    #[serde(rename = "third_party")]
    ThirdParty,
    /// `occurred`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `unknown`.
    #[serde(rename = "occurred")]
    Occurred,
}

impl Field {
    /// Every field, in the order `show` lists them.
    pub const ALL: [Field; 9] = [
        Field::Forces,
        Field::DataTypes,
        Field::NotExposed,
        Field::AffectedCount,
        Field::AffectedQualifier,
        Field::AffectedUnit,
        Field::Cause,
        Field::ThirdParty,
        Field::Occurred,
    ];

    /// The id used on the command line, in JSON and in the log.
    pub fn id(self) -> &'static str {
        match self {
            Field::Forces => "forces",
            Field::DataTypes => "data_types",
            Field::NotExposed => "not_exposed",
            Field::AffectedCount => "affected.count",
            Field::AffectedQualifier => "affected.qualifier",
            Field::AffectedUnit => "affected.unit",
            Field::Cause => "cause",
            Field::ThirdParty => "third_party",
            Field::Occurred => "occurred",
        }
    }

    /// Every field's id.
    pub fn ids() -> Vec<&'static str> {
        Field::ALL.iter().map(|f| f.id()).collect()
    }

    /// The field of an id; `-` and `_` are the same (`data-types`, `third-party`).
    pub fn from_id(id: &str) -> Result<Field, CorrectionError> {
        let wanted = id.trim().replace('-', "_");
        Field::ALL
            .into_iter()
            .find(|f| f.id() == wanted)
            .ok_or_else(|| CorrectionError::UnknownField(id.to_string()))
    }
}

/// A value of a [`Field`], checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Force ids, sorted and deduplicated.
    Forces(Vec<String>),
    /// Data types, sorted and deduplicated.
    Types(Vec<DataType>),
    /// A figure, or none known.
    Count(Option<u64>),
    /// How exact the figure is.
    Qualifier(Qualifier),
    /// What the figure counts.
    Unit(Unit),
    /// Why it happened.
    Cause(Cause),
    /// Whether a third party held the data, if known.
    ThirdParty(Option<bool>),
    /// When it happened, if known.
    Occurred(Option<Occurred>),
}

fn id_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().replace('-', "_"))
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_unknown(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "" | "none" | "null" | "unknown"
    )
}

impl Value {
    /// Reads the text of a value as the command line gives it.
    pub fn parse(field: Field, text: &str) -> Result<Value, CorrectionError> {
        let bad = |problem: String| CorrectionError::BadValue {
            field: field.id(),
            problem,
        };
        let text = text.trim();
        Ok(match field {
            Field::Forces => {
                let mut forces: Vec<String> = text
                    .split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect();
                if forces.is_empty() {
                    return Err(bad("an incident needs at least one force".into()));
                }
                if let Some(unknown) = forces.iter().find(|f| !crate::extract::is_body_id(f)) {
                    return Err(bad(format!("unknown force id {unknown:?}")));
                }
                forces.sort();
                forces.dedup();
                Value::Forces(forces)
            }
            Field::DataTypes | Field::NotExposed => {
                let mut types = Vec::new();
                for id in id_list(text) {
                    match DataType::from_id(&id) {
                        Some(t) => types.push(t),
                        None => return Err(bad(format!("unknown data type {id:?}"))),
                    }
                }
                types.sort();
                types.dedup();
                Value::Types(types)
            }
            Field::AffectedCount if is_unknown(text) => Value::Count(None),
            Field::AffectedCount => Value::Count(Some(
                text.replace([',', '_'], "")
                    .parse()
                    .map_err(|_| bad(format!("not a whole number: {text:?}")))?,
            )),
            Field::AffectedQualifier => Value::Qualifier(
                Qualifier::from_id(&text.replace('-', "_"))
                    .ok_or_else(|| bad(format!("unknown qualifier {text:?}")))?,
            ),
            Field::AffectedUnit => Value::Unit(
                Unit::from_id(text).ok_or_else(|| bad(format!("unknown unit {text:?}")))?,
            ),
            Field::Cause => Value::Cause(
                Cause::from_id(&text.replace('-', "_"))
                    .ok_or_else(|| bad(format!("unknown cause {text:?}")))?,
            ),
            Field::ThirdParty if is_unknown(text) => Value::ThirdParty(None),
            Field::ThirdParty => Value::ThirdParty(Some(match text {
                "true" | "yes" => true,
                "false" | "no" => false,
                _ => return Err(bad(format!("expected true, false or unknown: {text:?}"))),
            })),
            Field::Occurred if is_unknown(text) => Value::Occurred(None),
            Field::Occurred => {
                Value::Occurred(Some(Occurred::parse(text).ok_or_else(|| {
                    bad(format!("expected YYYY, YYYY-MM or YYYY-MM-DD: {text:?}"))
                })?))
            }
        })
    }

    /// Reads a value as a JSON body gives it: a string as on the command line, an array of
    /// ids for the lists, a number for the count, a bool for `third_party`, null for unknown.
    pub fn from_json(field: Field, json: &Json) -> Result<Value, CorrectionError> {
        match json {
            Json::String(s) => Value::parse(field, s),
            Json::Null => Value::parse(field, "unknown"),
            Json::Bool(b) => Value::parse(field, &b.to_string()),
            Json::Number(n) => Value::parse(field, &n.to_string()),
            Json::Array(items) => {
                let ids: Option<Vec<&str>> = items.iter().map(Json::as_str).collect();
                match ids {
                    Some(ids) => Value::parse(field, &ids.join(",")),
                    None => Err(CorrectionError::BadValue {
                        field: field.id(),
                        problem: "a list must hold ids (strings)".into(),
                    }),
                }
            }
            Json::Object(_) => Err(CorrectionError::BadValue {
                field: field.id(),
                problem: "expected a string, number, bool, list or null".into(),
            }),
        }
    }

    /// The value as it is logged and shown in JSON.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Forces(f) => Json::from(f.clone()),
            Value::Types(t) => Json::from(t.iter().map(|t| t.id()).collect::<Vec<_>>()),
            Value::Count(c) => c.map_or(Json::Null, Json::from),
            Value::Qualifier(q) => Json::from(q.id()),
            Value::Unit(u) => Json::from(u.id()),
            Value::Cause(c) => Json::from(c.id()),
            Value::ThirdParty(b) => b.map_or(Json::Null, Json::from),
            Value::Occurred(o) => o.map_or(Json::Null, |o| Json::from(o.to_string())),
        }
    }

    /// The field's value in `incident`, as merging left it.
    pub fn of(field: Field, incident: &Incident) -> Value {
        let affected = incident.affected.as_ref();
        match field {
            Field::Forces => Value::Forces(incident.forces.clone()),
            Field::DataTypes => Value::Types(incident.data_types.clone()),
            Field::NotExposed => Value::Types(incident.not_exposed.clone()),
            Field::AffectedCount => Value::Count(affected.map(|a| a.count)),
            Field::AffectedQualifier => {
                Value::Qualifier(affected.map_or(Qualifier::Exact, |a| a.qualifier))
            }
            Field::AffectedUnit => Value::Unit(affected.map_or(Unit::People, |a| a.unit)),
            Field::Cause => Value::Cause(incident.cause),
            Field::ThirdParty => Value::ThirdParty(incident.third_party),
            Field::Occurred => Value::Occurred(incident.occurred),
        }
    }

    /// Sets the value in `incident`. A qualifier or unit set on an incident with no figure is
    /// kept for when a figure comes (it then applies to it); a type set as exposed leaves
    /// `not_exposed`, and the reverse.
    fn set_in(&self, incident: &mut Incident) {
        let blank = Affected {
            count: 0,
            qualifier: Qualifier::Exact,
            unit: Unit::People,
        };
        match self {
            Value::Forces(f) => {
                incident.forces = f.clone();
                incident.force_names = f
                    .iter()
                    .map(|id| crate::extract::force_name(id).unwrap_or(id).to_string())
                    .collect();
            }
            Value::Types(_) => unreachable!("types are set through a field"),
            Value::Count(None) => incident.affected = None,
            Value::Count(Some(n)) => {
                incident.affected.get_or_insert(blank).count = *n;
            }
            Value::Qualifier(q) => {
                if let Some(a) = incident.affected.as_mut() {
                    a.qualifier = *q;
                }
            }
            Value::Unit(u) => {
                if let Some(a) = incident.affected.as_mut() {
                    a.unit = *u;
                }
            }
            Value::Cause(c) => incident.cause = *c,
            Value::ThirdParty(b) => incident.third_party = *b,
            Value::Occurred(o) => incident.occurred = *o,
        }
    }
}

/// Reads `FIELD=VALUE` as the command line gives it (`cause=ransomware`,
/// `data_types=name,photo`, `affected.count=1200`).
pub fn parse_assignment(text: &str) -> Result<(Field, Value), CorrectionError> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| CorrectionError::NotAnAssignment(text.to_string()))?;
    let field = Field::from_id(name)?;
    Ok((field, Value::parse(field, value)?))
}

/// What a correction does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Sets one fact.
    Set {
        /// The fact.
        field: Field,
        /// Its new value ([`Value::to_json`]).
        value: Json,
        /// What the incident said when the correction was made.
        replaced: Json,
    },
    /// Makes one incident of this one and another.
    Merge {
        /// The other incident's id when the correction was made.
        other: String,
        /// The other incident's members then.
        other_anchor: Vec<Member>,
    },
    /// Takes an article's reports out of the incident into an incident of their own.
    Split {
        /// The article's key.
        article_key: String,
        /// The article's URL, as given.
        url: String,
    },
    /// Not a police data breach: left out of lists, trends and exports.
    Dismiss,
    /// Undoes a dismissal.
    Restore,
}

/// One entry of the corrections log. Entries are never changed or removed; a later entry
/// wins over an earlier one on the same fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// Position in the log, from 1.
    pub seq: u64,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The incident's id when it was made.
    pub incident: String,
    /// The incident's members when it was made (see the module doc).
    pub anchor: Vec<Member>,
    /// What it does.
    #[serde(flatten)]
    pub action: Action,
    /// Why, in the analyst's words.
    pub reason: String,
}

/// A correction as an incident shows it: what the analyst set, and what extraction says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applied {
    /// The log entry's position.
    pub seq: u64,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// `set`, `merge`, `split`, `dismiss` or `restore`.
    pub action: String,
    /// The fact set, for `set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// The value set, for `set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Json>,
    /// What extraction and merging say of the fact now, for `set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted: Option<Json>,
    /// What the incident said of the fact when the correction was made, for `set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<Json>,
    /// The incident the merge brought in, or the article split out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// Why.
    pub reason: String,
}

/// For each incident (by position in `incidents`), the corrections that apply to it, in log
/// order (see the module doc for how an anchor finds its incident).
pub fn resolve<'c>(
    corrections: &'c [Correction],
    incidents: &[&Incident],
) -> BTreeMap<usize, Vec<&'c Correction>> {
    let mut holder: BTreeMap<&Member, usize> = BTreeMap::new();
    for (i, incident) in incidents.iter().enumerate() {
        for m in &incident.members {
            holder.insert(m, i);
        }
    }
    let mut out: BTreeMap<usize, Vec<&Correction>> = BTreeMap::new();
    for c in corrections {
        if let Some(i) = anchored(&c.anchor, &holder) {
            out.entry(i).or_default().push(c);
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|c| c.seq);
    }
    out
}

/// The incident holding the most of `anchor`'s members; ties go to the one holding the
/// earliest of them.
fn anchored(anchor: &[Member], holder: &BTreeMap<&Member, usize>) -> Option<usize> {
    let mut held: BTreeMap<usize, (usize, i64)> = BTreeMap::new();
    for m in anchor {
        if let Some(&i) = holder.get(m) {
            let e = held.entry(i).or_insert((0, i64::MAX));
            e.0 += 1;
            e.1 = e.1.min(m.at);
        }
    }
    held.into_iter()
        .max_by(|(ia, (na, ta)), (ib, (nb, tb))| na.cmp(nb).then(tb.cmp(ta)).then(ib.cmp(ia)))
        .map(|(i, _)| i)
}

/// What applying corrections to an incident left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Every correction that applied, oldest first.
    pub applied: Vec<Applied>,
    /// Whether the last dismissal is not undone.
    pub dismissed: bool,
}

/// Applies `corrections` (the incident's, in log order) to `incident` as merging built it.
/// Facts are set in log order, so the latest correction of a fact wins; `extracted` in each
/// [`Applied`] is what merging said before any correction.
pub fn apply(incident: &mut Incident, corrections: &[&Correction]) -> Outcome {
    let automatic = incident.clone();
    let mut outcome = Outcome::default();
    for c in corrections {
        let mut applied = Applied {
            seq: c.seq,
            at: c.at,
            action: String::new(),
            field: None,
            value: None,
            extracted: None,
            replaced: None,
            other: None,
            reason: c.reason.clone(),
        };
        match &c.action {
            Action::Set {
                field,
                value,
                replaced,
            } => {
                applied.action = "set".into();
                applied.replaced = Some(replaced.clone());
                applied.field = Some(*field);
                applied.extracted = Some(Value::of(*field, &automatic).to_json());
                applied.value = Some(value.clone());
                // A logged value was checked when it was made; a gazetteer since changed
                // could refuse it, and then the correction applies to nothing.
                if let Ok(v) = Value::from_json(*field, value) {
                    set_field(incident, *field, &v);
                }
            }
            Action::Merge { other, .. } => {
                applied.action = "merge".into();
                applied.other = Some(other.clone());
            }
            Action::Split { url, .. } => {
                applied.action = "split".into();
                applied.other = Some(url.clone());
            }
            Action::Dismiss => {
                applied.action = "dismiss".into();
                outcome.dismissed = true;
            }
            Action::Restore => {
                applied.action = "restore".into();
                outcome.dismissed = false;
            }
        }
        outcome.applied.push(applied);
    }
    outcome
}

fn set_field(incident: &mut Incident, field: Field, value: &Value) {
    match (field, value) {
        (Field::DataTypes, Value::Types(types)) => {
            incident.data_types = types.clone();
            incident.not_exposed.retain(|t| !types.contains(t));
        }
        (Field::NotExposed, Value::Types(types)) => {
            incident.not_exposed = types.clone();
            incident.data_types.retain(|t| !types.contains(t));
        }
        (_, v) => v.set_in(incident),
    }
}

/// Applies the grouping corrections, merges and splits, to clusters of members as merging
/// made them, in log order. A merge joins the clusters holding the two anchors (nothing when
/// one anchor is held by no cluster, or both by the same); a split takes the article's
/// members out of the cluster holding the anchor into a cluster of their own (nothing when
/// they are the whole cluster). Clusters left empty are dropped; the others keep their order,
/// and a split-off cluster follows its source.
pub fn regroup(mut clusters: Vec<Vec<Member>>, corrections: &[Correction]) -> Vec<Vec<Member>> {
    let mut log: Vec<&Correction> = corrections
        .iter()
        .filter(|c| matches!(c.action, Action::Merge { .. } | Action::Split { .. }))
        .collect();
    log.sort_by_key(|c| c.seq);
    for c in log {
        let holder_of = |clusters: &[Vec<Member>], anchor: &[Member]| {
            let holder: BTreeMap<&Member, usize> = clusters
                .iter()
                .enumerate()
                .flat_map(|(i, ms)| ms.iter().map(move |m| (m, i)))
                .collect();
            anchored(anchor, &holder)
        };
        match &c.action {
            Action::Merge { other_anchor, .. } => {
                let (Some(a), Some(b)) = (
                    holder_of(&clusters, &c.anchor),
                    holder_of(&clusters, other_anchor),
                ) else {
                    continue;
                };
                if a != b {
                    let (keep, gone) = (a.min(b), a.max(b));
                    let moved = std::mem::take(&mut clusters[gone]);
                    clusters[keep].extend(moved);
                    clusters[keep].sort();
                }
            }
            Action::Split { article_key, .. } => {
                let Some(a) = holder_of(&clusters, &c.anchor) else {
                    continue;
                };
                let (out, stay): (Vec<Member>, Vec<Member>) = clusters[a]
                    .iter()
                    .cloned()
                    .partition(|m| &m.article_key == article_key);
                if !out.is_empty() && !stay.is_empty() {
                    clusters[a] = stay;
                    clusters.insert(a + 1, out);
                }
            }
            _ => {}
        }
        clusters.retain(|c| !c.is_empty());
    }
    clusters
}

#[cfg(test)]
mod tests;
