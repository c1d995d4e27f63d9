//! Phrase matching word by word ([`PhraseMatcher`]): the document is tokenised once into
//! alphanumeric runs, each token (or pair of tokens) is looked up in a hash map of phrase
//! openings, and candidate phrases are verified with a prefix comparison. Word boundaries come
//! for free and there is no big automaton.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A phrase found in a haystack: its byte range and the tag it was added with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<T: Copy> {
    /// Byte offset of the phrase's first byte.
    pub start: usize,
    /// Byte offset just past the phrase.
    pub end: usize,
    /// The tag the phrase was added with.
    pub tag: T,
}

/// FNV-1a: fast for the short keys used here.
#[derive(Default)]
struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<FnvHasher>>;

/// One phrase as stored for matching.
struct Phrase {
    /// lower-cased (when case-insensitive) phrase
    text: String,
    /// index into tags
    id: usize,
    /// phrase ends with an alphanumeric char (needs a boundary after it)
    word_end: bool,
}

/// A set of phrases, each with a tag, matched on whole words.
pub struct PhraseMatcher<T: Copy> {
    /// Phrases by their [`lookup_key`].
    by_lookup_key: FnvMap<String, Vec<Phrase>>,
    /// Phrases starting with a non-alphanumeric char ("£", "\"To\""): searched for as substrings.
    unkeyed: Vec<Phrase>,
    /// The tag of every phrase, by [`Phrase::id`].
    tags: Vec<T>,
    /// Phrases and haystack are compared lower-cased.
    case_insensitive: bool,
}

/// The phrase, plus its curly-apostrophe form when it has a straight apostrophe.
fn apostrophe_variants(p: &str) -> Vec<String> {
    let mut v = vec![p.to_string()];
    if p.contains('\'') {
        v.push(p.replace('\'', "’"));
    }
    v
}

/// Whether `c` belongs to a word (a token).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// End of the alphanumeric run starting at `i`.
fn token_end(p: &str, i: usize) -> usize {
    let mut j = i;
    while j < p.len() {
        match p[j..].chars().next() {
            Some(c) if is_word_char(c) => j += c.len_utf8(),
            _ => break,
        }
    }
    j
}

/// End of the second token when `p[first_end..]` is one separator char followed by a token.
fn second_token_end(p: &str, first_end: usize) -> Option<usize> {
    let sep = p[first_end..].chars().next()?;
    if is_word_char(sep) {
        return None;
    }
    let k = first_end + sep.len_utf8();
    let e = token_end(p, k);
    (e > k).then_some(e)
}

/// Lookup key of a phrase: its first token, or its first two tokens with their separator.
fn lookup_key(p: &str) -> Option<String> {
    let e1 = token_end(p, 0);
    if e1 == 0 {
        return None;
    }
    Some(match second_token_end(p, e1) {
        Some(e2) => p[..e2].to_string(),
        None => p[..e1].to_string(),
    })
}

impl<T: Copy> PhraseMatcher<T> {
    #[cfg(test)]
    fn from_strs(pairs: &[(&str, T)], case_insensitive: bool) -> Self {
        Self::from_pairs(
            pairs.iter().map(|(p, t)| (p.to_string(), *t)).collect(),
            case_insensitive,
        )
    }

    /// Builds from (phrase, tag) pairs, adding curly-apostrophe variants.
    pub fn from_pairs(pairs: Vec<(String, T)>, case_insensitive: bool) -> Self {
        let mut matcher = PhraseMatcher {
            by_lookup_key: FnvMap::default(),
            unkeyed: Vec::new(),
            tags: Vec::with_capacity(pairs.len()),
            case_insensitive,
        };
        for (phrase, tag) in pairs {
            for variant in apostrophe_variants(&phrase) {
                let id = matcher.tags.len();
                matcher.tags.push(tag);
                matcher.insert(variant, id);
            }
        }
        matcher
    }

    /// Adds more phrases (already including any variants wanted).
    pub fn extend(&mut self, pairs: impl Iterator<Item = (String, T)>) {
        for (p, t) in pairs {
            let id = self.tags.len();
            self.tags.push(t);
            self.insert(p, id);
        }
    }

    /// Stores one phrase under its lookup key; phrases a case-insensitive matcher cannot
    /// lower-case in place (non-ASCII case changes that change the length) are skipped.
    fn insert(&mut self, p: String, id: usize) {
        if p.is_empty() {
            return;
        }
        let text = if self.case_insensitive {
            p.to_lowercase()
        } else {
            p
        };
        if self.case_insensitive && text.len() != text.to_ascii_lowercase().len() {
            return;
        }
        let word_end = text.chars().next_back().is_some_and(is_word_char);
        match lookup_key(&text) {
            Some(key) => {
                self.by_lookup_key
                    .entry(key)
                    .or_default()
                    .push(Phrase { text, id, word_end })
            }
            None => self.unkeyed.push(Phrase { text, id, word_end }),
        }
    }

