//! The gazetteer: the UK forces of `data/uk_forces.json` and the bodies outside the UK of
//! `data/world_forces.json`, embedded at build time and turned once (on first use) into the
//! phrases the lexicon matches ([`Gazetteer::phrases`]) and the tables mention finding looks
//! ids up in.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use super::departments::department_rule_id;

static UK_FORCES_JSON: &str = include_str!("../../../data/uk_forces.json");
static WORLD_FORCES_JSON: &str = include_str!("../../../data/world_forces.json");

/// `data/world_forces.json` as written.
#[derive(serde::Deserialize, Default)]
struct WorldFile {
    #[serde(default)]
    bodies: Vec<WorldBody>,
}

/// A police body outside the UK (one entry of data/world_forces.json).
#[derive(serde::Deserialize, Debug, Clone)]
pub struct WorldBody {
    /// `<cc>-<slug of English name>`.
    pub id: String,
    /// Canonical English name.
    pub name: String,
    /// Lowercase ISO 3166-1 alpha-2 code (`eu` for Europol, `zz` for Interpol): the id's
    /// prefix. Required of every entry; only the tests read it (they check the id rule).
    #[cfg_attr(not(test), allow(dead_code))]
    pub country: String,
    /// City, county, sheriff, state, federal, national or international.
    pub kind: String,
    /// The city or county the body is named after: gives `<place> police`, `<place> PD`, ...
    #[serde(default)]
    pub place: Option<String>,
    /// Other names, matched in any case.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Case-sensitive aliases that need police context ("Garda").
    #[serde(default)]
    pub exact_aliases: Vec<String>,
    /// Short forms shared by several bodies ("MPD"): resolved by `context` or another name.
    #[serde(default)]
    pub ambiguous_aliases: Vec<String>,
    /// Words that place a document in the body's area, to pick it for an ambiguous short form.
    #[serde(default)]
    pub context: Vec<String>,
    /// The canonical name alone ("National Police") does not identify the body.
    #[serde(default)]
    pub name_is_generic: bool,
    /// Usually named as helping a police force (FBI, Europol): a mention only when the document
    /// names no police force.
    #[serde(default)]
    pub agency: bool,
}

impl WorldBody {
    /// Every unambiguous phrase naming the body: name, aliases and the forms derived from `place`.
    fn phrases(&self) -> Vec<String> {
        let mut v = Vec::new();
        if !self.name_is_generic {
            v.push(self.name.clone());
        }
        v.extend(self.aliases.iter().cloned());
        if let Some(p) = &self.place {
            if self.kind == "sheriff" {
                for suf in [
                    " Sheriff's Office",
                    " Sheriff's Department",
                    " Sheriff's Dept",
                    " Sheriff",
                ] {
                    v.push(format!("{p}{suf}"));
                }
            } else {
                for suf in [" Police Department", " Police Dept", " police", " PD"] {
                    v.push(format!("{p}{suf}"));
                }
            }
        }
        let mut seen = HashSet::new();
        v.retain(|x| seen.insert(x.to_lowercase()));
        v
    }
}

/// `data/uk_forces.json` as written.
#[derive(serde::Deserialize, Default)]
struct UkFile {
    #[serde(default)]
    forces: Vec<UkForceEntry>,
}

/// One UK force as written.
#[derive(serde::Deserialize)]
struct UkForceEntry {
    id: String,
    canonical_name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    welsh_name: Option<String>,
    #[serde(default)]
    other_language_names: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    collaborations: Vec<CollaborationEntry>,
}

/// A collaboration of UK forces as written.
#[derive(serde::Deserialize)]
struct CollaborationEntry {
    #[serde(default)]
    partners: Vec<String>,
}

/// What a gazetteer phrase stands for, and how it must be matched. The variants are matched
/// (leftmost-longest) in separate classes, see [`ForceTag::hit_class`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForceTag {
    /// A name matched in any case.
    AnyCase(ForceRef),
    /// A case-sensitive name ("MPS", "Garda"): index into [`Gazetteer::exact_case_phrases`]
    /// for the exact-case check.
    ExactCase(ForceRef, u32),
    /// A UK force's place name ("Norfolk", "Herts"): index into [`Gazetteer::forces`]; a
    /// mention only in a chain ("Norfolk and Suffolk police").
    Place(usize),
    /// A word that sets a document in the United States.
    UsContext,
    /// A word that sets a document in the UK.
    UkContext,
    /// A word that makes a short name a police body's ("police", "officers").
    PoliceContext,
}

