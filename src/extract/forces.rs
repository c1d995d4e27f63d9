//! Force gazetteer (UK from uk_forces.json, bodies outside the UK from world_forces.json) and
//! mention finding.
//!
//! Bodies outside the UK have ids of the form `<cc>-<slug of English name>` (see
//! data/world_forces.json). A department the gazetteer does not know gets the same kind of id
//! from the department-name rule ([`find_mentions`]): "Tulsa Police Department", "the Tulsa
//! police department" and "Tulsa PD" all give `us-tulsa-police-department`; a name the
//! gazetteer knows under another form ("Toronto Police Department") is mapped to its body.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::Hit;

static RAW: &str = include_str!("../../data/uk_forces.json");
static WORLD_RAW: &str = include_str!("../../data/world_forces.json");

#[derive(serde::Deserialize, Default)]
struct WorldFile {
    #[serde(default)]
    bodies: Vec<WorldBody>,
}

/// A police body outside the UK (one entry of data/world_forces.json).
#[derive(serde::Deserialize, Debug, Clone)]
pub struct WorldBody {
    pub id: String,
    /// canonical English name
    pub name: String,
    /// lowercase ISO 3166-1 alpha-2 code (`eu` for Europol, `zz` for Interpol)
    pub country: String,
    /// city, county, sheriff, state, federal, national or international
    pub kind: String,
    /// the city or county the body is named after: gives "<place> police", "<place> PD", ...
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// case-sensitive aliases that need police context ("Garda")
    #[serde(default)]
    pub exact_aliases: Vec<String>,
    /// short forms shared by several bodies ("MPD"): resolved by `context` or another name
    #[serde(default)]
    pub ambiguous_aliases: Vec<String>,
    #[serde(default)]
    pub context: Vec<String>,
    /// the canonical name alone ("National Police") does not identify the body
    #[serde(default)]
    pub name_is_generic: bool,
    /// usually named as helping a police force (FBI, Europol): a mention only when the document
    /// names no police force
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

#[derive(serde::Deserialize, Default)]
struct RawFile {
    #[serde(default)]
    forces: Vec<RawForce>,
}

#[derive(serde::Deserialize)]
struct RawForce {
    id: String,
    canonical_name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    welsh_name: Option<String>,
    #[serde(default)]
    other_language_names: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    collaborations: Vec<RawCollab>,
}

#[derive(serde::Deserialize)]
struct RawCollab {
    #[serde(default)]
    partners: Vec<String>,
}

/// A resolved force mention in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub ids: BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FTag {
    Ci(Tag),
    /// case-sensitive alias: index into Gazetteer::cs_pats for the exact-case check
    Cs(Tag, u32),
    Place(usize),
    UsCtx,
    UkCtx,
    PoliceCtx,
}

