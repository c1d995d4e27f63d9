//! Date expressions in text: every date a text states ([`dates_in`]) and the date a page says it
//! was published ([`publication_in_text`]). Pure functions, no I/O.
//!
//! Numeric dates are read day first ("08/09/2023" is 8 September 2023), as UK pages write them;
//! impossible dates ("31/02/2023", "13/13/2023") are not dates. Only years 1990..=2100 count.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use regex::{Captures, Regex};

/// One date stated in a text. `start..end` is its byte range (a time of day written next to it,
/// before or after, is part of it); `month` and `day` are `None` when the text does not say them
/// ("in 2021", "August 2023").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offset of the date's first byte.
    pub start: usize,
    /// Byte offset just past the date (and a time of day written with it).
    pub end: usize,
    /// The year (1990..=2100).
    pub year: i32,
    /// The month (1..=12), when stated.
    pub month: Option<u32>,
    /// The day of the month, when stated.
    pub day: Option<u32>,
    /// Hour and minute (24-hour clock) when a time of day is written next to the date.
    pub time: Option<(u32, u32)>,
}

impl DateMention {
    /// Day, month and year all stated.
    pub fn is_full(&self) -> bool {
        self.month.is_some() && self.day.is_some()
    }

    /// The calendar date, when the day is stated.
    pub fn naive_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }
}

/// A mention plus what only the scanner sees: a UTC offset written with an ISO time.
#[derive(Debug, Clone, Copy)]
struct Found {
    /// False for a date-shaped impossible date: it still hides the readings inside it.
    ok: bool,
    mention: DateMention,
    offset_secs: Option<i32>,
}

const MONTH: &str = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY: &str = r"(?i:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?,?\s+";

/// "8 August 2023", "8th of August, 2023", "Tuesday 8 August 2023".
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:{WEEKDAY})?(?P<d>\d{{1,2}})(?i:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{MONTH})\b\.?,?\s+(?P<y>\d{{4}})\b"
    ))
    .unwrap()
});

/// "August 8, 2023", "Aug 8 2023", "Tuesday, August 8th, 2023".
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:{WEEKDAY})?(?P<mon>{MONTH})\b\.?\s+(?P<d>\d{{1,2}})(?i:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
    ))
    .unwrap()
});

/// "August 2023", "Aug. 2023", "August, 2023".
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?P<mon>{MONTH})\b\.?,?\s+(?P<y>\d{{4}})\b")).unwrap()
});

/// "2023-08-08", optionally with an ISO time and offset ("2023-08-08T14:05:00+01:00").
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<z>Z|[+-]\d{2}:?\d{2})?)?\b",
    )
    .unwrap()
});

/// "08/08/2023", "8.8.2023", "28.11.16" (day first; two-digit years only when asked for).
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<d>\d{1,2})(?P<sep>[/.])(?P<m>\d{1,2})(?P<sep2>[/.])(?P<y>\d{4}|\d{2})\b")
        .unwrap()
});

/// A year standing alone after a word that makes it a date: "in 2021", "since 2019", "by 2025".
static YEAR_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?i:in|during|since|from|until|till|between|and|to|by|of|throughout|early|late|mid|mid-|before|after)[\s-]+(?P<y>\d{4})\b",
    )
    .unwrap()
});

/// A time of day right after a date: "22:03", ", 2:05 PM", " at 14:05", "at 10am".
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,?\s*(?:at\s+)?|\s+-\s+)(?:(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::\d{2})?(?:\s*(?P<ap>[AaPp])(?:\.[Mm]\.|[Mm]))?|(?P<h2>\d{1,2})\s*(?P<ap2>[AaPp])(?:\.[Mm]\.|[Mm]))(?:\b|$)")
        .unwrap()
});