impl ForceTag {
    /// The class whose hits are selected leftmost-longest together: any-case names,
    /// exact-case names, places, and context words.
    pub fn hit_class(&self) -> usize {
        match self {
            ForceTag::AnyCase(_) => 0,
            ForceTag::ExactCase(..) => 1,
            ForceTag::Place(_) => 2,
            _ => 3,
        }
    }
}

/// The body (or bodies) a gazetteer name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForceRef {
    /// Index into [`Gazetteer::forces`].
    Uk(usize),
    /// Index into [`Gazetteer::joint_bodies`] (forces named together as one body).
    Joint(usize),
    /// Index into [`Gazetteer::world`].
    World(usize),
    /// Index into [`Gazetteer::ambiguous`] (a short form several bodies share).
    Ambiguous(usize),
}

/// Every police body the extractor knows, and the phrases that name them.
pub struct Gazetteer {
    /// UK forces: (id, canonical name).
    pub forces: Vec<(String, String)>,
    /// Every UK body of the file, (id, canonical name), those extraction leaves out included.
    pub bodies: Vec<(String, String)>,
    /// Sets of UK forces that work together: a report naming a set is one report.
    pub collaborations: Vec<BTreeSet<String>>,
    /// Sets of UK forces named as one body ("the two East Anglian constabularies").
    pub joint_bodies: Vec<BTreeSet<String>>,
    /// (phrase, tag) pairs for the shared document lexicon.
    pub phrases: Vec<(String, ForceTag)>,
    /// The case-sensitive phrases, as written, for the exact-case check.
    pub exact_case_phrases: Vec<String>,
    /// Bodies outside the UK.
    pub world: Vec<WorldBody>,
    /// Ambiguous short forms: (alias, indices into `world`).
    pub ambiguous: Vec<(String, Vec<usize>)>,
    /// Department-rule id -> gazetteer id, for names the gazetteer knows in another form.
    pub department_aliases: HashMap<String, String>,
    /// Index into `world` by id.
    pub world_index: HashMap<String, usize>,
}

impl Gazetteer {
    /// The body outside the UK with this id.
    pub fn world_body(&self, id: &str) -> Option<&WorldBody> {
        self.world_index.get(id).map(|&i| &self.world[i])
    }
}

/// Extra UK aliases that are real-world knowledge not in the gazetteer file: (phrase, id).
const EXTRA_UK: &[(&str, &str)] = &[
    ("Royal Ulster Constabulary", "northern-ireland"),
    ("RUC", "northern-ireland"),
    ("Strathclyde Police", "police-scotland"),
    ("Lothian and Borders Police", "police-scotland"),
    ("Grampian Police", "police-scotland"),
    ("Northern Constabulary", "police-scotland"),
    ("Tayside Police", "police-scotland"),
    ("Fife Constabulary", "police-scotland"),
    ("Central Scotland Police", "police-scotland"),
    ("Dumfries and Galloway Constabulary", "police-scotland"),
    ("Poileas Alba", "police-scotland"),
    ("Heddlu De Cymru", "south-wales"),
    ("Heddlu Gogledd Cymru", "north-wales"),
    ("Heddlu Dyfed-Powys", "dyfed-powys"),
    ("Heddlu Dyfed Powys", "dyfed-powys"),
    ("Heddlu Gwent", "gwent"),
    ("Met Police", "metropolitan"),
    ("Metropolitan Police Service", "metropolitan"),
    ("Metropolitan Police", "metropolitan"),
    ("New Scotland Yard", "metropolitan"),
    ("Scotland Yard", "metropolitan"),
    ("Greater Manchester Police", "greater-manchester"),
    ("Police Service of Northern Ireland", "northern-ireland"),
    ("Northern Ireland police", "northern-ireland"),
    ("Police Scotland", "police-scotland"),
    ("Hampshire and Isle of Wight Constabulary", "hampshire"),
    ("Hampshire & Isle of Wight Constabulary", "hampshire"),
    ("Cumbrian police", "cumbria"),
    ("Cumbrian cops", "cumbria"),
];

