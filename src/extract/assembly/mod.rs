//! Assembly of per-incident reports from an article's sentences ([`run`]).
//!
//! The walk goes sentence by sentence, keeping a body in focus: a sentence naming bodies as
//! its subject gives each the facts stated after its name and moves the focus to the one with
//! most facts; a sentence naming none gives its facts to the body in focus (or holds them
//! until one is named). A paragraph that names only other bodies starts without focus (a
//! round-up). An aside to another breach of the body in focus becomes a story of its own.
//! Once the walk is over the stories are merged (`stories`) and each one the article makes a
//! breach's victim becomes a report (`report`).

mod report;
mod stories;

use std::collections::{BTreeMap, BTreeSet};

use super::forces;
use super::lexicon;
use super::sentence::{
    self, MentionGroup, SentenceContext, SentenceFacts, SentenceMentions, VictimCue,
};
use super::text;
use super::{ArticleInput, Extraction};
use crate::model::{Cause, Span};
use stories::{aside_key, is_aside_tag, OneBody, SentenceMark, Story, StoryKey};

/// The state of the walk over the sentences.
struct Walk {
    /// The stories so far, by the ids of their body.
    stories: BTreeMap<StoryKey, Story>,
    /// Bodies said not to be involved.
    excluded: BTreeSet<String>,
    /// The body the text is about now.
    focus: Option<StoryKey>,
    /// The focus before a paragraph that names only other bodies.
    saved_focus: Option<StoryKey>,
    /// Facts of sentences read while no body was in focus.
    pending: Vec<(SentenceMark, SentenceFacts)>,
    /// How many asides have been found.
    asides: usize,
}

impl Walk {
    /// The story of `key`, created empty when there is none yet.
    fn story(&mut self, key: &StoryKey) -> &mut Story {
        self.stories.entry(key.clone()).or_default()
    }

    /// Gives the held facts to the story of `key` (creating it even when none are held).
    fn give_pending_to(&mut self, key: &StoryKey) {
        let pending = std::mem::take(&mut self.pending);
        let story = self.story(key);
        for (mark, facts) in pending {
            story.add(&facts, mark);
        }
    }

    /// Starts a story for the next aside about the body of `ids`: the facts before `aside_at`
    /// go to the body's story, the rest to the aside's.
    fn split_off_aside(
        &mut self,
        ids: &StoryKey,
        evidence: &[Span],
        facts: &SentenceFacts,
        mark: SentenceMark,
        aside_at: usize,
    ) {
        let (main, other) = facts.split_at(aside_at);
        self.asides += 1;
        let story = self.story(ids);
        story.force_evidence.extend(evidence.iter().copied());
        story.add(
            &main,
            SentenceMark {
                headline: false,
                ..mark
            },
        );
        let aside = aside_key(ids, self.asides);
        let story = self.story(&aside);
        story.force_evidence.extend(evidence.iter().copied());
        story.add(
            &other,
            SentenceMark {
                victim_cue: true,
                headline: false,
                ..mark
            },
        );
    }

    /// A new paragraph: when it names bodies and none is the one in focus, and its first
    /// sentence names none, its leading sentences wait for the paragraph's first named body
    /// (round-ups). A focus put aside by the paragraph before comes back first when no body
    /// took its place.
    fn start_paragraph(&mut self, paragraph_forces: &BTreeSet<String>, first_has_group: bool) {
        if let Some(saved) = self.saved_focus.take() {
            if self.focus.is_none() {
                self.give_pending_to(&saved);
                self.focus = Some(saved);
            }
        }
        if let Some(focus) = &self.focus {
            if !paragraph_forces.is_empty()
                && !first_has_group
                && paragraph_forces.intersection(focus).next().is_none()
            {
                self.saved_focus = self.focus.take();
            }
        }
    }

    /// A sentence naming no subject: its facts go to the body in focus, or wait for one.
    fn add_to_focus(&mut self, facts: SentenceFacts, mark: SentenceMark, aside_at: Option<usize>) {
        let Some(focus) = self.focus.clone() else {
            self.pending.push((mark, facts));
            return;
        };
        match aside_at {
            Some(pos) => self.split_off_aside(&focus, &[], &facts, mark, pos),
            None => self.story(&focus).add(&facts, mark),
        }
    }

