//! Count and money extraction.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Qualifier, Unit};

/// A count candidate inside a sentence (absolute byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct CountCand {
    pub value: u64,
    pub qualifier: Qualifier,
    pub unit: Unit,
    pub start: usize,
    pub end: usize,
    /// "in all", "in total", a sum of components, ...
    pub total: bool,
    /// "N of them": a subset of an earlier figure
    pub subset: bool,
    pub summed: bool,
}

static NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:k|m|bn|million|billion|thousand|lakhs?|crores?)(?-u:\b))?").unwrap()
});

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(US\$|£|\$|€|GBP\s?|USD\s?|EUR\s?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:k|m|bn|million|billion|thousand)(?-u:\b))?").unwrap()
});

const WORD_NUMS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const MULTS: &[(&str, u64)] = &[
    ("dozen", 12),
    ("hundred", 100),
    ("thousand", 1_000),
    ("lakh", 100_000),
    ("lakhs", 100_000),
    ("million", 1_000_000),
    ("crore", 10_000_000),
    ("crores", 10_000_000),
    ("billion", 1_000_000_000),
];

const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "person",
    "individuals",
    "officers",
    "officer",
    "staff",
    "employees",
    "personnel",
    "workers",
    "members",
    "victims",
    "customers",
    "applicants",
    "recruits",
    "residents",
    "patients",
    "parents",
    "pupils",
    "students",
    "users",
    "citizens",
    "recipients",
    "callers",
    "workforce",
    "colleagues",
    "constables",
    "pcsos",
    "trainees",
    "children",
    "clients",
    "households",
    "complainants",
    "witnesses",
    "suspects",
    "informants",
    "detectives",
    "civilians",
    "employees'",
    "officers'",
    "staffers",
    "agents",
    "deputies",
    "troopers",
    "men",
    "women",
    "motorists",
    "drivers",
    "families",
    "folks",
    "individuals'",
    "people's",
    "particular",
    "cops",
    "coppers",
    "serving",
    "offenders",
    "survivors",
    "prisoners",
    "inmates",
];
const ACTOR_VERBS: &[&str] = &[
    "downloaded",
    "installed",
    "used",
    "applied",
    "joined",
    "signed",
    "received",
    "took",
    "made",
    "brought",
    "filed",
    "launched",
    "complained",
    "opted",
    "voted",
    "attended",
    "completed",
    "responded",
    "replied",
    "use",
    "download",
];
const RECORDS: &[&str] = &[
    "records",
    "entries",
    "rows",
    "details",
    "accounts",
    "profiles",
    "documents",
    "items",
    "datasets",
    "record",
];
const FILES: &[&str] = &[
    "files",
    "pieces",
    "clips",
    "videos",
    "recordings",
    "calls",
    "conversations",
    "images",
    "photos",
    "photographs",
    "tapes",
    "emails",
    "messages",
    "footage",
    "cassettes",
    "discs",
    "disks",
    "audio",
];
const STOP: &[&str] = &[
    "cases",
    "case",
    "claims",
    "claim",
    "breaches",
    "breach",
    "incidents",
    "incident",
    "years",
    "year",
    "months",
    "month",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "weeks",
    "pages",
    "terabytes",
    "gigabytes",
    "tb",
    "gb",
    "mb",
    "per",
    "percent",
    "pounds",
    "dollars",
    "euros",
    "times",
    "miles",
    "boroughs",
    "forces",
    "stations",
    "offences",
    "crimes",
    "arrests",
    "complaints",
    "requests",
    "responses",
    "fines",
    "recommendations",
    "priorities",
    "reports",
    "counties",
    "areas",
    "sites",
    "companies",
    "organisations",
    "organizations",
    "councils",
    "countries",
    "was",
    "were",
    "is",
    "are",
    "had",
    "have",
    "has",
    "been",
    "being",
    "will",
    "would",
    "could",
    "may",
    "might",
    "said",
    "or",
    "to",
    "in",
    "on",
    "at",
    "by",
    "from",
    "with",
    "after",
    "before",
    "than",
    "since",
    "between",
    "during",
    "aged",
    "year-old",
    "which",
    "who",
    "that",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// (phrase at end of preceding text, qualifier); longest first.
const QUALS: &[(&str, Qualifier)] = &[
    ("in excess of", Qualifier::AtLeast),
    ("upwards of", Qualifier::AtLeast),
    ("greater than", Qualifier::AtLeast),
    ("more than", Qualifier::AtLeast),
    ("just over", Qualifier::AtLeast),
    ("at least", Qualifier::AtLeast),
    ("over", Qualifier::AtLeast),
    ("above", Qualifier::AtLeast),
    ("as many as", Qualifier::AtMost),
    ("fewer than", Qualifier::AtMost),
    ("less than", Qualifier::AtMost),
    ("just under", Qualifier::AtMost),
    ("up to", Qualifier::AtMost),
    ("under", Qualifier::AtMost),
    ("an estimated", Qualifier::Approx),
    ("estimated", Qualifier::Approx),
    ("approximately", Qualifier::Approx),
    ("roughly", Qualifier::Approx),
    ("around", Qualifier::Approx),
    ("round", Qualifier::Approx),
    ("about", Qualifier::Approx),
    ("nearly", Qualifier::Approx),
    ("almost", Qualifier::Approx),
    ("close to", Qualifier::Approx),
    ("circa", Qualifier::Approx),
    ("some", Qualifier::Approx),
    ("approx.", Qualifier::Approx),
    ("c.", Qualifier::Approx),
    ("~", Qualifier::Approx),
];

fn qualifier_before(before: &str) -> Qualifier {
    let b = before.trim_end().to_ascii_lowercase();
    // allow "all its", "all of the" etc between qualifier and number
    for (q, v) in QUALS {
        if b.ends_with(q) {
            let pre = &b[..b.len() - q.len()];
            if pre.is_empty() || !pre.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                return *v;
            }
        }
    }
    Qualifier::Exact
}