/// Place-name abbreviations: (abbrev, id).
const PLACE_ABBREV: &[(&str, &str)] = &[
    ("Beds", "bedfordshire"),
    ("Cambs", "cambridgeshire"),
    ("Herts", "hertfordshire"),
    ("Glos", "gloucestershire"),
    ("Lancs", "lancashire"),
    ("Leics", "leicestershire"),
    ("Lincs", "lincolnshire"),
    ("Northants", "northamptonshire"),
    ("Notts", "nottinghamshire"),
    ("Staffs", "staffordshire"),
    ("Wilts", "wiltshire"),
    ("Hants", "hampshire"),
    ("Derbys", "derbyshire"),
    ("Cumbrian", "cumbria"),
    ("Hampshire", "hampshire"),
];

/// Gazetteer aliases that are too generic to use.
const SKIP_ALIASES: &[&str] = &[
    "the police service",
    "City Police",
    "DPP",
    "Thames Valley",
    "the Met",
    "the Yard",
];

/// Bodies of the UK file that are not police forces for this purpose.
const SKIP_IDS: &[&str] = &["nca"];

/// Endings a UK place takes to name its force ("Kent Police", "Kent's force").
const PLACE_SUFFIXES: [&str; 12] = [
    " Police",
    " police force",
    " Constabulary",
    " force",
    " cops",
    " coppers",
    " Police Service",
    "'s police",
    "'s police force",
    "'s police service",
    "'s force",
    "'s constabulary",
];

/// Words that set a document in the United States.
const US_CONTEXT: &[&str] = &[
    "Police Department",
    "Sheriff",
    "FBI",
    "District Attorney",
    "U.S.",
    "Texas",
    "California",
    "Virginia",
    "Ohio",
    "Massachusetts",
    "Connecticut",
    "New Hampshire",
    "New Jersey",
    "North Carolina",
    "Delaware",
    "Long Island",
    "Washington, DC",
    "Washington DC",
    "D.C.",
    "Nebraska",
    "Florida",
    "Illinois",
    "Social Security",
];

/// Words that set a document in the UK.
const UK_CONTEXT: &[&str] = &[
    "£",
    "Information Commissioner",
    "ICO",
    "Constabulary",
    "Home Office",
    "Britain",
    "British",
    "England",
    "UK ",
    "UK'",
    "UK’",
    "Scotland",
    "Northern Ireland",
    "Wales",
];

/// Words that make a short name a police body's.
const POLICE_CONTEXT: [&str; 6] = [
    "police",
    "officer",
    "officers",
    "constabulary",
    "constable",
    "force",
];

/// An alias without its parenthesised note ("BTP (British Transport Police)" -> "BTP").
fn clean_alias(a: &str) -> String {
    let mut s = a.to_string();
    if let Some(i) = s.find(" (") {
        s.truncate(i);
    }
    s.trim().to_string()
}

/// The place a force is named after ("Kent Police" -> "Kent").
fn place_of(name: &str) -> Option<String> {
    for suf in [" Police Service", " Constabulary", " Police"] {
        if let Some(p) = name.strip_suffix(suf) {
            return Some(p.to_string());
        }
    }
    None
}

