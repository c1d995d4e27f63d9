//! Force gazetteer (UK from uk_forces.json, plus a small non-UK table) and mention finding.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::Hit;

static RAW: &str = include_str!("../../data/uk_forces.json");

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
    /// index into INTL
    Intl(usize),
}

pub struct Gazetteer {
    pub forces: Vec<(String, String)>,
    pub collabs: Vec<BTreeSet<String>>,
    multi: Vec<BTreeSet<String>>,
    /// (phrase, tag) pairs for the shared document lexicon
    pub pairs: Vec<(String, FTag)>,
    cs_pats: Vec<String>,
}

/// Non-UK bodies: (phrase, id, case_sensitive).
const INTL: &[(&str, &str, bool)] = &[
    (
        "New South Wales Police Force",
        "au-new-south-wales-police",
        false,
    ),
    ("New South Wales Police", "au-new-south-wales-police", false),
    ("NSW Police Force", "au-new-south-wales-police", false),
    ("NSW Police", "au-new-south-wales-police", false),
    ("Victoria Police", "au-victoria-police", false),
    (
        "Queensland Police Service",
        "au-queensland-police-service",
        false,
    ),
    ("Queensland Police", "au-queensland-police-service", false),
    (
        "Australian Federal Police",
        "au-australian-federal-police",
        false,
    ),
    (
        "Western Australia Police",
        "au-western-australia-police",
        false,
    ),
    ("South Australia Police", "au-south-australia-police", false),
    ("Tasmania Police", "au-tasmania-police", false),
    (
        "Northern Territory Police",
        "au-northern-territory-police",
        false,
    ),
    ("New Zealand Police", "nz-new-zealand-police", false),
    (
        "Royal Canadian Mounted Police",
        "ca-royal-canadian-mounted-police",
        false,
    ),
    ("RCMP", "ca-royal-canadian-mounted-police", true),
    (
        "Ontario Provincial Police",
        "ca-ontario-provincial-police",
        false,
    ),
    ("Toronto Police Service", "ca-toronto-police-service", false),
    (
        "Vancouver Police Department",
        "ca-vancouver-police-department",
        false,
    ),
    ("Dutch police", "nl-national-police", false),
    ("Netherlands police", "nl-national-police", false),
    ("Dutch National Police", "nl-national-police", false),
    ("An Garda Síochána", "ie-an-garda-siochana", false),
    ("Garda Síochána", "ie-an-garda-siochana", false),
    ("Gardaí", "ie-an-garda-siochana", false),
    ("Singapore Police Force", "sg-singapore-police-force", false),
    ("Hong Kong Police Force", "hk-hong-kong-police-force", false),
    ("Hong Kong police", "hk-hong-kong-police-force", false),
    (
        "Philippine National Police",
        "ph-philippine-national-police",
        false,
    ),
    ("Royal Malaysia Police", "my-royal-malaysia-police", false),
    (
        "South African Police Service",
        "za-south-african-police-service",
        false,
    ),
    ("Nigeria Police Force", "ng-nigeria-police-force", false),
    ("Kenya Police Service", "ke-kenya-police-service", false),
    ("Delhi Police", "in-delhi-police", false),
    ("Mumbai Police", "in-mumbai-police", false),
    ("Kolkata Police", "in-kolkata-police", false),
    ("Hyderabad Police", "in-hyderabad-police", false),
    ("Bengaluru Police", "in-bengaluru-police", false),
    ("Tamil Nadu Police", "in-tamil-nadu-police", false),
    ("Kerala Police", "in-kerala-police", false),
    ("Telangana Police", "in-telangana-police", false),
    ("Maharashtra Police", "in-maharashtra-police", false),
    ("Uttar Pradesh Police", "in-uttar-pradesh-police", false),
    ("Karnataka Police", "in-karnataka-police", false),
    ("Punjab Police", "in-punjab-police", false),
    ("Gujarat Police", "in-gujarat-police", false),
    ("Rajasthan Police", "in-rajasthan-police", false),
    ("West Bengal Police", "in-west-bengal-police", false),
    ("Andhra Pradesh Police", "in-andhra-pradesh-police", false),
    ("Haryana Police", "in-haryana-police", false),
    ("Polizei", "de-police", false),
    ("German police", "de-police", false),
    ("French police", "fr-national-police", false),
    ("Police nationale", "fr-national-police", false),
    ("Gendarmerie", "fr-gendarmerie", false),
    ("Belgian police", "be-federal-police", false),
    ("Finnish police", "fi-police", false),
    (
        "Swedish Police Authority",
        "se-swedish-police-authority",
        false,
    ),
    ("Swedish police", "se-swedish-police-authority", false),
    ("Norwegian police", "no-norwegian-police-service", false),
    ("Danish police", "dk-danish-police", false),
    ("Israel Police", "il-israel-police", false),
    ("Israeli police", "il-israel-police", false),
    ("Japanese police", "jp-national-police-agency", false),
    (
        "Chicago Police Department",
        "us-chicago-police-department",
        false,
    ),
    ("Ontario police", "ca-ontario-provincial-police", false),
    ("Garda", "ie-an-garda-siochana", true),
    ("LAPD", "us-los-angeles-police-department", true),
    (
        "Los Angeles police",
        "us-los-angeles-police-department",
        false,
    ),
    ("NYPD", "us-new-york-police-department", true),
    ("New York police", "us-new-york-police-department", false),
    (
        "New York City police",
        "us-new-york-police-department",
        false,
    ),
    ("SFPD", "us-san-francisco-police-department", true),
    ("Dallas police", "us-dallas-police-department", false),
    ("Houston police", "us-houston-police-department", false),
    ("Chicago police", "us-chicago-police-department", false),
    ("Baltimore police", "us-baltimore-police-department", false),
    ("Atlanta police", "us-atlanta-police-department", false),
    ("Seattle police", "us-seattle-police-department", false),
    ("Phoenix police", "us-phoenix-police-department", false),
    ("Denver police", "us-denver-police-department", false),
    ("Boston police", "us-boston-police-department", false),
    (
        "Philadelphia police",
        "us-philadelphia-police-department",
        false,
    ),
    ("Detroit police", "us-detroit-police-department", false),
    ("Miami police", "us-miami-police-department", false),
    ("Oakland police", "us-oakland-police-department", false),
    (
        "Minneapolis police",
        "us-minneapolis-police-department",
        false,
    ),
    (
        "San Francisco police",
        "us-san-francisco-police-department",
        false,
    ),
    ("DC police", "us-dc-metropolitan-police-department", false),
    ("D.C. police", "us-dc-metropolitan-police-department", false),
    (
        "Washington DC police",
        "us-dc-metropolitan-police-department",
        false,
    ),
    (
        "Washington, DC police",
        "us-dc-metropolitan-police-department",
        false,
    ),
    (
        "Washington police department",
        "us-dc-metropolitan-police-department",
        false,
    ),
    (
        "Metropolitan Police Department of the District of Columbia",
        "us-dc-metropolitan-police-department",
        false,
    ),
];

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
    // "the Met"/"Met" must be case-sensitive
    for (i, (p, _, cs)) in INTL.iter().enumerate() {
        if *cs {
            cs_p.push(p.to_string());
            cs_t.push(Tag::Intl(i));
        } else {
            ci_p.push(p.to_string());
            ci_t.push(Tag::Intl(i));
        }
    }
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
    Regex::new(r"(?-u:\b)((?:[A-Z][A-Za-z.'’-]*,?\s+){1,6}?)(Police Department|Police Dept\.?|Sheriff['’]s Office|Sheriff['’]s Department|Department of Police|Police Bureau|County Police|County police|Division of Police)").unwrap()
});