impl FTag {
    pub fn class(&self) -> usize {
        match self {
            FTag::Ci(_) => 0,
            FTag::Cs(..) => 1,
            FTag::Place(_) => 2,
            _ => 3,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// index into Gazetteer::forces
    Force(usize),
    /// index into Gazetteer::multi (a joint body or collaboration)
    Multi(usize),
    /// index into Gazetteer::world
    Intl(usize),
    /// index into Gazetteer::ambiguous (a short form several bodies share)
    Ambig(usize),
}

pub struct Gazetteer {
    pub forces: Vec<(String, String)>,
    pub collabs: Vec<BTreeSet<String>>,
    multi: Vec<BTreeSet<String>>,
    /// (phrase, tag) pairs for the shared document lexicon
    pub pairs: Vec<(String, FTag)>,
    cs_pats: Vec<String>,
    /// bodies outside the UK
    pub world: Vec<WorldBody>,
    /// ambiguous short forms: (alias, indices into world)
    ambiguous: Vec<(String, Vec<usize>)>,
    /// department-rule id -> gazetteer id, for names the gazetteer knows in another form
    dept_alias: HashMap<String, String>,
    /// world body index by id
    world_ids: HashMap<String, usize>,
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

const SKIP_IDS: &[&str] = &["nca"];

fn clean_alias(a: &str) -> String {
    let mut s = a.to_string();
    if let Some(i) = s.find(" (") {
        s.truncate(i);
    }
    s.trim().to_string()
}

fn place_of(name: &str) -> Option<String> {
    for suf in [" Police Service", " Constabulary", " Police"] {
        if let Some(p) = name.strip_suffix(suf) {
            return Some(p.to_string());
        }
    }
    None
}

fn is_case_sensitive(alias: &str) -> bool {
    !alias.contains(' ')
        && (alias
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
            || alias.len() <= 4)
}

static GAZ: LazyLock<Gazetteer> = LazyLock::new(build);

pub fn gazetteer() -> &'static Gazetteer {
    &GAZ
}

fn build() -> Gazetteer {
    let raw: RawFile = serde_json::from_str(RAW).unwrap_or_default();
    let mut forces = Vec::new();
    let mut collabs: Vec<BTreeSet<String>> = Vec::new();
    let mut ci_p: Vec<String> = Vec::new();
    let mut ci_t: Vec<Tag> = Vec::new();
    let mut cs_p: Vec<String> = Vec::new();
    let mut cs_t: Vec<Tag> = Vec::new();
    let mut pl_p: Vec<String> = Vec::new();
    let mut pl_t: Vec<usize> = Vec::new();
    let add = |p: String,
               t: Tag,
               ci_p: &mut Vec<String>,
               ci_t: &mut Vec<Tag>,
               cs_p: &mut Vec<String>,
               cs_t: &mut Vec<Tag>| {
        if p.is_empty() || SKIP_ALIASES.contains(&p.as_str()) {
            return;
        }
        let v2 = if p.contains('\'') {
            Some(p.replace('\'', "’"))
        } else {
            None
        };
        if is_case_sensitive(&p) {
            cs_p.push(p);
            cs_t.push(t);
            if let Some(v) = v2 {
                cs_p.push(v);
                cs_t.push(t);
            }
        } else {
            ci_p.push(p);
            ci_t.push(t);
            if let Some(v) = v2 {
                ci_p.push(v);
                ci_t.push(t);
            }
        }
    };
    for f in &raw.forces {
        if SKIP_IDS.contains(&f.id.as_str()) {
            continue;
        }
        let idx = forces.len();
        forces.push((f.id.clone(), f.canonical_name.clone()));
        let t = Tag::Force(idx);
        add(
            f.canonical_name.clone(),
            t,
            &mut ci_p,
            &mut ci_t,
            &mut cs_p,
            &mut cs_t,
        );
        for a in &f.aliases {
            let a = clean_alias(a);
            if a.starts_with("the ") && a != "the Met" && a != "the Yard" {
                // descriptive aliases are handled by regexes; keep the literal too
            }
            add(a, t, &mut ci_p, &mut ci_t, &mut cs_p, &mut cs_t);
        }
        if let Some(w) = &f.welsh_name {
            add(
                clean_alias(w),
                t,
                &mut ci_p,
                &mut ci_t,
                &mut cs_p,
                &mut cs_t,
            );
        }
        if let Some(m) = &f.other_language_names {
            for v in m.values() {
                if let Some(s) = v.as_str() {
                    add(
                        clean_alias(s),
                        t,
                        &mut ci_p,
                        &mut ci_t,
                        &mut cs_p,
                        &mut cs_t,
                    );
                }
            }
        }
        for c in &f.collaborations {
            let set: BTreeSet<String> = c.partners.iter().cloned().collect();
            if set.len() > 1 && !collabs.contains(&set) {
                collabs.push(set);
            }
        }
        // place-derived forms
        let mut places = Vec::new();
        match f.id.as_str() {
            "metropolitan" | "nca" => {}
            "northern-ireland" => places.push("Northern Ireland".to_string()),
            "police-scotland" => places.push("Scotland".to_string()),
            "btp" => places.push("British Transport".to_string()),
            _ => {
                if let Some(p) = place_of(&f.canonical_name) {
                    places.push(p);
                }
            }
        }
        for (ab, id) in PLACE_ABBREV {
            if *id == f.id {
                places.push(ab.to_string());
            }
        }
        for p in places {
            pl_p.push(p.clone());
            pl_t.push(idx);
            if p == "Scotland" {
                // "Scotland police" is odd; rely on aliases and descriptive regexes
                continue;
            }
            for suf in [
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
            ] {
                add(
                    format!("{p}{suf}"),
                    t,
                    &mut ci_p,
                    &mut ci_t,
                    &mut cs_p,
                    &mut cs_t,
                );
            }
            add(
                format!("police in {p}"),
                t,
                &mut ci_p,
                &mut ci_t,
                &mut cs_p,
                &mut cs_t,
            );
            add(
                format!("police force in {p}"),
                t,
                &mut ci_p,
                &mut ci_t,
                &mut cs_p,
                &mut cs_t,
            );
        }
    }
    let find_idx = |id: &str| forces.iter().position(|(i, _)| i == id);
    for (p, id) in EXTRA_UK {
        if let Some(i) = find_idx(id) {
            add(
                p.to_string(),
                Tag::Force(i),
                &mut ci_p,
                &mut ci_t,
                &mut cs_p,
                &mut cs_t,
            );
        }
    }
    let world: Vec<WorldBody> = serde_json::from_str::<WorldFile>(WORLD_RAW)
        .unwrap_or_default()
        .bodies;
    let mut ambiguous: Vec<(String, Vec<usize>)> = Vec::new();
    let mut dept_alias: HashMap<String, String> = HashMap::new();
    let mut dept_clash: HashSet<String> = HashSet::new();
    for (i, b) in world.iter().enumerate() {
        let t = Tag::Intl(i);
        for p in b.phrases() {
            add(p.clone(), t, &mut ci_p, &mut ci_t, &mut cs_p, &mut cs_t);
            // what the department rule would call this phrase, if it were not in the gazetteer
            if let Some(raw) = dept_rule_whole(&p) {
                if raw != b.id {
                    match dept_alias.get(&raw) {
                        Some(other) if *other != b.id => {
                            dept_clash.insert(raw);
                        }
                        _ => {
                            dept_alias.insert(raw, b.id.clone());
                        }
                    }
                }
            }
        }
        for p in &b.exact_aliases {
            cs_p.push(p.clone());
            cs_t.push(t);
        }
        for p in &b.ambiguous_aliases {
            match ambiguous.iter_mut().find(|(a, _)| a == p) {
                Some((_, v)) => v.push(i),
                None => ambiguous.push((p.clone(), vec![i])),
            }
        }
    }
    for raw in dept_clash {
        dept_alias.remove(&raw);
    }
    for (k, (p, _)) in ambiguous.iter().enumerate() {
        cs_p.push(p.clone());
        cs_t.push(Tag::Ambig(k));
    }
    let world_ids: HashMap<String, usize> = world
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    // Joint bodies written with one suffix: "Norfolk and Suffolk Police" handled by place chains;
    // descriptive multi-force aliases:
    let mut multi: Vec<BTreeSet<String>> = Vec::new();
    let ns: BTreeSet<String> = ["norfolk", "suffolk"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    multi.push(ns);
    for p in [
        "two East Anglian constabularies",
        "two East Anglian forces",
        "two East Anglian police forces",
        "East Anglian constabularies",
        "two East Anglian powers",
    ] {
        ci_p.push(p.to_string());
        ci_t.push(Tag::Multi(0));
    }
    let mut pats: Vec<String> = Vec::new();
    let mut tags: Vec<FTag> = Vec::new();
    for (p, t) in ci_p.into_iter().zip(ci_t) {
        pats.push(p);
        tags.push(FTag::Ci(t));
    }
    let mut cs_pats = Vec::new();
    for (p, t) in cs_p.into_iter().zip(cs_t) {
        pats.push(p.clone());
        tags.push(FTag::Cs(t, cs_pats.len() as u32));
        cs_pats.push(p);
    }
    for (p, t) in pl_p.into_iter().zip(pl_t) {
        pats.push(p);
        tags.push(FTag::Place(t));
    }
    for w in US_CONTEXT {
        pats.push(w.to_string());
        tags.push(FTag::UsCtx);
    }
    for w in UK_CONTEXT {
        pats.push(w.to_string());
        tags.push(FTag::UkCtx);
    }
    for w in [
        "police",
        "officer",
        "officers",
        "constabulary",
        "constable",
        "force",
    ] {
        pats.push(w.to_string());
        tags.push(FTag::PoliceCtx);
    }
    let pairs: Vec<(String, FTag)> = pats.into_iter().zip(tags).collect();
    Gazetteer {
        forces,
        collabs,
        multi,
        pairs,
        cs_pats,
        world,
        ambiguous,
        dept_alias,
        world_ids,
    }
}

struct Desc {
    re: Regex,
    ids: &'static [&'static str],
}

static DESCRIPTIVE: LazyLock<Vec<Desc>> = LazyLock::new(|| {
    let f = r"(?:police )?(?:force|power|service|constabulary)";
    let poss = r"['’]?s";
    let table: Vec<(String, &'static [&'static str])> = vec![
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK|the United Kingdom|England)(?:{poss})? (?:largest|biggest) {f}(?-u:\b)"
            ),
            &["metropolitan"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:London|the capital)(?:{poss}) (?:police )?(?:force|power)(?-u:\b)"
            ),
            &["metropolitan"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK|the United Kingdom|England)(?:{poss})? (?:third|3rd)[- ](?:largest|biggest) {f}(?-u:\b)"
            ),
            &["greater-manchester"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)the (?:third|3rd)[- ](?:largest|biggest) {f} in (?:Britain|the UK|England)(?-u:\b)"
            ),
            &["greater-manchester"],
        ),
        (
            format!(
                r"(?i)(?-u:\b)(?:Britain|the UK)(?:{poss})? second[- ](?:largest|biggest) {f}(?-u:\b)"
            ),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Scotland(?:{poss}) (?:national |single )?{f}(?-u:\b)"),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)the (?:single |national )+{f} (?:for|in) Scotland(?-u:\b)"),
            &["police-scotland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Northern Ireland(?:{poss}) {f}(?-u:\b)"),
            &["northern-ireland"],
        ),
        (
            format!(r"(?i)(?-u:\b){f} (?:of|in) Northern Ireland(?-u:\b)"),
            &["northern-ireland"],
        ),
        (
            format!(r"(?i)(?-u:\b)Wales(?:{poss}) (?:largest|biggest) {f}(?-u:\b)"),
            &["south-wales"],
        ),
        (r"(?-u:\b)the Yard(?-u:\b)".to_string(), &["metropolitan"]),
        (r"(?-u:\b)the Met(?-u:\b)".to_string(), &["metropolitan"]),
        (r"(?-u:\b)Met(?-u:\b)".to_string(), &["metropolitan"]),
        (
            r"(?i)(?-u:\b)(?:Surrey and Sussex|Sussex and Surrey)(?: police| constabularies| forces)?(?-u:\b)".to_string(),
            &["surrey", "sussex"],
        ),
    ];
    table
        .into_iter()
        .filter_map(|(p, ids)| Regex::new(&p).ok().map(|re| Desc { re, ids }))
        .collect()
});