/// A time of day right before a date: "14:05 09/08/2023", "10.30am on 8 August 2023".
static TIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d:.])(?P<t>(?:(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:\s*(?P<ap>[AaPp])(?:\.[Mm]\.|[Mm]))?|(?P<h2>\d{1,2})\s*(?P<ap2>[AaPp])(?:\.[Mm]\.|[Mm]))(?:\s*,\s*|\s+on\s+|\s+)(?:{WD})?)$".replace("{WD}", WEEKDAY).as_str())
        .unwrap()
});

fn month_number(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let n = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Month names are proper nouns: "May 2023" is a date, "may 2023" is not ("it may 2023..." never
/// occurs, but "march" and "may" are also verbs). All-caps datelines ("26 AUGUST 2023") pass.
fn month_written_as_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn year_ok(y: i32) -> bool {
    (1990..=2100).contains(&y)
}

fn valid(y: i32, m: Option<u32>, d: Option<u32>) -> bool {
    if !year_ok(y) {
        return false;
    }
    match (m, d) {
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, m, d).is_some(),
        (Some(m), None) => (1..=12).contains(&m),
        (None, None) => true,
        (None, Some(_)) => false,
    }
}

/// The number captured as `name`, if any.
fn captured_number<T: std::str::FromStr>(c: &Captures, name: &str) -> Option<T> {
    c.name(name)?.as_str().parse().ok()
}

fn clock(h: u32, mi: u32, ampm: Option<&str>) -> Option<(u32, u32)> {
    if mi >= 60 {
        return None;
    }
    match ampm.map(|s| s.to_ascii_lowercase()) {
        None => (h < 24).then_some((h, mi)),
        Some(ap) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            let h = match (ap.as_str(), h) {
                ("a", 12) => 0,
                ("a", h) => h,
                ("p", 12) => 12,
                (_, h) => h + 12,
            };
            Some((h, mi))
        }
    }
}