    /// A sentence naming subjects: each group gets the facts stated after its name, and the
    /// focus moves to the group with most facts (unless the sentence only compares).
    fn add_to_groups(
        &mut self,
        ctx: &SentenceContext,
        groups: &[MentionGroup],
        facts: &SentenceFacts,
        mark: SentenceMark,
        aside_at: Option<usize>,
    ) {
        self.saved_focus = None;
        // attribute facts by position to groups
        let group_at = |pos: usize| -> usize {
            let mut index = 0;
            for (k, g) in groups.iter().enumerate() {
                if g.start <= pos {
                    index = k;
                }
            }
            index
        };
        let mut per_group: Vec<SentenceFacts> = vec![SentenceFacts::default(); groups.len()];
        for &(p, t) in &facts.types {
            per_group[group_at(p)].types.push((p, t));
        }
        for &(p, t) in &facts.not_exposed {
            per_group[group_at(p)].not_exposed.push((p, t));
        }
        for c in &facts.counts {
            per_group[group_at(c.start)].counts.push(c.clone());
        }
        for &(p, c, w) in &facts.causes {
            per_group[group_at(p)].causes.push((p, c, w));
        }
        for &p in &facts.supplier_cues {
            per_group[group_at(p)].supplier_cues.push(p);
        }
        for d in &facts.developments {
            per_group[group_at(d.position)].developments.push(d.clone());
        }
        if facts.supplier_name.is_some() {
            let k = facts
                .supplier_cues
                .first()
                .map(|&p| group_at(p))
                .unwrap_or(0);
            per_group[k].supplier_name = facts.supplier_name.clone();
        }
        if facts.one_person {
            per_group[0].one_person = true;
        }
        // choose new focus: the group with most facts (first on ties)
        let mut best = 0;
        let mut best_count = 0;
        for (k, group_facts) in per_group.iter().enumerate() {
            let count = group_facts.fact_count();
            if count > best_count {
                best = k;
                best_count = count;
            }
        }
        // With no facts to decide, a sentence naming the body in focus and another ("though
        // not as bad as the leak at X") stays on the body in focus.
        if best_count == 0 {
            if let Some(k) = self
                .focus
                .as_ref()
                .and_then(|focus| groups.iter().position(|g| &g.ids == focus))
            {
                best = k;
            }
        }
        let comparison = ctx.has(lexicon::Cue::Comparison) && best_count == 0;
        for (k, g) in groups.iter().enumerate() {
            // The body in focus named again after an aside marker ("... follows another
            // breach at X"): what follows the marker is that other story.
            let aside_here =
                aside_at.filter(|p| *p <= g.start && self.focus.as_ref() == Some(&g.ids));
            if let Some(pos) = aside_here {
                self.split_off_aside(&g.ids, &g.spans, &per_group[k], mark, pos);
                continue;
            }
            let story = self.story(&g.ids);
            story.force_evidence.extend(g.spans.iter().copied());
            story.add(&per_group[k], mark);
        }
        if !comparison || self.focus.is_none() {
            let new_focus = groups[best].ids.clone();
            if self.focus.is_none() && !self.pending.is_empty() {
                self.give_pending_to(&new_focus);
            }
            self.focus = Some(new_focus);
        }
    }
}

/// Whether the article is written in the first person ("we have identified ...").
fn written_in_first_person(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains(" we ") || lower.starts_with("we ") || lower.contains("\nwe ")
}

/// The reason given for an article that names no police body.
const NO_FORCE: &str = "no police force named";

/// Extracts the article's reports: the walk over its sentences, then the merging of stories.
pub fn run(input: &ArticleInput) -> Extraction {
    run_with(input, true)
}

