//! When a reported breach happened, as the article states it ([`super::Report::occurred`]).
//!
//! Runs after the engine, on its reports: only dates the text states count ("in August 2023",
//! "on 8 August 2023", "in 2015"), never relative ones ("on Tuesday", "last year"), and only
//! where the words nearest the date make it the date of the breach itself (published, sent,
//! lost, stolen, hacked, deleted, happened...), not of what followed (a fine, reprimand,
//! announcement, court hearing, arrest) nor a period the data covers ("between April 2021 and
//! March 2022", "as at 31 March 2022", "since 2019"). A date after the article's publication is
//! never taken.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset};
use regex::Regex;

use super::dates::{self, DateMention};
use super::text::{self, Sentence};
use super::{ArticleInput, Extraction, Report};
use crate::model::{Occurred, Span};

/// Words that make a date the breach's own: what was done to the data, or the incident itself.
static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:publish(?:ed|ing)?|post(?:ed|ing)|upload(?:ed|ing)?|sent|send(?:ing)?|e-?mailed|mis-?directed|lost|losing|loss|missing|mislaid|misplaced|stolen|stole|theft|hack(?:ed|ing|ers?)?|cyber[- ]?attack(?:ed|s)?|attack(?:ed|s)?|ransomware|breach(?:ed|es)?|delet(?:ed|ing|ion)|wiped|destroyed|accessed|downloaded|leak(?:ed|s)?|exposed|compromised|encrypted|infected|discovered|happened|occurred|took\s+place|in\s+error|by\s+mistake|mistakenly|incident)\b",
    )
    .unwrap()
});

/// Words that make a date that of something after the breach, or of something else.
static OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:fin(?:e|ed|es|ing)|penalt(?:y|ies)|reprimand(?:ed|s)?|enforcement|announc(?:ed|es|ement)|statement|said|says|told|court|hearing|trial|tribunal|judge|sentenced|convicted|arrest(?:ed|s)?|charged|appeared|ruled|ruling|concluded|investigat(?:ion|ed)|inquiry|review|audit|report(?:ed|s)?|figures|request(?:ed|s)?|submitted|compensation|sued|lawsuit|apologi[sz]ed|notified|informed|warned|referred|noticed|learn(?:ed|t)|aware|confirmed|admitted|revealed|emerged|came\s+to\s+light|elected|appointed|introduced|came\s+into\s+force|act)\b",
    )
    .unwrap()
});

/// The word right before a date that makes it the bound of a period, not an event date.
static PERIOD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:since|until|till|by|from|between|to|through|and|or|as\s+at|as\s+of|before|after|for|covering|than|dated|dating\s+back\s+to|back\s+to|ending|ended|end\s+of|year\s+to)\s*$",
    )
    .unwrap()
});

/// What joins the first date of a range to the second.
static RANGE_JOIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:-|–|—|to|and|until|till|through)\s*$").unwrap());

/// Year-only mentions count only after these ("in 2015", "during 2021", "in early 2020").
static YEAR_ONLY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:in|during)\s+(?:(?:early|late|mid|the\s+(?:spring|summer|autumn|fall|winter)\s+of)[\s-]*)?$")
        .unwrap()
});