fn time_from(c: &Captures) -> Option<(u32, u32)> {
    if let Some(h) = captured_number::<u32>(c, "h") {
        let mi = captured_number::<u32>(c, "mi").unwrap_or(0);
        return clock(h, mi, c.name("ap").map(|m| m.as_str()));
    }
    let h = captured_number::<u32>(c, "h2")?;
    clock(h, 0, c.name("ap2").map(|m| m.as_str()))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Adds a candidate date at `range` of the text; returns whether it is a possible date.
fn push(
    cands: &mut Vec<Found>,
    range: std::ops::Range<usize>,
    y: i32,
    m: Option<u32>,
    d: Option<u32>,
) -> bool {
    let ok = valid(y, m, d);
    cands.push(Found {
        ok,
        mention: DateMention {
            start: range.start,
            end: range.end,
            year: y,
            month: m,
            day: d,
            time: None,
        },
        offset_secs: None,
    });
    ok
}

/// Every date mention; `two_digit_years` also reads "28.11.16" (only trusted in datelines).
fn scan(text: &str, two_digit_years: bool) -> Vec<Found> {
    let mut cands: Vec<Found> = Vec::new();
    for re in [&*DAY_MONTH_YEAR, &*MONTH_DAY_YEAR] {
        for c in re.captures_iter(text) {
            let mon = c.name("mon").unwrap().as_str();
            if !month_written_as_name(mon) {
                continue;
            }
            let all = c.get(0).unwrap();
            if let (Some(y), Some(d)) = (
                captured_number::<i32>(&c, "y"),
                captured_number::<u32>(&c, "d"),
            ) {
                push(&mut cands, all.range(), y, month_number(mon), Some(d));
            }
        }
    }
    for c in MONTH_YEAR.captures_iter(text) {
        let mon = c.name("mon").unwrap().as_str();
        if !month_written_as_name(mon) {
            continue;
        }
        let all = c.get(0).unwrap();
        if let Some(y) = captured_number::<i32>(&c, "y") {
            push(&mut cands, all.range(), y, month_number(mon), None);
        }
    }
    for c in NUMERIC.captures_iter(text) {
        let all = c.get(0).unwrap();
        if c["sep"] != c["sep2"] {
            continue;
        }
        // Part of a longer dotted number ("1.2.2023.4") or a version string: not a date.
        let after = &text[all.end()..];
        if after.starts_with(['.', '/']) && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        let ys = &c["y"];
        let y: i32 = match ys.len() {
            4 => ys.parse().unwrap_or(0),
            _ if two_digit_years => {
                let yy: i32 = ys.parse().unwrap_or(-1);
                if yy >= 90 {
                    1900 + yy
                } else {
                    2000 + yy
                }
            }
            _ => continue,
        };
        push(
            &mut cands,
            all.range(),
            y,
            captured_number(&c, "m"),
            captured_number::<u32>(&c, "d"),
        );
    }
    for c in ISO.captures_iter(text) {
        let all = c.get(0).unwrap();
        let pushed = push(
            &mut cands,
            all.range(),
            captured_number(&c, "y").unwrap_or(0),
            captured_number(&c, "m"),
            captured_number::<u32>(&c, "d"),
        );
        if pushed {
            let f = cands.last_mut().unwrap();
            if let (Some(h), Some(mi)) = (
                captured_number::<u32>(&c, "h"),
                captured_number::<u32>(&c, "mi"),
            ) {
                f.mention.time = clock(h, mi, None);
            }
            f.offset_secs = c.name("z").and_then(|z| parse_offset(z.as_str()));
        }
    }
    for c in YEAR_ALONE.captures_iter(text) {
        let y = c.name("y").unwrap();
        push(
            &mut cands,
            y.range(),
            y.as_str().parse().unwrap_or(0),
            None,
            None,
        );
    }

    // Longest first at each start, then keep those that do not overlap one already kept.
    cands.sort_by(|a, b| {
        a.mention
            .start
            .cmp(&b.mention.start)
            .then((b.mention.end - b.mention.start).cmp(&(a.mention.end - a.mention.start)))
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in cands {
        if kept.last().is_some_and(|k| f.mention.start < k.mention.end) {
            continue;
        }
        kept.push(f);
    }
    kept.retain(|f| f.ok);
    for f in &mut kept {
        if f.mention.time.is_some() || !f.mention.is_full() {
            continue;
        }
        if let Some(c) = TIME_AFTER.captures(&text[f.mention.end..]) {
            if let Some(t) = time_from(&c) {
                f.mention.time = Some(t);
                f.mention.end += c.get(0).unwrap().end();
                continue;
            }
        }
        let from = floor_char_boundary(text, f.mention.start.saturating_sub(40));
        if let Some(c) = TIME_BEFORE.captures(&text[from..f.mention.start]) {
            if let Some(t) = time_from(&c) {
                f.mention.time = Some(t);
                f.mention.start = from + c.name("t").unwrap().start();
            }
        }
    }
    // Extending by a time may have run into a neighbour: keep the earlier.
    let mut out: Vec<Found> = Vec::new();
    for f in kept {
        if out.last().is_some_and(|k| f.mention.start < k.mention.end) {
            continue;
        }
        out.push(f);
    }
    out
}

fn parse_offset(z: &str) -> Option<i32> {
    if z == "Z" {
        return Some(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 4 {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Every date the text states, in order: full dates ("8 August 2023", "August 8, 2023",
/// "08/08/2023" day first, "2023-08-08", with a weekday or a time of day next to them), months
/// ("August 2023") and years standing as dates ("in 2021", "since 2019"). Overlapping readings
/// keep the longest; impossible dates and years outside 1990..=2100 are dropped.
pub fn dates_in(text: &str) -> Vec<DateMention> {
    scan(text, false).into_iter().map(|f| f.mention).collect()
}

/// How a label names the date after it; published-like labels win over updated-like ones.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?P<label>date\s+(?:first\s+)?published|first\s+published|published|posted|(?:page\s+)?last\s+(?:updated|modified|reviewed)|updated|modified|decided|judgment\s+date|date\s+of\s+decision|dated|date)(?:\s+on)?\s*(?P<colon>[:\-–—])?\s*(?:on\s+|at\s+)?$",
    )
    .unwrap()
});

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '|' | '•' | '·' | '-' | '–' | '—' | ':' | ',' | '>' | '/' | '(' | ')' | '[' | ']'
    )
}

/// Text after a date that shows it is not the subject of a sentence going on ("8 August 2023
/// was when..."): end of line, a separator, a capitalised word (the headline), a byline word.
fn stands_alone_after(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("");
    let t = line.trim_start();
    let Some(c) = t.chars().next() else {
        return true;
    };
    if c == ',' {
        let after = t[1..].trim_start();
        return after.is_empty() || stands_alone_after(after) && !after.starts_with(',');
    }
    if is_separator(c) || c.is_uppercase() || c.is_ascii_digit() || c == '.' {
        return true;
    }
    let word: String = t
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    matches!(
        word.as_str(),
        "by" | "at" | "and" | "updated" | "last" | "bst" | "gmt" | "utc" | "edt" | "est"
    )
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn to_datetime(f: &Found) -> Option<DateTime<FixedOffset>> {
    let date = f.mention.naive_date()?;
    let (h, mi) = f.mention.time.unwrap_or((0, 0));
    let ndt = date.and_hms_opt(h, mi, 0)?;
    let off = FixedOffset::east_opt(f.offset_secs.unwrap_or(0))?;
    off.from_local_datetime(&ndt).single()
}

/// The date the page itself says it was published, or `None`.
///
/// Rule: only a strong cue counts, never a date an article reports as an event.
/// 1. A labelled date: "Published: 14:05 09/08/2023", "Published 8 August 2023", "Date published:
///    19 September 2023", "Posted on June 14, 2018", "Date: ...", "Decided: 26.09.2024" (the
///    decision date of a case-law page), else "Updated:" / "Last updated ...". The label is
///    capitalised and either stands at the start of a line (or after a separator such as `|`) or
///    ends in a colon; the date follows it directly. A lower-case "published on 8 August 2023" in
///    a sentence is an event, not a label. Published-like labels win over updated-like ones; among
///    equals the first.
/// 2. Else a dateline: a date standing at the start of a line (or after a byline / separator)
///    within the first ~200 characters of the text (after the title, when the text repeats it),
///    not continued as a sentence ("26 August 2023 22:03 Statement re: ...", "28.11.16 Borough
///    council ..."); two-digit years are read here only.
///
/// Day precision is required (a month is not a publication date). The time of day is taken when
/// written next to the date (with its UTC offset for ISO times), else midnight UTC.
pub fn publication_in_text(title: &str, text: &str) -> Option<DateTime<FixedOffset>> {
    let found = scan(text, true);
    let (labelled, dateline) = page_dates(title, text, &found);
    let best = labelled
        .iter()
        .min_by_key(|(rank, f)| (*rank, f.mention.start))
        .map(|(_, f)| *f)
        .or(dateline)?;
    to_datetime(best)
}

/// Byte ranges (in `text`) of the dates that date the page rather than report an event: every
/// labelled date ("Published ...", "Updated: ...") and the dateline, as
/// [`publication_in_text`] reads them. Event extraction leaves them out.
pub fn page_date_spans(title: &str, text: &str) -> Vec<(usize, usize)> {
    let found = scan(text, true);
    let (labelled, dateline) = page_dates(title, text, &found);
    labelled
        .iter()
        .map(|(_, f)| *f)
        .chain(dateline)
        .map(|f| (f.mention.start, f.mention.end))
        .collect()
}

/// The labelled dates (with their rank: 0 published-like, 1 updated-like) and the dateline
/// among `found`, by the rule of [`publication_in_text`]. Full dates only.
fn page_dates<'a>(
    title: &str,
    text: &str,
    found: &'a [Found],
) -> (Vec<(u8, &'a Found)>, Option<&'a Found>) {
    let mut labelled: Vec<(u8, &Found)> = Vec::new();
    for f in found.iter().filter(|f| f.mention.is_full()) {
        let ls = line_start(text, f.mention.start);
        let prefix = &text[ls..f.mention.start];
        let Some(c) = LABEL.captures(prefix) else {
            continue;
        };
        let label = c.name("label").unwrap();
        let first = label.as_str().chars().next().unwrap_or('a');
        let abs = ls + label.start();
        let at_text_start = text[..abs].trim().is_empty();
        if !first.is_uppercase() && !at_text_start {
            continue;
        }
        let before = prefix[..label.start()].trim_end();
        let line_head = before.is_empty() || before.ends_with(is_separator);
        let colon = c.name("colon").is_some();
        if !(line_head || colon || at_text_start) {
            continue;
        }
        if !colon && !stands_alone_after(&text[f.mention.end..]) {
            continue;
        }
        let l = label.as_str().to_lowercase();
        let rank = if l.contains("updated") || l.contains("modified") || l.contains("reviewed") {
            1
        } else {
            0
        };
        labelled.push((rank, f));
    }
    // A dateline near the top.
    let lead = text.len() - text.trim_start().len();
    let mut head = lead;
    let t = title.trim();
    if !t.is_empty() && text[lead..].starts_with(t) {
        head = lead + t.len();
    }
    let window_end = text[head..]
        .char_indices()
        .nth(200)
        .map(|(i, _)| head + i)
        .unwrap_or(text.len());
    let dateline = found
        .iter()
        .filter(|f| f.mention.is_full() && f.mention.start < window_end)
        .find(|f| {
            let ls = line_start(text, f.mention.start).max(head.min(f.mention.start));
            let before = text[ls..f.mention.start].trim();
            let ok_before = before.is_empty()
                || before.ends_with(is_separator)
                || (before.starts_with("By ") && before.len() < 60 && !before.contains('.'))
                || matches!(before.to_lowercase().as_str(), "date" | "dated");
            ok_before && stands_alone_after(&text[f.mention.end..])
        });
    (labelled, dateline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(m: &DateMention) -> (i32, Option<u32>, Option<u32>) {
        (m.year, m.month, m.day)
    }

    fn all(text: &str) -> Vec<(i32, Option<u32>, Option<u32>)> {
        dates_in(text).iter().map(ymd).collect()
    }

    fn pubdate(title: &str, text: &str) -> Option<String> {
        publication_in_text(title, text).map(|d| d.to_rfc3339())
    }

    #[test]
    fn dates_in_reads_the_usual_forms() {
        let full = (2023, Some(8), Some(8));
        for s in [
            "It happened on 8 August 2023.",
            "It happened on 8th August, 2023.",
            "It happened on the 8th of August 2023.",
            "It happened on August 8, 2023.",
            "It happened on Aug 8 2023.",
            "It happened on Aug. 8th, 2023.",
            "It happened on 08/08/2023.",
            "It happened on 08.08.2023.",
            "It happened on 2023-08-08.",
            "It happened on Tuesday 8 August 2023.",
            "It happened on Tuesday, August 8, 2023.",
            "STATEMENT 8 AUGUST 2023",
        ] {
            assert_eq!(all(s), vec![full], "{s}");
        }
        assert_eq!(
            all("The file was lost in August 2023."),
            vec![(2023, Some(8), None)]
        );
        assert_eq!(all("It was lost in 2021."), vec![(2021, None, None)]);
        assert_eq!(all("in April 2021"), vec![(2021, Some(4), None)]);
        assert_eq!(
            all("between April 2021 and March 2022"),
            vec![(2021, Some(4), None), (2022, Some(3), None)]
        );
        // day first
        assert_eq!(all("on 09/08/2023"), vec![(2023, Some(8), Some(9))]);
    }

    #[test]
    fn dates_in_spans_and_times() {
        let s = "Posted 14:05 09/08/2023 by the press office";
        let d = dates_in(s);
        assert_eq!(d.len(), 1);
        assert_eq!(&s[d[0].start..d[0].end], "14:05 09/08/2023");
        assert_eq!(d[0].time, Some((14, 5)));
        let s = "Issued on 26 August 2023 at 10.30pm.";
        let d = dates_in(s);
        assert_eq!(d[0].time, Some((22, 30)));
        assert_eq!(&s[d[0].start..d[0].end], "26 August 2023 at 10.30pm");
        let s = "On Tuesday, 8 August 2023 the force said";
        let d = dates_in(s);
        assert_eq!(&s[d[0].start..d[0].end], "Tuesday, 8 August 2023");
    }

    #[test]
    fn dates_in_rejects_impossible_and_non_dates() {
        for s in [
            "on 31 February 2023",
            "on 31/02/2023",
            "on 13/13/2023",
            "on 2023-13-01",
            "in 1850",
            "in 2150",
            "on 5 May 1850",
            "version 1.2.2023.4",
            "it may 2023 be",
            "2,023 officers",
            "2023 officers were told",
            "a fine of £2023",
        ] {
            assert!(dates_in(s).is_empty(), "{s}: {:?}", dates_in(s));
        }
        // two-digit years are not read in running text
        assert!(dates_in("on 28.11.16 the council").is_empty());
    }

    #[test]
    fn publication_from_labels() {
        assert_eq!(
            pubdate(
                "T",
                "Home | News\nPublished: 14:05 09/08/2023\nThe force said..."
            ),
            Some("2023-08-09T14:05:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "Published 8 August 2023\nThe force said..."),
            Some("2023-08-08T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate(
                "T",
                "Some intro text. Date published: 19 September 2023 Body."
            ),
            Some("2023-09-19T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "Posted on June 14, 2018 by admin\nA force was fined."),
            Some("2018-06-14T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "Case 123/24\nDecided: 26.09.2024\nThe court held..."),
            Some("2024-09-26T00:00:00+00:00".into())
        );
        // published beats updated, wherever they stand
        assert_eq!(
            pubdate(
                "T",
                "Last updated: 12 May 2024\nPublished: 2 May 2024\nBody."
            ),
            Some("2024-05-02T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "Body text here.\nPage last updated 12 May 2024"),
            Some("2024-05-12T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "date 2023-08-09 The force said..."),
            Some("2023-08-09T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "Date: 2023-08-09T10:15:00+01:00\nBody"),
            Some("2023-08-09T10:15:00+01:00".into())
        );
    }

    #[test]
    fn publication_from_datelines() {
        assert_eq!(
            pubdate(
                "T",
                "26 August 2023 22:03 Statement about the incident. The force..."
            ),
            Some("2023-08-26T22:03:00+00:00".into())
        );
        assert_eq!(
            pubdate("T", "28.11.16 Borough council warns residents"),
            Some("2016-11-28T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate(
                "Force apologises for email error",
                "Force apologises for email error\nBy A Reporter\n3 March 2024\nThe force has..."
            ),
            Some("2024-03-03T00:00:00+00:00".into())
        );
        assert_eq!(
            pubdate(
                "T",
                "By A Reporter | Tuesday 5 March 2024\nThe force has..."
            ),
            Some("2024-03-05T00:00:00+00:00".into())
        );
    }

    #[test]
    fn event_dates_are_not_publication_dates() {
        for text in [
            // an event date in the first sentence
            "On 8 August 2023 a spreadsheet was published in error by the force.",
            "The force said that on 8 August 2023 a spreadsheet was published in error.",
            // the verb "published" in a sentence is not a label
            "A list of officers was published on 8 August 2023, the force said.",
            "The file was published 8 August 2023 and removed hours later.",
            // a date starting a sentence that goes on
            "8 August 2023 was the day the list went online.",
            // month precision only
            "Published: August 2023\nBody",
            // a full date far down the page
            &format!(
                "{} On its own line:\n8 August 2023\n",
                "Words words words. ".repeat(20)
            ),
            // a two-digit year in running text
            "Officers said on 28.11.16 the council was warned.",
        ] {
            assert_eq!(pubdate("Title", text), None, "{text}");
        }
    }
}