    /// Every phrase occurrence in `hay`, overlapping: (start, end, tag index).
    fn all_hits(&self, hay: &str) -> Vec<(usize, usize, usize)> {
        let lowered;
        // ASCII lower-casing keeps byte offsets.
        let h: &str = if self.case_insensitive {
            lowered = hay.to_ascii_lowercase();
            &lowered
        } else {
            hay
        };
        let toks = tokens(h);
        let mut out = Vec::new();
        let boundary_ok = |e: usize| -> bool {
            match h.as_bytes().get(e) {
                None => true,
                Some(b) if b.is_ascii() => !b.is_ascii_alphanumeric(),
                Some(_) => h[e..].chars().next().is_none_or(|c2| !is_word_char(c2)),
            }
        };
        for (k, &(ts, te)) in toks.iter().enumerate() {
            let mut ends = [Some(te), None];
            if let Some(&(ns, ne)) = toks.get(k + 1) {
                // one separator char between the tokens
                if ns > te && h[te..ns].chars().count() == 1 {
                    ends[1] = Some(ne);
                }
            }
            for ke in ends.into_iter().flatten() {
                let Some(cands) = self.by_lookup_key.get(&h[ts..ke]) else {
                    continue;
                };
                let rest = &h.as_bytes()[ts..];
                for p in cands {
                    let pb = p.text.as_bytes();
                    if rest.len() >= pb.len() && &rest[..pb.len()] == pb {
                        let e = ts + pb.len();
                        if !p.word_end || boundary_ok(e) {
                            out.push((ts, e, p.id));
                        }
                    }
                }
            }
        }
        for p in &self.unkeyed {
            let mut from = 0;
            while let Some(k) = h[from..].find(p.text.as_str()) {
                let s = from + k;
                let e = s + p.text.len();
                if !p.word_end || boundary_ok(e) {
                    out.push((s, e, p.id));
                }
                from = e.max(s + 1);
                while from < h.len() && !h.is_char_boundary(from) {
                    from += 1;
                }
            }
        }
        out
    }

    /// One pass over `hay`; leftmost-longest selection of hits done separately per class.
    pub fn find_classes<const N: usize>(
        &self,
        hay: &str,
        class: impl Fn(&T) -> usize,
    ) -> [Vec<Hit<T>>; N] {
        let mut out: [Vec<Hit<T>>; N] = std::array::from_fn(|_| Vec::new());
        let mut all = self.all_hits(hay);
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut last_end = [0usize; N];
        for (s, e, p) in all {
            let tag = self.tags[p];
            let c = class(&tag);
            if c < N && s >= last_end[c] {
                out[c].push(Hit {
                    start: s,
                    end: e,
                    tag,
                });
                last_end[c] = e;
            }
        }
        out
    }

    /// All hits, leftmost-longest, non-overlapping.
    #[cfg(test)]
    pub fn find(&self, hay: &str) -> Vec<Hit<T>> {
        let [v] = self.find_classes::<1>(hay, |_| 0);
        v
    }
}

/// Alphanumeric runs of `h` as byte ranges.
fn tokens(h: &str) -> Vec<(usize, usize)> {
    let b = h.as_bytes();
    let mut out = Vec::with_capacity(h.len() / 5);
    let mut i = 0;
    let mut start: Option<usize> = None;
    while i < b.len() {
        let (w, l) = if b[i].is_ascii() {
            (b[i].is_ascii_alphanumeric(), 1)
        } else {
            match h[i..].chars().next() {
                Some(c) => (is_word_char(c), c.len_utf8()),
                None => (false, 1),
            }
        };
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += l;
    }
    if let Some(s) = start {
        out.push((s, b.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bounded() {
        let lx = PhraseMatcher::from_strs(&[("name", 1u8), ("names", 2), ("rank", 3)], true);
        let hits = lx.find("Names, ranks and a surname; rank.");
        let tags: Vec<u8> = hits.iter().map(|h| h.tag).collect();
        assert_eq!(tags, vec![2, 3]);
    }

    #[test]
    fn apostrophe_variants() {
        let lx = PhraseMatcher::from_strs(&[("didn't hold", 1u8)], true);
        assert_eq!(lx.find("it didn’t hold them").len(), 1);
        assert_eq!(lx.find("it didn't hold them").len(), 1);
        assert_eq!(lx.find("it didn't holder them").len(), 0);
    }

    #[test]
    fn longest_wins_and_odd_patterns() {
        let lx = PhraseMatcher::from_strs(
            &[
                ("south wales police", 1u8),
                ("new south wales police", 2),
                ("£", 3),
            ],
            true,
        );
        let h = lx.find("the New South Wales Police paid £5");
        let tags: Vec<u8> = h.iter().map(|h| h.tag).collect();
        assert_eq!(tags, vec![2, 3]);
    }

    #[test]
    fn case_sensitive() {
        let lx = PhraseMatcher::from_strs(&[("MPS", 1u8)], false);
        assert_eq!(lx.find("MPs and the MPS").len(), 1);
    }
}