/// Whether the date in `m` (in sentence `s` of `doc`) is stated as the breach's own date.
fn is_event_date(doc: &str, s: &Sentence, m: &DateMention, all: &[DateMention]) -> bool {
    let before = &doc[s.start..m.start];
    let after = &doc[m.end..s.end];
    if PERIOD_BEFORE.is_match(before) {
        return false;
    }
    // Either end of a range ("July 2020-May 2023", "April 2021 to March 2022").
    let joined = |a: &DateMention, b: &DateMention| {
        a.end <= b.start && RANGE_JOIN.is_match(&doc[a.end..b.start])
    };
    if all.iter().any(|o| joined(m, o) || joined(o, m)) {
        return false;
    }
    if m.month.is_none() {
        let from = floor_boundary(doc, s.start.max(m.start.saturating_sub(40)));
        let lead = &doc[from..m.start];
        if !YEAR_ONLY_BEFORE.is_match(lead) {
            return false;
        }
    }
    // A date naming the breach itself: "the August 2023 data breach".
    if NAMES_BREACH.is_match(after) {
        return true;
    }
    // The nearest cue before the date decides: a date mostly follows its verb ("was fined in
    // June 2019", "were lost in 2016"). Only without one does a cue after it count, and then
    // only before the clause ends ("In December 2016 an email was sent", "During a transfer on
    // 8 May 2023, files were deleted"; not "... in June 2019 after losing ..."). A tie goes to the other kind.
    // An event word as the object of a preposition ("told about the loss in November 2016",
    // "learned of the breach in May") is not what the date attaches to.
    let object = |start: usize| OBJECT_OF.is_match(&before[..start]);
    let last_before = |re: &Regex, skip_objects: bool| {
        re.find_iter(before)
            .filter(|c| !(skip_objects && object(c.start())))
            .map(|c| before.len() - c.end())
            .min()
    };
    match (last_before(&EVENT, true), last_before(&OTHER, false)) {
        (Some(e), Some(o)) => return e < o,
        (Some(_), None) => return true,
        (None, Some(_)) => return false,
        (None, None) => {}
    }
    let clause = match CLAUSE_BREAK.find(after) {
        Some(b) => &after[..b.start()],
        None => after,
    };
    let first_after = |re: &Regex| re.find(clause).map(|c| c.start());
    match (first_after(&EVENT), first_after(&OTHER)) {
        (Some(e), Some(o)) => e < o,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Right after a date, the breach it names ("the August 2023 data breach", "a May 2021 hack").
static NAMES_BREACH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:data\s+|cyber[- ]?|ransomware\s+|security\s+|email\s+)?(?:breach|leak|attack|hack|incident)\b")
        .unwrap()
});

/// Before an event word: a preposition making it an object ("of the loss", "about the breach").
static OBJECT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:of|about|into|over|for|to|after)\s+(?:the|a|an|this|that|its|their)\s+(?:\w+\s+)?$").unwrap()
});

/// What ends the clause a date stands in, looking forward from it.
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[;:()]|\b(?:after|when|because|following|since|but|while|which|who|before|until|over)\b")
        .unwrap()
});

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn occurred_of(m: &DateMention) -> Occurred {
    Occurred {
        year: m.year,
        month: m.month,
        day: m.month.and(m.day),
    }
}

/// Not after `bound` (the article's publication), compared at the date's own precision.
fn not_after(o: &Occurred, bound: Option<DateTime<FixedOffset>>) -> bool {
    let Some(b) = bound else {
        return true;
    };
    let (y, m, d) = (b.year(), b.month(), b.day());
    match (o.month, o.day) {
        (Some(om), Some(od)) => (o.year, om, od) <= (y, m, d),
        (Some(om), None) => (o.year, om) <= (y, m),
        _ => o.year <= y,
    }
}

/// The earliest date, then made as precise as another stated date agreeing with it allows.
fn pick(mut dates: Vec<Occurred>) -> Option<Occurred> {
    dates.sort();
    let first = *dates.first()?;
    // `dates` is sorted, so a coarse date comes before its refinements: the earliest is the
    // coarsest of its family; take the finest of those that agree with it all the way down.
    let mut best = first;
    for d in &dates {
        if d.refines(&best) {
            best = *d;
        }
    }
    Some(best)
}

fn span_sentence(sents: &[Sentence], sp: &Span) -> Option<usize> {
    sents
        .iter()
        .position(|s| s.start <= sp.start && sp.start < s.end.max(s.start + 1))
}