/// [`run`]; without `shortcut`, an article naming no body is walked all the same (the tests
/// check that the shortcut changes nothing).
fn run_with(input: &ArticleInput, shortcut: bool) -> Extraction {
    let doc = super::document(input.title, input.text);
    let mut scan = lexicon::scan(&doc);
    let mentions = forces::mentions_from(&doc, std::mem::take(&mut scan.forces));
    let source_forces = forces::forces_in_source(input.source);
    // A press release: first-person text, the force named only in the source. (The text is
    // lowercased to tell first person only when the other two hold: most articles fail them.)
    let press_release = !source_forces.is_empty()
        && !mentions.iter().any(|m| m.start < input.title.len())
        && written_in_first_person(input.text);
    if shortcut && mentions.is_empty() && !press_release {
        // Nothing can become a story: a story is some body's, and the walk below takes the
        // body from a mention or, in a press release, from the source. Most articles a news
        // feed carries name no police body; the walk was most of their extraction time.
        // (What the walk would give: `run_gives_the_same_without_any_body_named` checks.)
        return Extraction {
            relevant: false,
            reason: NO_FORCE.to_string(),
            reports: Vec::new(),
            warnings: Vec::new(),
        };
    }
    let lower_doc = doc.to_ascii_lowercase();
    let sentences = text::split(&doc, input.title.len());
    let mention_spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    let mut warnings = Vec::new();
    let mut walk = Walk {
        stories: BTreeMap::new(),
        excluded: BTreeSet::new(),
        focus: None,
        saved_focus: None,
        pending: Vec::new(),
        asides: 0,
    };

    if press_release {
        walk.focus = Some(source_forces);
        warnings.push("forces taken from the source name (first-person press release)".to_string());
    }

    let contexts: Vec<SentenceContext> = sentences
        .iter()
        .map(|s| SentenceContext::new(&doc, &lower_doc, s, &scan))
        .collect();
    // pass 1: mention groups and roles per sentence
    let sentence_mentions: Vec<SentenceMentions> = contexts
        .iter()
        .map(|ctx| sentence::group_mentions(ctx, &mentions))
        .collect();
    // force sets named as one body ("Norfolk and Suffolk Police")
    let joint_names: BTreeSet<StoryKey> = sentence_mentions
        .iter()
        .flat_map(|m| m.joint_names.iter().cloned())
        .collect();
    // forces named as subjects per paragraph
    let mut paragraph_forces: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (s, named) in sentences.iter().zip(&sentence_mentions) {
        let forces = paragraph_forces.entry(s.paragraph).or_default();
        for g in &named.groups {
            forces.extend(g.ids.iter().cloned());
        }
    }

    // pass 2: the walk
    let mut paragraph = usize::MAX;
    for (ctx, named) in contexts.iter().zip(&sentence_mentions) {
        let s = ctx.sentence;
        if s.paragraph != paragraph {
            paragraph = s.paragraph;
            let forces = paragraph_forces
                .get(&s.paragraph)
                .cloned()
                .unwrap_or_default();
            walk.start_paragraph(&forces, !named.groups.is_empty());
        }
        let generic = ctx.has(lexicon::Cue::Generic);
        let statistics = sentence::is_statistics(ctx);
        let mut groups = named.groups.clone();
        let mut not_involved = !named.not_involved_ids.is_empty();
        walk.excluded.extend(named.not_involved_ids.iter().cloned());
        if !named.any_mention && ctx.has(lexicon::Cue::NotInvolved) {
            // "no police systems or records were involved": the force in play is not the victim
            not_involved = true;
            if let Some(focus) = &walk.focus {
                walk.excluded.extend(focus.iter().cloned());
            }
        }
        groups.retain(|g| !g.ids.iter().all(|i| walk.excluded.contains(i)));
        if not_involved {
            if let Some(focus) = &walk.focus {
                if focus.iter().any(|i| walk.excluded.contains(i)) {
                    walk.focus = None;
                }
            }
        }
        let investigator_only = groups.is_empty() && named.any_mention && !not_involved;
        let facts = if generic || statistics || not_involved || investigator_only {
            SentenceFacts::default()
        } else {
            sentence::sentence_facts(ctx, &mention_spans)
        };
        let strength = if generic || statistics || not_involved {
            VictimCue::None
        } else {
            sentence::victim_cue(ctx, &facts, &groups, press_release)
        };
        let mark = SentenceMark {
            span: Span {
                start: s.start,
                end: s.end,
            },
            victim_cue: strength != VictimCue::None,
            // Only a strong cue in the headline makes a report without facts (see
            // `Story::headline`).
            headline: s.is_title && strength == VictimCue::Strong,
        };
        // An aside to another story of the body in focus (not in the headline).
        let aside_at = sentence::aside_start(ctx);
        if groups.is_empty() {
            if investigator_only || not_involved {
                continue;
            }
            walk.add_to_focus(facts, mark, aside_at);
            continue;
        }
        walk.add_to_groups(ctx, &groups, &facts, mark, aside_at);
    }
    if let Some(saved) = walk.saved_focus.take() {
        if walk.focus.is_none() {
            walk.give_pending_to(&saved);
        }
    }

    let collaborations = &forces::gazetteer().collaborations;
    let merged = stories::merge_stories(
        walk.stories,
        &walk.excluded,
        OneBody {
            joint_names: &joint_names,
            collaborations,
        },
    );
    let title_end = sentences
        .iter()
        .filter(|s| s.is_title)
        .map(|s| s.end)
        .max()
        .unwrap_or(0);
    // supersets without facts of their own are dropped (their members report separately)
    let mut reports = Vec::new();
    let mut rejected = Vec::new();
    for (key, story) in merged {
        let forces: Vec<String> = key.iter().filter(|i| !is_aside_tag(i)).cloned().collect();
        // An aside is a story when it says what was exposed or how, not a figure alone
        // ("the fine follows 200 complaints").
        let told = !story.types.is_empty() || story.causes.keys().any(|c| *c != Cause::Unknown);
        let has_any = if story.aside {
            told
        } else {
            told || !story.counts.is_empty()
        };
        // A headline that names the body as a breach's victim is a report even before any
        // data, figure or cause is known (news-search feeds carry little else); in the body,
        // such a bare mention is a passing reference to some other story.
        if story.victim_cues == 0 || !(has_any || story.headline) {
            rejected.push(format!(
                "{} ({})",
                forces.join("+"),
                if story.victim_cues == 0 {
                    "no victim cue"
                } else {
                    "bare mention"
                }
            ));
            continue;
        }
        reports.push(report::build_report(forces, story, title_end));
    }
    reports.sort_by(|a, b| {
        let sa = a.force_evidence.first().map(|s| s.start).unwrap_or(0);
        let sb = b.force_evidence.first().map(|s| s.start).unwrap_or(0);
        sa.cmp(&sb)
    });
    let relevant = !reports.is_empty();
    let reason = if relevant {
        let names: Vec<String> = reports.iter().map(|r| r.forces.join("+")).collect();
        format!("police body as breach victim: {}", names.join(", "))
    } else if mentions.is_empty() {
        NO_FORCE.to_string()
    } else if rejected.is_empty() {
        "police named only as investigator, partner or location".to_string()
    } else {
        format!("no police-victim breach facts: {}", rejected.join(", "))
    };
    if reports.len() > 1 {
        warnings.push(format!(
            "{} incidents reported in one article",
            reports.len()
        ));
    }
    Extraction {
        relevant,
        reason,
        reports,
        warnings,
    }
}