static DESCRIPTIVE_ANY: LazyLock<Regex> = LazyLock::new(|| {
    let parts: Vec<String> = DESCRIPTIVE
        .iter()
        .map(|d| {
            let p = d.re.as_str();
            match p.strip_prefix("(?i)") {
                Some(rest) => format!("(?i:{rest})"),
                None => format!("(?:{p})"),
            }
        })
        .collect();
    Regex::new(&parts.join("|")).unwrap_or_else(|_| Regex::new("$^").unwrap())
});

static US_DEPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u:\b)((?:\p{Lu}[\p{L}.'’-]*,?\s+){1,6}?)",
        r"((?i:county sheriff(?:['’]s (?:office|department|dept\.?))?",
        r"|sheriff['’]s (?:office|department|dept\.?)",
        r"|county police(?: department| dept\.?)?",
        r"|police department|police dept\.?|department of police|police bureau|division of police)",
        r"|PD(?-u:\b))",
    ))
    .unwrap()
});

const STOP_LEAD: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "At",
    "For",
    "From",
    "By",
    "With",
    "After",
    "Both",
    "Of",
    "And",
    "But",
    "When",
    "While",
    "Last",
    "This",
    "That",
    "Its",
    "Their",
    "Our",
    "Then",
    "If",
    "As",
    "On",
    "To",
    "Into",
    "Former",
    "Retired",
    "Local",
    "City",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Meanwhile",
    "However",
    "Yesterday",
    "Today",
    "Earlier",
    "Later",
    "Officials",
    "Officers",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
];

/// Names that are not a department's own name ("the American police department").
const GENERIC_NAME: &[&str] = &[
    "American",
    "US",
    "U.S.",
    "UK",
    "British",
    "County",
    "State",
    "Federal",
    "National",
    "Local",
    "Regional",
    "Municipal",
    "Metro",
    "Town",
    "Village",
    "Area",
    "Police",
    "Department",
    "Its",
    "Their",
    "Sheriff",
    "Sheriff's",
    "Sheriff’s",
    "Chief",
    "Deputy",
    "Officer",
    "Sgt.",
    "Lt.",
    "Capt.",
];

/// First words of multi-word place names: a name starting with one is not a title-case prefix.
const PLACE_PREFIX: &[&str] = &[
    "North", "South", "East", "West", "New", "Fort", "Saint", "St.", "St", "San", "Santa", "Los",
    "Las", "El", "La", "Port", "Lake", "Mount", "Palm", "Upper", "Lower", "Grand", "Great",
    "Little",
];

/// The id part the department rule gives a kind phrase.
fn kind_slug(kind: &str) -> &'static str {
    let k = kind.to_ascii_lowercase();
    if k.starts_with("county sheriff") {
        "county-sheriffs-office"
    } else if k.starts_with("sheriff") {
        "sheriffs-office"
    } else if k.starts_with("county police") {
        "county-police-department"
    } else if k.starts_with("police bureau") {
        "police-bureau"
    } else if k.starts_with("division") {
        "division-of-police"
    } else {
        "police-department"
    }
}