/// Short one-word names ("MPS", "GMP", "Met") are matched only as written.
fn is_case_sensitive(alias: &str) -> bool {
    !alias.contains(' ')
        && (alias
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
            || alias.len() <= 4)
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(build);

/// The gazetteer, built on first use.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

/// The name lists being built, by how they are matched; kept in the order names are added,
/// which is the order the lexicon gets them.
#[derive(Default)]
struct NameLists {
    any_case: Vec<(String, ForceRef)>,
    exact_case: Vec<(String, ForceRef)>,
    places: Vec<(String, usize)>,
}

impl NameLists {
    /// Adds a name (and its curly-apostrophe form) to the list its form calls for; names too
    /// generic to use are skipped.
    fn add(&mut self, name: String, body: ForceRef) {
        if name.is_empty() || SKIP_ALIASES.contains(&name.as_str()) {
            return;
        }
        let curly = name.contains('\'').then(|| name.replace('\'', "’"));
        let list = if is_case_sensitive(&name) {
            &mut self.exact_case
        } else {
            &mut self.any_case
        };
        list.push((name, body));
        if let Some(curly) = curly {
            list.push((curly, body));
        }
    }

    /// Adds a UK force's names: canonical, aliases, Welsh and other-language names.
    fn add_uk_names(&mut self, entry: &UkForceEntry, body: ForceRef) {
        self.add(entry.canonical_name.clone(), body);
        for alias in &entry.aliases {
            self.add(clean_alias(alias), body);
        }
        if let Some(welsh) = &entry.welsh_name {
            self.add(clean_alias(welsh), body);
        }
        if let Some(names) = &entry.other_language_names {
            for name in names.values().filter_map(|v| v.as_str()) {
                self.add(clean_alias(name), body);
            }
        }
    }

    /// Adds the places a UK force is named after, and the force names built from them.
    fn add_uk_places(&mut self, entry: &UkForceEntry, index: usize) {
        let mut places = Vec::new();
        match entry.id.as_str() {
            "metropolitan" | "nca" => {}
            "northern-ireland" => places.push("Northern Ireland".to_string()),
            "police-scotland" => places.push("Scotland".to_string()),
            "btp" => places.push("British Transport".to_string()),
            _ => places.extend(place_of(&entry.canonical_name)),
        }
        for (abbrev, id) in PLACE_ABBREV {
            if *id == entry.id {
                places.push(abbrev.to_string());
            }
        }
        let body = ForceRef::Uk(index);
        for place in places {
            self.places.push((place.clone(), index));
            if place == "Scotland" {
                // "Scotland police" is odd; rely on aliases and descriptive regexes
                continue;
            }
            for suffix in PLACE_SUFFIXES {
                self.add(format!("{place}{suffix}"), body);
            }
            self.add(format!("police in {place}"), body);
            self.add(format!("police force in {place}"), body);
        }
    }
}

/// Builds the gazetteer from the embedded files (an unreadable file gives no bodies).
fn build() -> Gazetteer {
    let uk: UkFile = serde_json::from_str(UK_FORCES_JSON).unwrap_or_default();
    let mut forces = Vec::new();
    let bodies = uk
        .forces
        .iter()
        .map(|e| (e.id.clone(), e.canonical_name.clone()))
        .collect();
    let mut collaborations: Vec<BTreeSet<String>> = Vec::new();
    let mut names = NameLists::default();
    for entry in &uk.forces {
        if SKIP_IDS.contains(&entry.id.as_str()) {
            continue;
        }
        let index = forces.len();
        forces.push((entry.id.clone(), entry.canonical_name.clone()));
        names.add_uk_names(entry, ForceRef::Uk(index));
        for c in &entry.collaborations {
            let set: BTreeSet<String> = c.partners.iter().cloned().collect();
            if set.len() > 1 && !collaborations.contains(&set) {
                collaborations.push(set);
            }
        }
        names.add_uk_places(entry, index);
    }
    for (name, id) in EXTRA_UK {
        if let Some(i) = forces.iter().position(|(f, _)| f == id) {
            names.add(name.to_string(), ForceRef::Uk(i));
        }
    }
    let world: Vec<WorldBody> = serde_json::from_str::<WorldFile>(WORLD_FORCES_JSON)
        .unwrap_or_default()
        .bodies;
    let mut ambiguous: Vec<(String, Vec<usize>)> = Vec::new();
    let mut department_aliases: HashMap<String, String> = HashMap::new();
    let mut department_clashes: HashSet<String> = HashSet::new();
    for (i, body) in world.iter().enumerate() {
        let body_ref = ForceRef::World(i);
        for phrase in body.phrases() {
            names.add(phrase.clone(), body_ref);
            // what the department rule would call this phrase, if it were not in the gazetteer
            if let Some(rule_id) = department_rule_id(&phrase) {
                if rule_id != body.id {
                    match department_aliases.get(&rule_id) {
                        Some(other) if *other != body.id => {
                            department_clashes.insert(rule_id);
                        }
                        _ => {
                            department_aliases.insert(rule_id, body.id.clone());
                        }
                    }
                }
            }
        }
        for alias in &body.exact_aliases {
            names.exact_case.push((alias.clone(), body_ref));
        }
        for alias in &body.ambiguous_aliases {
            match ambiguous.iter_mut().find(|(a, _)| a == alias) {
                Some((_, bodies)) => bodies.push(i),
                None => ambiguous.push((alias.clone(), vec![i])),
            }
        }
    }
    for rule_id in department_clashes {
        department_aliases.remove(&rule_id);
    }
    for (k, (alias, _)) in ambiguous.iter().enumerate() {
        names
            .exact_case
            .push((alias.clone(), ForceRef::Ambiguous(k)));
    }
    let world_index: HashMap<String, usize> = world
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    // Joint bodies written with one suffix ("Norfolk and Suffolk Police") are place chains;
    // these are the descriptive names of joint bodies.
    let joint_bodies: Vec<BTreeSet<String>> = vec![["norfolk", "suffolk"]
        .iter()
        .map(|s| s.to_string())
        .collect()];
    for phrase in [
        "two East Anglian constabularies",
        "two East Anglian forces",
        "two East Anglian police forces",
        "East Anglian constabularies",
        "two East Anglian powers",
    ] {
        names
            .any_case
            .push((phrase.to_string(), ForceRef::Joint(0)));
    }
    let mut phrases: Vec<(String, ForceTag)> = Vec::new();
    phrases.extend(
        names
            .any_case
            .into_iter()
            .map(|(p, body)| (p, ForceTag::AnyCase(body))),
    );
    let mut exact_case_phrases = Vec::new();
    for (p, body) in names.exact_case {
        phrases.push((
            p.clone(),
            ForceTag::ExactCase(body, exact_case_phrases.len() as u32),
        ));
        exact_case_phrases.push(p);
    }
    phrases.extend(
        names
            .places
            .into_iter()
            .map(|(p, i)| (p, ForceTag::Place(i))),
    );
    phrases.extend(
        US_CONTEXT
            .iter()
            .map(|w| (w.to_string(), ForceTag::UsContext)),
    );
    phrases.extend(
        UK_CONTEXT
            .iter()
            .map(|w| (w.to_string(), ForceTag::UkContext)),
    );
    phrases.extend(
        POLICE_CONTEXT
            .iter()
            .map(|w| (w.to_string(), ForceTag::PoliceContext)),
    );
    Gazetteer {
        forces,
        bodies,
        collaborations,
        joint_bodies,
        phrases,
        exact_case_phrases,
        world,
        ambiguous,
        department_aliases,
        world_index,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::super::departments::slug;
    use super::super::{all_uk_forces, force_name};
    use super::*;

    #[test]
    fn gazetteer_loads() {
        assert!(all_uk_forces().len() >= 45);
        assert_eq!(
            force_name("metropolitan"),
            Some("Metropolitan Police Service")
        );
        assert_eq!(
            force_name("northern-ireland"),
            Some("Police Service of Northern Ireland")
        );
        assert_eq!(force_name("nowhere"), None);
    }

    #[test]
    fn world_gazetteer_follows_the_id_rule() {
        let bodies = &gazetteer().world;
        assert!(bodies.len() >= 120, "{} bodies", bodies.len());
        let mut seen = HashSet::new();
        for b in bodies {
            assert!(seen.insert(b.id.as_str()), "duplicate id {}", b.id);
            assert_eq!(
                b.id,
                format!("{}-{}", b.country, slug(&b.name)),
                "{}",
                b.name
            );
            assert!(
                b.country.len() == 2 && b.country.chars().all(|c| c.is_ascii_lowercase()),
                "{}",
                b.id
            );
            assert!(
                [
                    "city",
                    "county",
                    "sheriff",
                    "state",
                    "federal",
                    "national",
                    "international"
                ]
                .contains(&b.kind.as_str()),
                "{}: {}",
                b.id,
                b.kind
            );
            assert!(force_name(&b.id).is_none(), "{} clashes with a UK id", b.id);
        }
        let quebec = gazetteer().world_body("ca-surete-du-quebec").unwrap();
        assert_eq!(
            (
                quebec.name.as_str(),
                quebec.country.as_str(),
                quebec.kind.as_str()
            ),
            ("Sûreté du Québec", "ca", "state")
        );
        let us = bodies.iter().filter(|b| b.country == "us").count();
        assert!(us >= 80, "{us} US bodies");
    }
}