fn mult_of(s: &str) -> f64 {
    match s.trim().to_ascii_lowercase().as_str() {
        "k" | "thousand" => 1e3,
        "m" | "million" => 1e6,
        "bn" | "billion" => 1e9,
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
        _ => 1.0,
    }
}

fn words_after(s: &str, n: usize) -> Vec<(usize, usize, String)> {
    // (rel_start, rel_end, lowercase word); punctuation other than hyphen/apostrophe stops the scan
    let mut out = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() && out.len() < n {
        let c = s[i..].chars().next().unwrap_or(' ');
        if c == ' ' || c == '\u{a0}' {
            i += c.len_utf8();
            continue;
        }
        if c.is_alphanumeric() {
            let st = i;
            while i < s.len() {
                let c2 = s[i..].chars().next().unwrap_or(' ');
                if c2.is_alphanumeric() || c2 == '-' || c2 == '\'' || c2 == '’' {
                    i += c2.len_utf8();
                } else {
                    break;
                }
            }
            out.push((st, i, s[st..i].to_lowercase().replace('’', "'")));
            continue;
        }
        let _ = b;
        break;
    }
    out
}

/// Look for a population noun after a number. Returns (unit, subset).
fn noun_after(after: &str) -> Option<(Unit, bool)> {
    let ws = words_after(after, 8);
    // "-year-old" etc glued by hyphen
    if after.starts_with('-') {
        return None;
    }
    for (k, (_, _, w)) in ws.iter().enumerate() {
        let w = w.trim_end_matches("'s").trim_end_matches('\'');
        if k >= 6 {
            break;
        }
        if w == "of" {
            if let Some((_, _, nx)) = ws.get(k + 1) {
                if ["them", "those", "these", "which", "whom"].contains(&nx.as_str()) {
                    return Some((Unit::People, true));
                }
            }
            continue;
        }
        if PEOPLE.contains(&w) {
            if w == "particular" || w == "serving" {
                continue;
            }
            // actors, not the affected population: "1,015 staff downloaded the app"
            if let Some((_, _, nx)) = ws.get(k + 1) {
                if ACTOR_VERBS.contains(&nx.as_str()) {
                    return None;
                }
            }
            return Some((Unit::People, false));
        }
        if FILES.contains(&w) {
            return Some((Unit::Files, false));
        }
        if RECORDS.contains(&w) {
            return Some((Unit::Records, false));
        }
        if STOP.contains(&w) || MONTHS.contains(&w) {
            return None;
        }
        if w.chars().all(|c| c.is_ascii_digit() || c == ',') {
            return None;
        }
    }
    None
}

/// Nouns after which a small word number ("seven victims") is a count of people or records.
const SMALL_COUNT_NOUNS: &[&str] = &[
    "victims",
    "people",
    "officers",
    "witnesses",
    "individuals",
    "families",
    "complainants",
    "employees",
    "staff",
    "survivors",
    "informants",
    "records",
    "files",
    "recordings",
    "offenders",
    "suspects",
    "survivors",
    "children",
    "members",
    "residents",
];