fn fact_spans(r: &Report) -> Vec<Span> {
    let mut v: Vec<Span> = r.force_evidence.clone();
    v.extend(r.data_types.iter().filter_map(|f| f.span));
    v.extend(r.not_exposed.iter().filter_map(|f| f.span));
    v.extend(r.counts.iter().map(|c| c.span));
    v.extend(r.cause.span);
    v.extend(r.developments.iter().map(|d| d.span));
    v
}

/// Fill `occurred` on every report of `x` from the article's text.
pub(super) fn fill(input: &ArticleInput, x: &mut Extraction) {
    if x.reports.is_empty() {
        return;
    }
    let doc = super::document(input.title, input.text);
    let mentions = dates::dates_in(&doc);
    if mentions.is_empty() {
        return;
    }
    // Dates that date the page ("Published 8 August 2023", a dateline) are no event's.
    let off = input.title.len() + 2;
    let page: Vec<(usize, usize)> = dates::page_date_spans(input.title, input.text)
        .into_iter()
        .map(|(a, b)| (a + off, b + off))
        .collect();
    let mentions: Vec<DateMention> = mentions
        .into_iter()
        .filter(|m| !page.iter().any(|&(a, b)| m.start < b && a < m.end))
        .collect();
    let sents = text::split(&doc, input.title.len());
    let bound = input
        .published
        .or_else(|| dates::publication_in_text(input.title, input.text));
    // Each mention's sentence and whether it is a breach date (same for every report).
    let event: Vec<(usize, Occurred)> = mentions
        .iter()
        .filter_map(|m| {
            let si = sents
                .iter()
                .position(|s| s.start <= m.start && m.end <= s.end)?;
            let o = occurred_of(m);
            (is_event_date(&doc, &sents[si], m, &mentions) && not_after(&o, bound))
                .then_some((si, o))
        })
        .collect();
    if event.is_empty() {
        return;
    }
    let own: Vec<Vec<usize>> = x
        .reports
        .iter()
        .map(|r| {
            let mut v: Vec<usize> = fact_spans(r)
                .iter()
                .filter_map(|sp| span_sentence(&sents, sp))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let single = x.reports.len() == 1;
    for (ri, r) in x.reports.iter_mut().enumerate() {
        // First the sentences the report's facts come from; then their paragraphs, where no
        // other report has facts; then (for an article telling one story) the whole text.
        let paras: Vec<usize> = own[ri].iter().map(|&i| sents[i].paragraph).collect();
        let others_paras: Vec<usize> = own
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != ri)
            .flat_map(|(_, v)| v.iter().map(|&i| sents[i].paragraph))
            .collect();
        let tiers: [Box<dyn Fn(usize) -> bool>; 3] = [
            Box::new(|si| own[ri].contains(&si)),
            Box::new(|si| {
                let p = sents[si].paragraph;
                paras.contains(&p) && !others_paras.contains(&p)
            }),
            Box::new(|_| single),
        ];
        for tier in &tiers {
            let found: Vec<Occurred> = event
                .iter()
                .filter(|(si, _)| tier(*si))
                .map(|(_, o)| *o)
                .collect();
            if let Some(o) = pick(found) {
                r.occurred = Some(o);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occurred_on(year: i32, month: Option<u32>, day: Option<u32>) -> Occurred {
        Occurred { year, month, day }
    }

    fn occurred_of_article(
        title: &str,
        text: &str,
        published: Option<&str>,
    ) -> Vec<Option<String>> {
        let published = published.map(|p| DateTime::parse_from_rfc3339(p).unwrap());
        let x = super::super::extract(&ArticleInput {
            url: "https://news.example/a",
            title,
            text,
            source: "Example News",
            published,
        });
        assert!(x.relevant, "{x:#?}");
        x.reports
            .iter()
            .map(|r| r.occurred.map(|o| o.to_string()))
            .collect()
    }

    #[test]
    fn occurred_is_the_stated_date_of_the_breach() {
        let got = occurred_of_article(
            "Force apologises after officers' details put online",
            "Dyfed-Powys Police has apologised after a spreadsheet holding the names and ranks of 800 officers was published on its website in error on 14 May 2022.\n\nThe force said the file was taken down within two hours and it had referred itself to the Information Commissioner's Office on 16 May 2022.",
            Some("2022-05-18T09:00:00+01:00"),
        );
        assert_eq!(got, [Some("2022-05-14".to_string())]);
    }

    #[test]
    fn occurred_skips_the_date_of_the_fine_and_takes_the_breach_year() {
        let got = occurred_of_article(
            "Constabulary fined over lost witness statements",
            "Lincolnshire Police has been fined £40,000 by the Information Commissioner's Office in June 2019 after losing paperwork containing the names and addresses of 12 witnesses.\n\nThe files were lost in 2016 when an officer left a folder on a train.",
            Some("2019-06-20T12:00:00+01:00"),
        );
        assert_eq!(got, [Some("2016".to_string())]);
    }

    #[test]
    fn occurred_takes_the_finer_of_agreeing_dates() {
        let got = occurred_of_article(
            "Hackers stole police staff records",
            "Durham Constabulary said hackers accessed a database holding the names and home addresses of 1,200 officers and staff.\n\nThe attack happened in 2021. Investigators believe the hackers accessed the system in March 2021.",
            Some("2021-06-02T10:00:00+01:00"),
        );
        assert_eq!(got, [Some("2021-03".to_string())]);
    }

    #[test]
    fn occurred_is_none_for_data_periods_page_dates_and_relative_dates() {
        // A period the data covers, a data date, a page date: none is when it happened.
        let got = occurred_of_article(
            "Police release victims' details in FOI answer",
            "Published 3 October 2023\nDevon and Cornwall Police has apologised after a response to a Freedom of Information request included the personal details of 500 victims of crime by mistake.\n\nThe data covered crimes recorded between April 2020 and March 2021, with salaries given as at 31 March 2022. The force said the file was released in error on Tuesday.",
            Some("2023-10-03T12:00:00+01:00"),
        );
        assert_eq!(got, [None]);
    }

    #[test]
    fn occurred_is_never_after_the_article() {
        let got = occurred_of_article(
            "Police laptop stolen",
            "A laptop holding the names of 50 informants was stolen from a Cheshire Police officer's car on 3 March 2024.",
            Some("2024-03-01T12:00:00+00:00"),
        );
        assert_eq!(got, [None]);
    }

    #[test]
    fn pick_takes_the_earliest_made_precise() {
        assert_eq!(
            pick(vec![
                occurred_on(2023, Some(8), None),
                occurred_on(2023, None, None)
            ]),
            Some(occurred_on(2023, Some(8), None))
        );
        assert_eq!(
            pick(vec![
                occurred_on(2024, Some(1), None),
                occurred_on(2023, Some(8), Some(8))
            ]),
            Some(occurred_on(2023, Some(8), Some(8)))
        );
        // a finer date that disagrees does not refine
        assert_eq!(
            pick(vec![
                occurred_on(2023, Some(3), None),
                occurred_on(2023, Some(8), Some(1))
            ]),
            Some(occurred_on(2023, Some(3), None))
        );
        assert_eq!(pick(vec![]), None);
    }

    #[test]
    fn not_after_compares_at_the_dates_precision() {
        let b = DateTime::parse_from_rfc3339("2023-08-08T10:00:00+01:00").ok();
        assert!(not_after(&occurred_on(2023, Some(8), Some(8)), b));
        assert!(not_after(&occurred_on(2023, Some(8), None), b));
        assert!(not_after(&occurred_on(2023, None, None), b));
        assert!(!not_after(&occurred_on(2023, Some(8), Some(9)), b));
        assert!(!not_after(&occurred_on(2024, None, None), b));
        assert!(not_after(&occurred_on(2030, None, None), None));
    }
}