/// A department named by the department rule: its name words and where the name starts.
struct DeptName<'a> {
    toks: Vec<&'a str>,
    /// byte offset of the first name word in the haystack
    start: usize,
    end: usize,
    kind: &'static str,
    /// "Washington's Metropolitan Police Department": the possessive place
    loc: Option<String>,
}

fn dept_name<'a>(hay: &'a str, c: &regex::Captures<'a>) -> Option<DeptName<'a>> {
    let whole = c.get(0)?;
    let name_m = c.get(1)?;
    let kind = kind_slug(c.get(2)?.as_str());
    let toks: Vec<&str> = name_m
        .as_str()
        .split_whitespace()
        .map(|t| t.trim_end_matches(','))
        .collect();
    // drop leading stop words / possessive locations
    let mut start_tok = 0;
    let mut loc: Option<String> = None;
    for (k, t) in toks.iter().enumerate() {
        if STOP_LEAD.contains(t) {
            start_tok = k + 1;
            loc = None;
        } else if t.ends_with("'s") || t.ends_with("’s") {
            loc = Some(t.trim_end_matches("'s").trim_end_matches("’s").to_string());
            start_tok = k + 1;
        }
    }
    let mut name_toks: Vec<&str> = toks[start_tok.min(toks.len())..].to_vec();
    if name_toks.is_empty() {
        // "Dallas's police department": the possessive is the name
        let l = loc.take()?;
        let t = toks.iter().rev().find(|t| t.starts_with(l.as_str()))?;
        name_toks.push(&t[..l.len()]);
    }
    if name_toks.iter().all(|t| GENERIC_NAME.contains(t)) {
        return None;
    }
    if kind == "police-department" && c.get(2)?.as_str() == "PD" && name_toks.len() > 3 {
        return None;
    }
    let off = name_m.as_str().find(name_toks[0]).unwrap_or(0);
    let start = (name_m.start() + off).min(whole.end());
    let _ = hay;
    Some(DeptName {
        toks: name_toks,
        start,
        end: whole.end(),
        kind,
        loc,
    })
}

fn dept_raw_id(toks: &[&str], kind: &str) -> String {
    format!("us-{}-{kind}", slug(&toks.join(" ")))
}

/// The department-rule id of a phrase that is wholly one department name, without document
/// context ("Toronto Police Department" -> `us-toronto-police-department`).
fn dept_rule_whole(phrase: &str) -> Option<String> {
    let c = US_DEPT.captures(phrase)?;
    let d = dept_name(phrase, &c)?;
    if d.start != 0 || d.end != phrase.len() {
        return None;
    }
    Some(dept_raw_id(&d.toks, d.kind))
}

/// Whether the line holding `pos` is written in title case (a headline).
fn title_case_line(doc: &str, pos: usize) -> bool {
    let a = doc[..pos].rfind('\n').map_or(0, |i| i + 1);
    let b = doc[pos..].find('\n').map_or(doc.len(), |i| pos + i);
    let small = [
        "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "from", "with",
        "as", "vs", "after", "over",
    ];
    let words: Vec<&str> = doc[a..b]
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_alphabetic()))
        .filter(|w| !small.contains(&w.to_lowercase().as_str()))
        .collect();
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        .count();
    words.len() >= 4 && caps * 5 >= words.len() * 4
}