fn word_value(w: &str) -> Option<u64> {
    if w.len() > 9 {
        return None;
    }
    WORD_NUMS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(w))
        .map(|(_, v)| *v)
}

fn mult_value(w: &str) -> Option<u64> {
    if w.len() > 8 {
        return None;
    }
    MULTS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(w))
        .map(|(_, v)| *v)
}

/// Word-number runs: (start, end, value) relative to `s`.
fn word_numbers(s: &str) -> Vec<(usize, usize, u64)> {
    let mut out = Vec::new();
    let mut toks: Vec<(usize, usize, &str)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if c.is_alphabetic() {
            let st = i;
            while i < s.len() && s[i..].chars().next().is_some_and(|c| c.is_alphabetic()) {
                i += s[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            }
            toks.push((st, i, &s[st..i]));
        } else {
            i += c.len_utf8();
        }
    }
    let mut k = 0;
    while k < toks.len() {
        let w = toks[k].2;
        let starts = word_value(w).is_some()
            || ((w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("half"))
                && toks.get(k + 1).is_some_and(|t| mult_value(t.2).is_some()));
        if !starts {
            k += 1;
            continue;
        }
        let st = toks[k].0;
        let mut total: u64 = 0;
        let mut cur: u64 = 0;
        let mut had_mult = false;
        let mut end = toks[k].1;
        let mut j = k;
        while j < toks.len() {
            let t = toks[j].2;
            // tokens must be adjacent (space/hyphen separated)
            if j > k {
                let gap = &s[toks[j - 1].1..toks[j].0];
                if !(gap == " " || gap == "-") {
                    break;
                }
            }
            if let Some(v) = word_value(t) {
                cur += v;
            } else if t.eq_ignore_ascii_case("a") && j == k {
                cur = 1;
            } else if t.eq_ignore_ascii_case("half") && j == k {
                cur = 0;
                total += 0;
            } else if let Some(m) = mult_value(t) {
                had_mult = true;
                if m == 100 {
                    cur = cur.max(1) * 100;
                } else {
                    total += cur.max(1) * m;
                    cur = 0;
                }
            } else if t.eq_ignore_ascii_case("and")
                && j > k
                && had_mult
                && toks
                    .get(j + 1)
                    .is_some_and(|x| word_value(x.2).is_some_and(|v| v < 100))
                && !toks
                    .get(j + 2)
                    .is_some_and(|x| mult_value(x.2).is_some() && s[toks[j + 1].1..x.0] == *" ")
            {
                // "two hundred and fifty"
            } else {
                break;
            }
            end = toks[j].1;
            j += 1;
        }
        let v = total + cur;
        // Small numbers ("two forces", "three years") count only before a people or record noun.
        // One describing word may come between ("eight sex offenders", "five serving
        // officers").
        let small_ok = v >= 2 && {
            let mut words = s[end..]
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase);
            let first = words.next().unwrap_or_default();
            SMALL_COUNT_NOUNS.contains(&first.as_str())
                || (!STOP.contains(&first.as_str())
                    && words
                        .next()
                        .is_some_and(|w| SMALL_COUNT_NOUNS.contains(&w.as_str())))
        };
        if v > 0 && (had_mult || v >= 10 || small_ok) {
            out.push((st, end, v));
        }
        k = j.max(k + 1);
    }
    out
}

