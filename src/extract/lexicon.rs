//! Aho-Corasick backed phrase lexicons with word-boundary filtering.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// A phrase hit in a haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<T: Copy> {
    pub start: usize,
    pub end: usize,
    pub tag: T,
}

/// A set of phrases, each with a tag.
pub struct Lex<T: Copy> {
    ac: Option<AhoCorasick>,
    tags: Vec<T>,
}

fn variants(p: &str) -> Vec<String> {
    let mut v = vec![p.to_string()];
    if p.contains('\'') {
        v.push(p.replace('\'', "’"));
    }
    if p.contains(' ') && !p.contains('-') {
        // hyphenated compounds are written both ways ("body-worn", "body worn")
    }
    v
}

impl<T: Copy> Lex<T> {
    pub fn new(pairs: &[(&str, T)], case_insensitive: bool) -> Self {
        let mut pats = Vec::new();
        let mut tags = Vec::new();
        for (p, t) in pairs {
            for v in variants(p) {
                pats.push(v);
                tags.push(*t);
            }
        }
        Self::from_owned(pats, tags, case_insensitive)
    }

    pub fn from_owned(pats: Vec<String>, tags: Vec<T>, case_insensitive: bool) -> Self {
        let build = |kind: Option<AhoCorasickKind>| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(case_insensitive)
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&pats)
                .ok()
        };
        let ac = build(Some(AhoCorasickKind::DFA)).or_else(|| build(None));
        Lex { ac, tags }
    }

    /// All word-bounded hits, chosen leftmost-longest among bounded matches (non-overlapping).
    pub fn find(&self, hay: &str) -> Vec<Hit<T>> {
        let mut out = Vec::new();
        let Some(ac) = &self.ac else { return out };
        let mut all: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(hay)
            .filter(|m| bounded(hay, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut last_end = 0;
        for (s, e, p) in all {
            if s >= last_end {
                out.push(Hit { start: s, end: e, tag: self.tags[p] });
                last_end = e;
            }
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True when hay[s..e] is not glued to a word character on either side.
pub fn bounded(hay: &str, s: usize, e: usize) -> bool {
    let first = hay[s..e].chars().next();
    let last = hay[s..e].chars().next_back();
    let before_ok = match hay[..s].chars().next_back() {
        Some(c) => !(is_word_char(c) && first.is_some_and(is_word_char)),
        None => true,
    };
    let after_ok = match hay[e..].chars().next() {
        Some(c) => !(is_word_char(c) && last.is_some_and(is_word_char)),
        None => true,
    };
    before_ok && after_ok
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bounded() {
        let lx = Lex::new(&[("name", 1u8), ("names", 2), ("rank", 3)], true);
        let hits = lx.find("Names, ranks and a surname; rank.");
        let tags: Vec<u8> = hits.iter().map(|h| h.tag).collect();
        assert_eq!(tags, vec![2, 3]);
    }

    #[test]
    fn apostrophe_variants() {
        let lx = Lex::new(&[("didn't hold", 1u8)], true);
        assert_eq!(lx.find("it didn’t hold them").len(), 1);
        assert_eq!(lx.find("it didn't hold them").len(), 1);
    }

}
