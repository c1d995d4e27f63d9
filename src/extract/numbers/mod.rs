//! Counts of people, records and files stated in a sentence ([`counts_in`]), and sums of
//! money ([`money_in`]).

mod money;
mod spelled;
mod vocabulary;

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Qualifier, Unit};
pub use money::{money_in, Money};
use spelled::spelled_numbers;
use vocabulary::{
    ACTOR_VERBS, FILE_NOUNS, MONTHS, PEOPLE_NOUNS, QUALIFIER_PHRASES, RECORD_NOUNS, STOP_WORDS,
};

/// A count candidate inside a sentence (absolute byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct CountCandidate {
    /// The figure.
    pub value: u64,
    /// "more than", "around", ...
    pub qualifier: Qualifier,
    /// What is counted.
    pub unit: Unit,
    /// Byte offset of the figure in the document.
    pub start: usize,
    /// Byte offset just past the figure in the document.
    pub end: usize,
    /// "in all", "in total", a sum of components, ...
    pub total: bool,
    /// "N of them": a subset of an earlier figure.
    pub subset: bool,
    /// The sum of several groups stated apart.
    pub summed: bool,
}

/// A figure in digits, with an optional multiplier ("1.2m", "4 lakh", "2,500").
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:k|m|bn|million|billion|thousand|lakhs?|crores?)(?-u:\b))?").unwrap()
});

/// The multiplier a suffix stands for ("m" -> 1e6, "lakh" -> 1e5); 1 for anything else.
fn multiplier_of_suffix(s: &str) -> f64 {
    match s.trim().to_ascii_lowercase().as_str() {
        "k" | "thousand" => 1e3,
        "m" | "million" => 1e6,
        "bn" | "billion" => 1e9,
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
        _ => 1.0,
    }
}

/// The qualifier the text before a figure ends with ("more than", "around"), else exact.
fn qualifier_before(before: &str) -> Qualifier {
    let b = before.trim_end().to_ascii_lowercase();
    // allow "all its", "all of the" etc between qualifier and number
    for (q, v) in QUALIFIER_PHRASES {
        if b.ends_with(q) {
            let pre = &b[..b.len() - q.len()];
            if pre.is_empty() || !pre.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                return *v;
            }
        }
    }
    Qualifier::Exact
}

/// The first `n` words of `s`: (start, end, lowercase word) relative to `s`; punctuation other
/// than hyphens and apostrophes ends the words.
fn words_after(s: &str, n: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
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
        break;
    }
    out
}

/// The population noun after a figure: (unit, whether it is a subset of an earlier figure).
fn population_noun_after(after: &str) -> Option<(Unit, bool)> {
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
        if PEOPLE_NOUNS.contains(&w) {
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
        if FILE_NOUNS.contains(&w) {
            return Some((Unit::Files, false));
        }
        if RECORD_NOUNS.contains(&w) {
            return Some((Unit::Records, false));
        }
        if STOP_WORDS.contains(&w) || MONTHS.contains(&w) {
            return None;
        }
        if w.chars().all(|c| c.is_ascii_digit() || c == ',') {
            return None;
        }
    }
    None
}

/// Figures written in digits that may count something (not a sum of money, a year, a date, a
/// percentage, a size, a section number or an age): (start, end, value) relative to `s`.
fn digit_figures(s: &str) -> Vec<(usize, usize, u64)> {
    let mut raw: Vec<(usize, usize, u64)> = Vec::new();
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return raw;
    }
    for c in FIGURE.captures_iter(s) {
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
        let mult = c
            .get(2)
            .map(|x| multiplier_of_suffix(x.as_str()))
            .unwrap_or(1.0);
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
    raw
}

/// Count candidates in one sentence `s` starting at byte `offset` of the document: figures in
/// digits or words before a population noun, and (when the sentence lists several groups of
/// people and no total) their sum.
pub fn counts_in(s: &str, offset: usize) -> Vec<CountCandidate> {
    let mut out = Vec::new();
    let mut raw = digit_figures(s);
    let lower = s.to_ascii_lowercase();
    let maybe_words = [
        "hundred", "thousand", "million", "billion", "lakh", "crore", "ten", "eleven", "twelve",
        "teen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "two ", "three ", "four ", "five ", "six ", "seven ", "eight ", "nine ",
    ]
    .iter()
    .any(|w| lower.contains(w));
    for (st, en, v) in if maybe_words {
        spelled_numbers(s)
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
        let Some((unit, subset)) = population_noun_after(after) else {
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
        out.push(CountCandidate {
            value: v,
            qualifier: q,
            unit,
            start: offset + st,
            end: offset + en,
            total,
            subset,
            summed: false,
        });
    }
    // component sums: "2,500 officers ... as well as 17,500 applicants"
    let people: Vec<&CountCandidate> = out
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
            out.push(CountCandidate {
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
}