const STOP_LEAD: &[&str] = &[
    "The", "A", "An", "In", "At", "For", "From", "By", "With", "After", "Both", "Of", "And", "But",
    "When", "While", "Last", "This", "That", "Its", "Their", "Our", "Then", "If", "As", "On", "To",
    "Into", "Former", "Retired", "Local", "City",
];

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
            Tag::Intl(i) => std::iter::once(INTL[i].1.to_string()).collect(),
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
    // US departments
    let us_dept_possible = [
        "Police Department",
        "Police Dept",
        "Sheriff",
        "Department of Police",
        "Police Bureau",
        "County Police",
        "County police",
        "Division of Police",
    ]
    .iter()
    .any(|w| doc.contains(w));
    for c in US_DEPT.captures_iter(if us_dept_possible { doc } else { "" }) {
        let whole = c.get(0).unwrap();
        let name_m = c.get(1).unwrap();
        let kind = c.get(2).unwrap().as_str();
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
            } else if t.ends_with("'s") || t.ends_with("’s") {
                loc = Some(t.trim_end_matches("'s").trim_end_matches("’s").to_string());
                start_tok = k + 1;
            }
        }
        let name_toks = &toks[start_tok.min(toks.len())..];
        if name_toks.is_empty() {
            continue;
        }
        let mut name = name_toks.join(" ");
        let kind_slug = match kind {
            k if k.starts_with("Sheriff") => "sheriffs-office",
            k if k.starts_with("County") => "county-police-department",
            k if k.starts_with("Police Bureau") => "police-bureau",
            k if k.starts_with("Division") => "division-of-police",
            _ => "police-department",
        };
        if name == "Metropolitan" {
            let dc = loc.as_deref() == Some("Washington")
                || doc.contains("Washington")
                || doc.contains("DC")
                || doc.contains("D.C.")
                || doc.contains("District of Columbia");
            if dc {
                name = "dc metropolitan".to_string();
            }
        }
        let prefix = if [
            "Toronto",
            "Vancouver",
            "Ottawa",
            "Calgary",
            "Edmonton",
            "Winnipeg",
            "Montreal",
        ]
        .contains(&name.as_str())
        {
            "ca"
        } else {
            "us"
        };
        let id = format!("{prefix}-{}-{kind_slug}", slug(&name));
        let s = name_m.start() + name_m.as_str().find(name_toks[0]).unwrap_or(0);
        cands.push(Mention {
            start: s.min(whole.end()),
            end: whole.end(),
            ids: std::iter::once(id).collect(),
        });
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
    out
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
                &["au-new-south-wales-police"],
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
    }
}
