//! The department-name rule: police departments and sheriff's offices the gazetteer may not
//! know (`<Name> Police Department`, `<Name> County Sheriff's Office`, `<Name> PD`, ...) get an
//! id of the form `us-<slug of name>-<kind>`, resolved against the gazetteer when it knows the
//! name in another form, and made one id per department ([`one_id_per_department`]).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::gazetteer::Gazetteer;
use super::mentions::{followed_by_non_force, DocumentContext};
use super::Mention;

/// `<Name words> <kind>`: the name (group 1, up to six capitalised words) and the kind
/// (group 2).
static DEPARTMENT: LazyLock<Regex> = LazyLock::new(|| {
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

/// Words that open a sentence or a phrase, never a department's name.
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

/// Washington, DC's Metropolitan Police Department.
const DC_MPD: &str = "us-dc-metropolitan-police-department";

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
struct DepartmentName<'a> {
    words: Vec<&'a str>,
    /// Byte offset of the first name word in the haystack.
    start: usize,
    /// Byte offset just past the kind phrase.
    end: usize,
    /// The kind's id part ([`kind_slug`]).
    kind: &'static str,
    /// "Washington's Metropolitan Police Department": the possessive place.
    possessive_place: Option<String>,
}

/// The department a [`DEPARTMENT`] match names, without the words that open the phrase;
/// `None` when no name is left or the name is generic.
fn department_name<'a>(c: &regex::Captures<'a>) -> Option<DepartmentName<'a>> {
    let whole = c.get(0)?;
    let name_match = c.get(1)?;
    let kind = kind_slug(c.get(2)?.as_str());
    let words: Vec<&str> = name_match
        .as_str()
        .split_whitespace()
        .map(|t| t.trim_end_matches(','))
        .collect();
    // drop leading stop words / possessive locations
    let mut first_word = 0;
    let mut possessive_place: Option<String> = None;
    for (k, t) in words.iter().enumerate() {
        if STOP_LEAD.contains(t) {
            first_word = k + 1;
            possessive_place = None;
        } else if t.ends_with("'s") || t.ends_with("’s") {
            possessive_place = Some(t.trim_end_matches("'s").trim_end_matches("’s").to_string());
            first_word = k + 1;
        }
    }
    let mut name_words: Vec<&str> = words[first_word.min(words.len())..].to_vec();
    if name_words.is_empty() {
        // "Dallas's police department": the possessive is the name
        let place = possessive_place.take()?;
        let word = words.iter().rev().find(|t| t.starts_with(place.as_str()))?;
        name_words.push(&word[..place.len()]);
    }
    if name_words.iter().all(|t| GENERIC_NAME.contains(t)) {
        return None;
    }
    if kind == "police-department" && c.get(2)?.as_str() == "PD" && name_words.len() > 3 {
        return None;
    }
    let offset = name_match.as_str().find(name_words[0]).unwrap_or(0);
    let start = (name_match.start() + offset).min(whole.end());
    Some(DepartmentName {
        words: name_words,
        start,
        end: whole.end(),
        kind,
        possessive_place,
    })
}

/// The id the rule gives a department of these name words and kind.
fn rule_id(words: &[&str], kind: &str) -> String {
    format!("us-{}-{kind}", slug(&words.join(" ")))
}