#[cfg(test)]
mod shortcut_tests {
    use super::*;
    use proptest::prelude::*;

    fn both(title: &str, text: &str, source: &str) -> (Extraction, Extraction) {
        let input = ArticleInput {
            url: "https://news.example/a",
            title,
            text,
            source,
            published: None,
        };
        (run_with(&input, true), run_with(&input, false))
    }

    #[test]
    fn run_gives_the_same_without_any_body_named() {
        let cases = [
            (
                "Hospital trust leaks patient records",
                "A hospital trust said the names and addresses of 900 patients were emailed \
                 to the wrong list. The council was not involved.",
                "Local Paper",
            ),
            (
                "Data breach at the force",
                "The force apologised after a spreadsheet of officers' names was published \
                 in error. No bank details were taken.",
                "Daily Example",
            ),
            (
                "Statement",
                "We have written to everyone affected after their home addresses were sent \
                 to the wrong person.",
                "Daily Example",
            ),
            ("", "", ""),
        ];
        for (title, text, source) in cases {
            let (short, walked) = both(title, text, source);
            assert_eq!(short, walked, "{title}");
            assert_eq!(short.reason, NO_FORCE);
        }
    }

    #[test]
    fn a_press_release_or_a_named_force_is_still_walked() {
        let (x, walked) = both(
            "Statement on a data incident",
            "We have written to 40 officers after a list of their names and home addresses \
             was emailed to the wrong recipient by mistake.",
            "Kent Police",
        );
        assert_eq!(x, walked);
        // Only the walk says so.
        assert!(
            x.warnings.iter().any(|w| w.contains("source name")),
            "{:?}",
            x.warnings
        );
        let (y, _) = both(
            "Kent Police data breach",
            "Kent Police said the names of 40 officers were published in error.",
            "Daily Example",
        );
        assert!(y.relevant, "{}", y.reason);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_shortcut_changes_nothing(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("the"), Just("force"), Just("data"), Just("breach"), Just("names"),
                    Just("officers"), Just("we"), Just("were"), Just("leaked"), Just("police"),
                    Just("Kent"), Just("Police"), Just("Met"), Just("addresses"), Just("."),
                    Just("200"), Just("emailed"), Just("in"), Just("error"), Just("\n\n"),
                ],
                0..60,
            ),
            source in prop_oneof![Just(""), Just("Kent Police"), Just("Daily Example")],
        ) {
            let text = words.join(" ");
            let (short, walked) = both("Headline", &text, source);
            prop_assert_eq!(short, walked);
        }
    }
}

#[cfg(test)]
mod perf_probe {
    use super::*;
    use crate::extract::numbers;

    /// Times the stages of extraction on the seed article; run by hand with `--ignored`.
    #[test]
    #[ignore]
    fn probe() {
        let raw = include_str!("../testdata/seed_article.txt");
        let doc = &raw[..2000];
        let n = 1000;
        let _ = forces::find_mentions(doc);
        let _ = lexicon::scan(doc);
        macro_rules! time {
            ($name:expr, $e:expr) => {{
                let t = std::time::Instant::now();
                for _ in 0..n {
                    std::hint::black_box($e);
                }
                eprintln!("{} {:?}", $name, t.elapsed() / n);
            }};
        }
        time!("scan", lexicon::scan(doc));
        time!("mentions", forces::find_mentions(doc));
        time!("split", text::split(doc, 10));
        time!("counts", numbers::counts_in(doc, 0));
        time!("money", numbers::money_in(doc));
        let (title, text) = raw.split_once("\n\n").unwrap();
        let text = &text[..1900];
        let input = ArticleInput {
            url: "",
            title,
            text,
            source: "X",
            published: None,
        };
        time!("run", run(&input));
    }
}