fn sentence_initial(doc: &str, pos: usize) -> bool {
    let before = doc[..pos].trim_end_matches([' ', '\u{a0}', '"', '“', '‘', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

/// A department the rule found, resolved against the gazetteer: the longest tail of its name
/// the gazetteer knows, when the words before it are a headline's or a sentence's opening words.
fn resolve_dept(g: &Gazetteer, doc: &str, d: &DeptName) -> (usize, String, bool) {
    let known = |raw: &str| -> Option<String> {
        if g.world_ids.contains_key(raw) {
            Some(raw.to_string())
        } else {
            g.dept_alias.get(raw).cloned()
        }
    };
    let full = dept_raw_id(&d.toks, d.kind);
    if let Some(id) = known(&full) {
        return (d.start, id, true);
    }
    let headline = title_case_line(doc, d.start);
    let opening = sentence_initial(doc, d.start) && !PLACE_PREFIX.contains(&d.toks[0]);
    for k in 1..d.toks.len() {
        if !(headline || (k == 1 && opening)) {
            break;
        }
        if let Some(id) = known(&dept_raw_id(&d.toks[k..], d.kind)) {
            let off = doc[d.start..].find(d.toks[k]).unwrap_or(0);
            return (d.start + off, id, true);
        }
    }
    (d.start, full, false)
}

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

fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if c == '\'' || c == '’' || c == '.' {
            continue;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Latin letters with diacritics to their base letter ("Sûreté" -> "Surete").
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'A',
        'ç' | 'č' | 'ć' => 'c',
        'Ç' | 'Č' | 'Ć' => 'C',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ě' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => 'I',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        'š' | 'ś' => 's',
        'Š' | 'Ś' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ř' => 'r',
        'Ř' => 'R',
        'ł' => 'l',
        'Ł' => 'L',
        _ => c,
    }
}

const NON_FORCE_NEXT: &[&str] = &[
    "Federation",
    "Protective",
    "Association",
    "Benevolent",
    "Union",
    "Foundation",
    "Authority",
    "Ombudsman",
    "Museum",
    "Pension",
    "Widows",
    "Memorial",
    "Credit",
    "Sports",
    "Band",
    "Choir",
    "College",
    "Academy",
    "Council",
    "Fund",
    "Charity",
];

fn followed_by_non_force(doc: &str, end: usize) -> bool {
    let rest = doc[end..].trim_start_matches([' ', '\u{a0}']);
    let rest = rest
        .strip_prefix("Officers'")
        .or_else(|| rest.strip_prefix("Officers’"))
        .map(|r| r.trim_start())
        .unwrap_or(rest);
    NON_FORCE_NEXT.iter().any(|w| rest.starts_with(w))
}

fn preceded_by_new(doc: &str, start: usize) -> bool {
    let before = doc[..start].trim_end();
    before.ends_with("New") || before.ends_with("new") || before.ends_with("NEW")
}

fn followed_by_county(doc: &str, end: usize) -> bool {
    let rest = doc[end..].trim_start();
    rest.starts_with("County")
        || rest.starts_with("county")
        || rest.starts_with("Police Department")
}

/// Find force mentions in `doc`. `source` may name a force (press releases).
pub fn find_mentions(doc: &str) -> Vec<Mention> {
    let scan = super::facts::scan(doc);
    mentions_from(doc, scan.forces)
}

/// Force mentions from the shared lexicon's force hits (classes: ci, cs, places, context).
pub fn mentions_from(doc: &str, hits: [Vec<Hit<FTag>>; 4]) -> Vec<Mention> {
    let g = gazetteer();
    let [ci_hits, cs_hits, place_hits, ctx_hits] = hits;
    let us_ctx = ctx_hits.iter().any(|h| h.tag == FTag::UsCtx) || doc.contains('$');
    let uk_ctx = ctx_hits.iter().any(|h| h.tag == FTag::UkCtx) || doc.contains('£');
    let suppress_uk = us_ctx && !uk_ctx;
    let police_ctx = ctx_hits.iter().any(|h| h.tag == FTag::PoliceCtx);
    let mut cands: Vec<Mention> = Vec::new();
    let mut ambig_hits: Vec<(usize, usize, usize)> = Vec::new();
    let push_tag = |t: Tag, s: usize, e: usize, cands: &mut Vec<Mention>| {
        let ids: BTreeSet<String> = match t {
            Tag::Force(i) => {
                if suppress_uk {
                    return;
                }
                std::iter::once(g.forces[i].0.clone()).collect()
            }
            Tag::Multi(i) => {
                if suppress_uk {
                    return;
                }
                g.multi[i].clone()
            }
            Tag::Intl(i) => std::iter::once(g.world[i].id.clone()).collect(),
            Tag::Ambig(_) => return,
        };
        cands.push(Mention {
            start: s,
            end: e,
            ids,
        });
    };
    for h in ci_hits {
        let FTag::Ci(tag) = h.tag else { continue };
        if preceded_by_new(doc, h.start) && !matches!(tag, Tag::Intl(_)) {
            continue;
        }
        if followed_by_non_force(doc, h.end) {
            continue;
        }
        push_tag(tag, h.start, h.end, &mut cands);
    }
    if police_ctx {
        for h in cs_hits {
            let FTag::Cs(tag, pi) = h.tag else { continue };
            if doc[h.start..h.end] != g.cs_pats[pi as usize] {
                continue;
            }
            if followed_by_non_force(doc, h.end) {
                continue;
            }
            let rest = doc[h.end..].trim_start();
            if ["Office", "Gala", "Opera", "Museum", "Éireann", "Eireann"]
                .iter()
                .any(|w| rest.starts_with(w))
            {
                continue;
            }
            if let Tag::Ambig(k) = tag {
                ambig_hits.push((h.start, h.end, k));
                continue;
            }
            push_tag(tag, h.start, h.end, &mut cands);
        }
    }
    // descriptive aliases
    for cm in DESCRIPTIVE_ANY.find_iter(doc) {
        let Some(d) = DESCRIPTIVE.iter().find(|d| {
            d.re.find(cm.as_str())
                .is_some_and(|x| x.start() == 0 && x.end() == cm.len())
        }) else {
            continue;
        };
        {
            let m = cm;
            if suppress_uk {
                continue;
            }
            if m.as_str() == "Met" || m.as_str() == "the Met" {
                let rest = doc[m.end()..].trim_start();
                if !police_ctx
                    || [
                        "Office",
                        "Gala",
                        "Opera",
                        "Museum",
                        "Éireann",
                        "Eireann",
                        "Police Department",
                    ]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    continue;
                }
                if followed_by_non_force(doc, m.end()) {
                    continue;
                }
            }
            if followed_by_non_force(doc, m.end()) {
                continue;
            }
            cands.push(Mention {
                start: m.start(),
                end: m.end(),
                ids: d.ids.iter().map(|s| s.to_string()).collect(),
            });
        }
    }
    // place chains: "Norfolk and Suffolk police", "Beds, Cambs and Herts"
    let places: Vec<(usize, usize, usize)> = place_hits
        .iter()
        .filter_map(|h| {
            if let FTag::Place(i) = h.tag {
                Some((h.start, h.end, i))
            } else {
                None
            }
        })
        .collect();
    let mut i = 0;
    while i < places.len() {
        let mut j = i;
        while j + 1 < places.len() {
            let gap = &doc[places[j].1..places[j + 1].0];
            let gt = gap.trim();
            if matches!(gt, "and" | "&" | "," | ", and") && gap.len() <= 7 {
                j += 1;
            } else {
                break;
            }
        }
        if j > i {
            let ids: BTreeSet<String> = places[i..=j]
                .iter()
                .map(|h| g.forces[h.2].0.clone())
                .collect();
            let rest = doc[places[j].1..].to_ascii_lowercase();
            let rest = rest.trim_start();
            let suffixed = ["police", "constabular", "forces", "force", "cops"]
                .iter()
                .any(|w| rest.starts_with(w));
            let known = g.collabs.contains(&ids);
            let new_before = preceded_by_new(doc, places[i].0);
            if ids.len() > 1
                && (suffixed || known)
                && !suppress_uk
                && !new_before
                && !followed_by_county(doc, places[j].1)
            {
                let mut end = places[j].1;
                if suffixed {
                    let ws = doc[end..].len() - doc[end..].trim_start().len();
                    let word_len = doc[end + ws..]
                        .find(|c: char| !c.is_alphabetic())
                        .unwrap_or(doc.len() - end - ws);
                    end += ws + word_len;
                }
                cands.push(Mention {
                    start: places[i].0,
                    end,
                    ids,
                });
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    // departments the gazetteer may not know: "<Name> Police Department", "<Name> County
    // Sheriff's Office", "<Name> PD", ...
    let ldoc = doc.to_ascii_lowercase();
    let us_dept_possible = [
        "police dep",
        "sheriff",
        "department of police",
        "police bureau",
        "county police",
        "division of police",
    ]
    .iter()
    .any(|w| ldoc.contains(w))
        || doc.contains(" PD");
    // (start, end) of department-rule mentions whose id the gazetteer does not know
    let mut unknown_depts: Vec<(usize, usize)> = Vec::new();
    for c in US_DEPT.captures_iter(if us_dept_possible { doc } else { "" }) {
        let Some(d) = dept_name(doc, &c) else {
            continue;
        };
        if followed_by_non_force(doc, d.end) {
            continue;
        }
        let (start, mut id, known) = resolve_dept(g, doc, &d);
        if !known && d.toks == ["Metropolitan"] && d.loc.as_deref() == Some("Washington") {
            id = DC_MPD.to_string();
        }
        if !known && id != DC_MPD {
            unknown_depts.push((start, d.end));
        }
        cands.push(Mention {
            start,
            end: d.end,
            ids: std::iter::once(id).collect(),
        });
    }
    // ambiguous short forms ("MPD"): the body the document otherwise names or places
    for (s, e, k) in ambig_hits {
        let named: BTreeSet<&str> = cands
            .iter()
            .flat_map(|m| m.ids.iter().map(String::as_str))
            .collect();
        let bodies = &g.ambiguous[k].1;
        let mut picked: Vec<usize> = bodies
            .iter()
            .copied()
            .filter(|&i| named.contains(g.world[i].id.as_str()))
            .collect();
        if picked.is_empty() {
            picked = bodies
                .iter()
                .copied()
                .filter(|&i| g.world[i].context.iter().any(|w| has_word(doc, w)))
                .collect();
        }
        if let [i] = picked[..] {
            cands.push(Mention {
                start: s,
                end: e,
                ids: std::iter::once(g.world[i].id.clone()).collect(),
            });
        }
    }
    // resolve overlaps: longest first
    cands.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let mut out: Vec<Mention> = Vec::new();
    let mut sorted = cands.clone();
    sorted.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    for m in sorted {
        if out.iter().any(|o| m.start < o.end && o.start < m.end) {
            continue;
        }
        out.push(m);
    }
    out.sort_by_key(|m| m.start);
    one_slug_per_department(doc, &mut out, &unknown_depts);
    // Federal and international agencies (FBI, Europol, ...) named beside a police force are
    // nearly always helping it, not the breached body: keep them only when alone.
    let agency = |m: &Mention| m.ids.iter().all(|id| is_agency(g, id));
    if out.iter().any(|m| !agency(m)) {
        out.retain(|m| !agency(m));
    }
    out
}

fn is_agency(g: &Gazetteer, id: &str) -> bool {
    g.world_ids.get(id).is_some_and(|&i| g.world[i].agency)
}

/// A body outside the UK by id: (canonical name, country code, kind).
#[allow(dead_code)]
pub fn world_body(id: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let g = gazetteer();
    let i = *g.world_ids.get(id)?;
    let b = &g.world[i];
    Some((b.name.as_str(), b.country.as_str(), b.kind.as_str()))
}

/// All bodies outside the UK in the gazetteer.
#[allow(dead_code)]
pub fn all_world_bodies() -> &'static [WorldBody] {
    &gazetteer().world
}

const DC_MPD: &str = "us-dc-metropolitan-police-department";

/// One department, one id: a department the gazetteer does not know, named once with its city
/// and once without ("Las Vegas Metropolitan Police Department" ... "the Metropolitan Police
/// Department"), gets the id of the full name; a headline's run of capitalised words before a
/// department the text names plainly ("Hackers Hit Tulsa Police Department") gets the plain
/// name's id. A bare "Metropolitan Police Department" in a Washington, DC story is the DC force.
fn one_slug_per_department(doc: &str, out: &mut [Mention], unknown: &[(usize, usize)]) {
    if unknown.is_empty() {
        return;
    }
    let is_unknown = |m: &Mention| unknown.contains(&(m.start, m.end));
    let single = |m: &Mention| -> Option<String> {
        if m.ids.len() == 1 {
            m.ids.iter().next().cloned()
        } else {
            None
        }
    };
    let mut renames: Vec<(usize, String)> = Vec::new();
    for (i, m) in out.iter().enumerate() {
        if !is_unknown(m) {
            continue;
        }
        let Some(id) = single(m) else { continue };
        let Some((cc, rest)) = id.split_once('-') else {
            continue;
        };
        // longer names ending with this one
        let tail = format!("-{rest}");
        let longer: BTreeSet<String> = out
            .iter()
            .filter_map(single)
            .filter(|o| {
                o.len() > id.len() && o.starts_with(&format!("{cc}-")) && o.ends_with(&tail)
            })
            .collect();
        if longer.len() == 1 {
            let l = longer.into_iter().next().unwrap_or_default();
            let l_headline_only = out
                .iter()
                .filter(|o| single(o).as_deref() == Some(l.as_str()))
                .all(|o| is_unknown(o) && title_case_line(doc, o.start));
            if l_headline_only && !title_case_line(doc, m.start) {
                for (j, o) in out.iter().enumerate() {
                    if single(o).as_deref() == Some(l.as_str()) {
                        renames.push((j, id.clone()));
                    }
                }
            } else {
                renames.push((i, l));
            }
        } else if longer.is_empty() && id == "us-metropolitan-police-department" {
            let dc = doc.contains("Washington")
                || doc.contains("DC")
                || doc.contains("D.C.")
                || doc.contains("District of Columbia");
            if dc {
                renames.push((i, DC_MPD.to_string()));
            }
        }
    }
    for (j, id) in renames {
        out[j].ids = std::iter::once(id).collect();
    }
}

/// `w` occurs in `doc` as a whole word (or phrase).
fn has_word(doc: &str, w: &str) -> bool {
    doc.match_indices(w).any(|(i, _)| {
        let before = doc[..i].chars().next_back();
        let after = doc[i + w.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

/// Forces named by a source/outlet string (press releases).
pub fn forces_in_source(source: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    if source.trim().is_empty() {
        return ids;
    }
    for m in find_mentions(source) {
        ids.extend(m.ids);
    }
    ids
}

pub fn force_name(id: &str) -> Option<&'static str> {
    gazetteer()
        .forces
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| n.as_str())
}

pub fn all_uk_forces() -> Vec<(&'static str, &'static str)> {
    gazetteer()
        .forces
        .iter()
        .map(|(i, n)| (i.as_str(), n.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<Vec<String>> {
        find_mentions(text)
            .into_iter()
            .map(|m| m.ids.into_iter().collect())
            .collect()
    }

    fn flat(text: &str) -> BTreeSet<String> {
        find_mentions(text)
            .into_iter()
            .flat_map(|m| m.ids)
            .collect()
    }

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

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
    fn uk_force_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Officers of the Metropolitan Police were told.",
                &["metropolitan"],
            ),
            (
                "Scotland Yard said the police officers were safe.",
                &["metropolitan"],
            ),
            ("The Met said its officers were warned.", &["metropolitan"]),
            ("MPs criticised the police over the breach.", &[]),
            (
                "The MPS said its police officers were affected.",
                &["metropolitan"],
            ),
            (
                "South Wales Police said officers were affected.",
                &["south-wales"],
            ),
            (
                "New South Wales Police said officers charged a man.",
                &["au-new-south-wales-police-force"],
            ),
            (
                "Heddlu De Cymru said police data was exposed.",
                &["south-wales"],
            ),
            (
                "Heddlu Gogledd Cymru apologised to officers.",
                &["north-wales"],
            ),
            (
                "Avon and Somerset Police apologised.",
                &["avon-and-somerset"],
            ),
            (
                "Devon and Cornwall Police apologised.",
                &["devon-and-cornwall"],
            ),
            (
                "Norfolk and Suffolk police released data.",
                &["norfolk", "suffolk"],
            ),
            (
                "Norfolk and Suffolk Constabularies statement",
                &["norfolk", "suffolk"],
            ),
            (
                "The two East Anglian constabularies share a department.",
                &["norfolk", "suffolk"],
            ),
            (
                "Surrey and Sussex police were reprimanded.",
                &["surrey", "sussex"],
            ),
            (
                "Larger Manchester Police officers were hit.",
                &["greater-manchester"],
            ),
            (
                "The UK's third largest police force covers ten boroughs.",
                &["greater-manchester"],
            ),
            (
                "The UK’s third largest police power covers ten boroughs.",
                &["greater-manchester"],
            ),
            (
                "Britain's largest force was keen to stress the police view.",
                &["metropolitan"],
            ),
            (
                "Northern Ireland's police service is now working on it.",
                &["northern-ireland"],
            ),
            (
                "Scotland's national force fined after breach by police.",
                &["police-scotland"],
            ),
            (
                "The PSNI said officers were at risk.",
                &["northern-ireland"],
            ),
            (
                "Cumbria's police, fire and crime commissioner said.",
                &["cumbria"],
            ),
            ("Cumbrian cops accidentally publish pay.", &["cumbria"]),
            (
                "The Royal Ulster Constabulary files were lost by police.",
                &["northern-ireland"],
            ),
            (
                "Strathclyde Police records were lost.",
                &["police-scotland"],
            ),
            (
                "British Transport Police said officers' data leaked.",
                &["btp"],
            ),
            (
                "Beds, Cambs and Herts police share a privacy notice.",
                &["bedfordshire", "cambridgeshire", "hertfordshire"],
            ),
            (
                "The Metropolitan Police Federation said police officers were furious.",
                &[],
            ),
            (
                "The Greater Manchester Police Federation chair spoke for police.",
                &[],
            ),
            (
                "The Scottish Police Federation contacted her about police data.",
                &[],
            ),
            (
                "Dyfed-Powys Police said its officers were fine.",
                &["dyfed-powys"],
            ),
            ("the DPP said police had charged him", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(flat(text), set(want), "text: {text}");
        }
    }

    #[test]
    fn us_and_other() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The Dallas Police Department said files were deleted.",
                &["us-dallas-police-department"],
            ),
            (
                "The LAPD said officers were affected.",
                &["us-los-angeles-police-department"],
            ),
            (
                "The Los Angeles Police Department said data was taken.",
                &["us-los-angeles-police-department"],
            ),
            (
                "The Metropolitan Police Department in Washington, DC confirmed access.",
                &["us-dc-metropolitan-police-department"],
            ),
            (
                "Washington's Metropolitan Police Department was hit.",
                &["us-dc-metropolitan-police-department"],
            ),
            (
                "Suffolk County police on Long Island said the FBI helped.",
                &["us-suffolk-county-police-department"],
            ),
            (
                "The Las Vegas Metropolitan Police Department said.",
                &["us-las-vegas-metropolitan-police-department"],
            ),
            (
                "Cook County Sheriff's Office said records leaked.",
                &["us-cook-county-sheriffs-office"],
            ),
            (
                "The Los Angeles Police Protective League said officers were angry.",
                &[],
            ),
            (
                "Victoria Police said the data of officers leaked.",
                &["au-victoria-police"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(flat(text), set(want), "text: {text}");
        }
    }

    #[test]
    fn separate_mentions_kept_apart() {
        let v = ids("Humberside Police lost disks meant for Cleveland Police.");
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn slugging() {
        assert_eq!(slug("dc metropolitan"), "dc-metropolitan");
        assert_eq!(slug("St. Louis"), "st-louis");
        assert_eq!(slug("Sûreté du Québec"), "surete-du-quebec");
        assert_eq!(slug("Prince George's County"), "prince-georges-county");
    }
    #[test]
    fn world_gazetteer_follows_the_id_rule() {
        let bodies = all_world_bodies();
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
        assert_eq!(
            world_body("ca-surete-du-quebec"),
            Some(("Sûreté du Québec", "ca", "state"))
        );
        let us = bodies.iter().filter(|b| b.country == "us").count();
        assert!(us >= 80, "{us} US bodies");
    }

    #[test]
    fn world_bodies_by_name_alias_and_place() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Detectives of the Phoenix Police Department said records leaked.",
                &["us-phoenix-police-department"],
            ),
            (
                "Phoenix police said the officers' files were copied.",
                &["us-phoenix-police-department"],
            ),
            (
                "A Phoenix PD spokesperson said officers were told.",
                &["us-phoenix-police-department"],
            ),
            (
                "The NYPD said the officers' names were posted.",
                &["us-new-york-city-police-department"],
            ),
            (
                "The New York Police Department said officers were told.",
                &["us-new-york-city-police-department"],
            ),
            (
                "Deputies of the Maricopa County Sheriff's Office were named in the files.",
                &["us-maricopa-county-sheriffs-office"],
            ),
            (
                "Harris County Sheriff Jane Roe said deputies' data leaked.",
                &["us-harris-county-sheriffs-office"],
            ),
            (
                "The LASD said deputies and other officers were warned.",
                &["us-los-angeles-county-sheriffs-department"],
            ),
            (
                "The Los Angeles County Sheriff's Office told deputies and officers.",
                &["us-los-angeles-county-sheriffs-department"],
            ),
            (
                "Officers of the Sûreté du Québec were affected.",
                &["ca-surete-du-quebec"],
            ),
            (
                "The OPP said officers' records were exposed.",
                &["ca-ontario-provincial-police"],
            ),
            (
                "The Toronto Police Department said officers were told.",
                &["ca-toronto-police-service"],
            ),
            (
                "An Garda Síochána said officers' data was exposed.",
                &["ie-an-garda-siochana"],
            ),
            (
                "A Garda spokesman said officers were told.",
                &["ie-an-garda-siochana"],
            ),
            (
                "The Politie said officers' names were leaked.",
                &["nl-national-police"],
            ),
            (
                "The Guardia Civil said its officers' files were copied.",
                &["es-civil-guard"],
            ),
            (
                "Queensland Police said officers were affected.",
                &["au-queensland-police-service"],
            ),
            (
                "The Australian Federal Police said officers' data leaked.",
                &["au-australian-federal-police"],
            ),
            (
                "The national police force of the country said officers were told.",
                &[],
            ),
            ("Federal Police officers in the capital were told.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(flat(text), set(want), "text: {text}");
        }
    }

    #[test]
    fn one_department_name_gives_one_id() {
        // a department the gazetteer does not know
        for text in [
            "The Greenvale Police Department said officers' files leaked.",
            "Officers of the Greenvale police department were told.",
            "A Greenvale PD spokesperson said officers were told.",
            "Greenvale's police department said officers were told.",
            "Ransomware Gang Hits Greenvale Police Department\n\nThe Greenvale Police Department said officers were told.",
        ] {
            assert_eq!(
                flat(text),
                set(&["us-greenvale-police-department"]),
                "text: {text}"
            );
        }
        // named with and without its city
        assert_eq!(
            flat("The Greenvale Metropolitan Police Department said officers were affected. The Metropolitan Police Department later apologised."),
            set(&["us-greenvale-metropolitan-police-department"])
        );
        assert_eq!(
            flat("The Greenvale County Sheriff's Office said deputies were told. Greenvale County Sheriff John Doe apologised to officers."),
            set(&["us-greenvale-county-sheriffs-office"])
        );
        // a known department behind a headline's capitalised words
        assert_eq!(
            flat("Hackers Leak Files Of Dallas Police Department Officers\n\nThe department said officers were told."),
            set(&["us-dallas-police-department"])
        );
        // a different city whose name ends like a known one stays itself
        assert_eq!(
            flat("The North Miami Police Department said officers were told."),
            set(&["us-north-miami-police-department"])
        );
        // a police union is not the department
        assert_eq!(
            flat(
                "The Greenvale Police Department Benevolent Association said officers were angry."
            ),
            set(&[])
        );
    }

    #[test]
    fn county_and_city_departments_kept_apart() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The Suffolk County Police Department in New York said officers were told.",
                &["us-suffolk-county-police-department"],
            ),
            (
                "Suffolk County police said officers were told.",
                &["us-suffolk-county-police-department"],
            ),
            (
                "Suffolk Police said officers' data was lost.",
                &["suffolk"],
            ),
            (
                "The Nassau County PD said officers were told.",
                &["us-nassau-county-police-department"],
            ),
            (
                "The Dallas County Sheriff's Office and the Dallas Police Department said officers were told.",
                &[
                    "us-dallas-county-sheriffs-office",
                    "us-dallas-police-department",
                ],
            ),
            (
                "The Miami-Dade Police Department said officers were told.",
                &["us-miami-dade-police-department"],
            ),
            (
                "Miami police said officers were told.",
                &["us-miami-police-department"],
            ),
            (
                "The Baltimore County Police Department said officers were told.",
                &["us-baltimore-county-police-department"],
            ),
            (
                "Baltimore police said officers were told.",
                &["us-baltimore-police-department"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(flat(text), set(want), "text: {text}");
        }
    }

    #[test]
    fn metropolitan_and_mpd_homonyms() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The Metropolitan Police Department in Washington, DC said officers were told.",
                &["us-dc-metropolitan-police-department"],
            ),
            (
                "The MPD in Washington, D.C. said officers were told.",
                &["us-dc-metropolitan-police-department"],
            ),
            (
                "In Minneapolis, the MPD said officers were told.",
                &["us-minneapolis-police-department"],
            ),
            (
                "The Memphis Police Department said officers were told; MPD staff were warned.",
                &["us-memphis-police-department"],
            ),
            // no place to pick one of the several MPDs
            ("The MPD said officers were told.", &[]),
            // London's Met
            (
                "The Metropolitan Police said officers' data was lost.",
                &["metropolitan"],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(flat(text), set(want), "text: {text}");
        }
    }

    #[test]
    fn agencies_count_only_alone() {
        assert_eq!(
            flat("The Fresno Police Department said the FBI was helping officers."),
            set(&["us-fresno-police-department"])
        );
        assert_eq!(
            flat("The FBI said the personal data of agents and police officers was stolen."),
            set(&["us-federal-bureau-of-investigation"])
        );
        assert_eq!(
            flat("Europol said officers from several forces were told; Dutch police led the inquiry."),
            set(&["nl-national-police"])
        );
    }
}