/// Count candidates in one sentence `s` starting at byte `off` of the document.
pub fn counts_in(s: &str, off: usize) -> Vec<CountCand> {
    let mut out = Vec::new();
    let mut raw: Vec<(usize, usize, u64)> = Vec::new();
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    for c in NUM.captures_iter(if has_digit { s } else { "" }) {
        let m = c.get(0).unwrap();
        // glued to letters/digits before (e.g. "A47", "£5")?
        let before = &s[..m.start()];
        if let Some(pc) = before.chars().next_back() {
            if pc.is_alphanumeric()
                || pc == '£'
                || pc == '$'
                || pc == '€'
                || pc == '.'
                || pc == '/'
                || pc == '-'
            {
                continue;
            }
        }
        let bl = before.trim_end().to_ascii_lowercase();
        if bl.ends_with("us$")
            || bl.ends_with("gbp")
            || bl.ends_with("usd")
            || bl.ends_with("section")
            || bl.ends_with("no.")
            || bl.ends_with("aged")
            || bl.ends_with("article")
            || bl.ends_with("page")
        {
            continue;
        }
        let digits = c.get(1).unwrap().as_str();
        let after_m = &s[m.end()..];
        if after_m.starts_with(['%', '/', ':'])
            || after_m.starts_with("GB")
            || after_m.starts_with("TB")
            || after_m.starts_with("MB")
        {
            continue;
        }
        let v: f64 = digits.replace(',', "").parse().unwrap_or(0.0);
        let mult = c.get(2).map(|x| mult_of(x.as_str())).unwrap_or(1.0);
        if mult == 1.0 && digits.contains('.') {
            continue;
        }
        // bare year
        if mult == 1.0
            && !digits.contains(',')
            && digits.len() == 4
            && (1900.0..=2100.0).contains(&v)
        {
            continue;
        }
        // dates: "31 March", "March 31"
        let next_word = words_after(after_m, 1)
            .first()
            .map(|x| x.2.clone())
            .unwrap_or_default();
        if MONTHS.contains(&next_word.as_str()) {
            continue;
        }
        let prev_word = bl
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_string();
        if MONTHS.contains(&prev_word.as_str()) && v <= 31.0 {
            continue;
        }
        raw.push((m.start(), m.end(), (v * mult).round() as u64));
    }
    let lower = s.to_ascii_lowercase();
    let maybe_words = [
        "hundred", "thousand", "million", "billion", "lakh", "crore", "ten", "eleven", "twelve",
        "teen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "two ", "three ", "four ", "five ", "six ", "seven ", "eight ", "nine ",
    ]
    .iter()
    .any(|w| lower.contains(w));
    for (st, en, v) in if maybe_words {
        word_numbers(s)
    } else {
        Vec::new()
    } {
        if raw.iter().any(|r| st < r.1 && r.0 < en) {
            continue;
        }
        let before = &s[..st];
        if before.trim_end().ends_with(['£', '$', '€']) {
            continue;
        }
        raw.push((st, en, v));
    }
    raw.sort();
    for (st, en, v) in raw {
        if v == 0 {
            continue;
        }
        let after = &s[en..];
        let Some((unit, subset)) = noun_after(after) else {
            continue;
        };
        let before = &s[..st];
        let q = qualifier_before(before);
        let bl = before.to_ascii_lowercase();
        let tail: String = bl
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let total = tail.contains("in all")
            || tail.contains("in total")
            || tail.contains("total of")
            || tail.contains("altogether")
            || tail.contains("all ")
            || tail.contains("every one of");
        out.push(CountCand {
            value: v,
            qualifier: q,
            unit,
            start: off + st,
            end: off + en,
            total,
            subset,
            summed: false,
        });
    }
    // component sums: "2,500 officers ... as well as 17,500 applicants"
    let people: Vec<&CountCand> = out
        .iter()
        .filter(|c| c.unit == Unit::People && !c.subset)
        .collect();
    if people.len() >= 2
        && !lower.contains("total")
        && !lower.contains("in all")
        && !lower.contains(" of them")
        && !lower.contains(" of whom")
    {
        let sum: u64 = people.iter().map(|c| c.value).sum();
        let q = if people.iter().all(|c| c.qualifier == Qualifier::Exact) {
            Qualifier::Exact
        } else if people.iter().all(|c| c.qualifier == Qualifier::AtLeast) {
            Qualifier::AtLeast
        } else {
            Qualifier::Approx
        };
        let (a, b) = (people[0].start, people[people.len() - 1].end);
        if people.iter().all(|c| c.value != sum) {
            out.push(CountCand {
                value: sum,
                qualifier: q,
                unit: Unit::People,
                start: a,
                end: b,
                total: true,
                subset: false,
                summed: true,
            });
        }
    }
    out
}