/// The department-rule id of a phrase that is wholly one department name, without document
/// context ("Toronto Police Department" -> `us-toronto-police-department`).
pub fn department_rule_id(phrase: &str) -> Option<String> {
    let c = DEPARTMENT.captures(phrase)?;
    let d = department_name(&c)?;
    if d.start != 0 || d.end != phrase.len() {
        return None;
    }
    Some(rule_id(&d.words, d.kind))
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

/// Whether `pos` opens a sentence (after opening quotes or brackets).
fn sentence_initial(doc: &str, pos: usize) -> bool {
    let before = doc[..pos].trim_end_matches([' ', '\u{a0}', '"', '“', '‘', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

/// A department the rule found, resolved against the gazetteer.
struct ResolvedDepartment {
    /// Where the mention starts (later than the rule's name when opening words were dropped).
    start: usize,
    /// The gazetteer's id, or the rule's own.
    id: String,
    /// Whether the gazetteer knows the department.
    known: bool,
}

/// The longest tail of a department's name the gazetteer knows, when the words before it are a
/// headline's or a sentence's opening words; else the rule's own id.
fn resolve_department(g: &Gazetteer, doc: &str, d: &DepartmentName) -> ResolvedDepartment {
    let known = |raw: &str| -> Option<String> {
        if g.world_index.contains_key(raw) {
            Some(raw.to_string())
        } else {
            g.department_aliases.get(raw).cloned()
        }
    };
    let full = rule_id(&d.words, d.kind);
    if let Some(id) = known(&full) {
        return ResolvedDepartment {
            start: d.start,
            id,
            known: true,
        };
    }
    let headline = title_case_line(doc, d.start);
    let opening = sentence_initial(doc, d.start) && !PLACE_PREFIX.contains(&d.words[0]);
    for k in 1..d.words.len() {
        if !(headline || (k == 1 && opening)) {
            break;
        }
        if let Some(id) = known(&rule_id(&d.words[k..], d.kind)) {
            let offset = doc[d.start..].find(d.words[k]).unwrap_or(0);
            return ResolvedDepartment {
                start: d.start + offset,
                id,
                known: true,
            };
        }
    }
    ResolvedDepartment {
        start: d.start,
        id: full,
        known: false,
    }
}

/// Department mentions found by the rule, in document order, and the (start, end) of those
/// whose id the gazetteer does not know (for [`one_id_per_department`]).
pub fn department_mentions(ctx: &DocumentContext) -> (Vec<Mention>, Vec<(usize, usize)>) {
    let doc = ctx.doc;
    let mut mentions = Vec::new();
    let mut unknown = Vec::new();
    let lower = doc.to_ascii_lowercase();
    let possible = [
        "police dep",
        "sheriff",
        "department of police",
        "police bureau",
        "county police",
        "division of police",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || doc.contains(" PD");
    if !possible {
        return (mentions, unknown);
    }
    for c in DEPARTMENT.captures_iter(doc) {
        let Some(d) = department_name(&c) else {
            continue;
        };
        if followed_by_non_force(doc, d.end) {
            continue;
        }
        let ResolvedDepartment {
            start,
            mut id,
            known,
        } = resolve_department(ctx.gazetteer, doc, &d);
        if !known
            && d.words == ["Metropolitan"]
            && d.possessive_place.as_deref() == Some("Washington")
        {
            id = DC_MPD.to_string();
        }
        if !known && id != DC_MPD {
            unknown.push((start, d.end));
        }
        mentions.push(Mention {
            start,
            end: d.end,
            ids: std::iter::once(id).collect(),
        });
    }
    (mentions, unknown)
}

/// One department, one id: a department the gazetteer does not know, named once with its city
/// and once without ("Las Vegas Metropolitan Police Department" ... "the Metropolitan Police
/// Department"), gets the id of the full name; a headline's run of capitalised words before a
/// department the text names plainly ("Hackers Hit Tulsa Police Department") gets the plain
/// name's id. A bare "Metropolitan Police Department" in a Washington, DC story is the DC force.
pub fn one_id_per_department(doc: &str, out: &mut [Mention], unknown: &[(usize, usize)]) {
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
            let longer_id = longer.into_iter().next().unwrap_or_default();
            let longer_in_headlines_only = out
                .iter()
                .filter(|o| single(o).as_deref() == Some(longer_id.as_str()))
                .all(|o| is_unknown(o) && title_case_line(doc, o.start));
            if longer_in_headlines_only && !title_case_line(doc, m.start) {
                for (j, o) in out.iter().enumerate() {
                    if single(o).as_deref() == Some(longer_id.as_str()) {
                        renames.push((j, id.clone()));
                    }
                }
            } else {
                renames.push((i, longer_id));
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

/// The id form of a name: ASCII letters and digits, lowercase, words joined by `-`
/// ("St. Louis" -> "st-louis", "Sûreté du Québec" -> "surete-du-quebec").
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        let c = fold_diacritic(c);
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
fn fold_diacritic(c: char) -> char {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugging() {
        assert_eq!(slug("dc metropolitan"), "dc-metropolitan");
        assert_eq!(slug("St. Louis"), "st-louis");
        assert_eq!(slug("Sûreté du Québec"), "surete-du-quebec");
        assert_eq!(slug("Prince George's County"), "prince-georges-county");
    }
}