/// Money amounts in a sentence: (minor units, currency, rel start, rel end).
pub fn money_in(s: &str) -> Vec<(u64, String, usize, usize)> {
    let mut out = Vec::new();
    for c in MONEY.captures_iter(s) {
        let m = c.get(0).unwrap();
        let sym = c.get(1).unwrap().as_str().trim().to_ascii_uppercase();
        let cur = match sym.as_str() {
            "£" | "GBP" => "GBP",
            "€" | "EUR" => "EUR",
            _ => "USD",
        };
        let v: f64 = c
            .get(2)
            .unwrap()
            .as_str()
            .replace(',', "")
            .parse()
            .unwrap_or(0.0);
        let mult = c.get(3).map(|x| mult_of(x.as_str())).unwrap_or(1.0);
        let minor = (v * mult * 100.0).round() as u64;
        out.push((minor, cur.to_string(), m.start(), m.end()));
    }
    // "$4 million" style already covered; "4 million dollars"
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<(u64, Qualifier, Unit)> {
        counts_in(s, 0)
            .first()
            .map(|c| (c.value, c.qualifier, c.unit))
    }

    #[test]
    fn count_table() {
        use Qualifier::*;
        use Unit::*;
        type Want = Option<(u64, Qualifier, Unit)>;
        let cases: &[(&str, Want)] = &[
            (
                "Details of around 10,000 officers and staff were published.",
                Some((10_000, Approx, People)),
            ),
            (
                "Details of round 10,000 PSNI officers and workers included names.",
                Some((10_000, Approx, People)),
            ),
            (
                "The personal details of 1,230 people were released.",
                Some((1_230, Exact, People)),
            ),
            (
                "information of greater than 1,000 individuals was included",
                Some((1_000, AtLeast, People)),
            ),
            (
                "All 47k of the Met's officers and staff were told.",
                Some((47_000, Exact, People)),
            ),
            (
                "more than two thousand officers and staff",
                Some((2_000, AtLeast, People)),
            ),
            (
                "ten thousand records were exposed",
                Some((10_000, Exact, Records)),
            ),
            (
                "some 1.2m customers were affected",
                Some((1_200_000, Approx, People)),
            ),
            (
                "about 4 lakh users were affected",
                Some((400_000, Approx, People)),
            ),
            ("2 crore records leaked", Some((20_000_000, Exact, Records))),
            (
                "96,174 pieces of body-worn video footage were deleted",
                Some((96_174, Exact, Files)),
            ),
            (
                "more than 200,000 phone calls were recorded",
                Some((200_000, AtLeast, Files)),
            ),
            (
                "nearly 9,500 officers were named",
                Some((9_500, Approx, People)),
            ),
            (
                "up to 500 staff may be affected",
                Some((500, AtMost, People)),
            ),
            (
                "at least 300 victims were named",
                Some((300, AtLeast, People)),
            ),
            (
                "over 20,000 details relating to personnel",
                Some((20_000, AtLeast, Records)),
            ),
            (
                "The personnel files of 22 more officers were dumped.",
                Some((22, Exact, People)),
            ),
            ("It was fined £750,000 over the breach.", None),
            ("It demanded $4 million in ransom.", None),
            ("The gang claimed 250GB of files.", None),
            ("About 7.5 terabytes of material were lost.", None),
            ("It stayed online for two and a half to three hours.", None),
            (
                "The breach happened in 2015 and was found on 31 March 2022.",
                None,
            ),
            ("Around 69 cases may be affected.", None),
            ("A 19-year-old man was arrested.", None),
            ("Two men aged 19 were detained.", None),
            ("It had to report within 72 hours.", None),
            ("Police Scotland recorded nearly 1,400 data breaches.", None),
            ("The file ran to more than 100 pages.", None),
        ];
        for (s, want) in cases {
            assert_eq!(first(s), *want, "sentence: {s}");
        }
    }

    #[test]
    fn sums_components() {
        let c = counts_in("It covered 1,304 police officers, 756 police staff and 52 police community support officers.", 0);
        assert!(c.iter().any(|x| x.value == 2_112 && x.summed));
        let c = counts_in(
            "about 2,500 LAPD officers, as well as roughly 17,500 people who had applied",
            0,
        );
        assert!(c
            .iter()
            .any(|x| x.value == 20_000 && x.qualifier == Qualifier::Approx));
        let c = counts_in("roughly 8 million files were deleted, and about 4.1 million of them could not be recovered", 0);
        assert!(!c.iter().any(|x| x.summed));
        assert_eq!(c[0].value, 8_000_000);
    }

    #[test]
    fn money() {
        let m = money_in("fined £750,000, or £5.6m, and $4 million");
        let v: Vec<(u64, &str)> = m.iter().map(|x| (x.0, x.1.as_str())).collect();
        assert_eq!(
            v,
            vec![
                (75_000_000, "GBP"),
                (560_000_000, "GBP"),
                (400_000_000, "USD")
            ]
        );
    }

    #[test]
    fn word_numbers_parse() {
        let w = word_numbers(
            "more than two thousand and ten thousand and a million and two hundred and fifty",
        );
        let v: Vec<u64> = w.iter().map(|x| x.2).collect();
        assert_eq!(v, vec![2_000, 10_000, 1_000_000, 250]);
    }
}
