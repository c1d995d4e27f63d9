//! Near duplicates: the MinHash signature of an article's text, the similarity of two
//! signatures, and when two signed articles are copies of one story ([`copies`]).
//!
//! In: text, signatures (as `u32`s, or as the store keeps them: little-endian bytes) and
//! times. Out: signatures, similarities and yes/no. Pure.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};

use crate::model::ReportRecord;

/// Signature length.
pub const MINHASH_LEN: usize = 64;
/// Estimated Jaccard at or above which two articles are copies of one story.
pub const NEAR_DUP_THRESHOLD: f64 = 0.28;
/// Copies (syndicated, spun) run within this many days of the original (wire copies the same
/// day, weeklies within the fortnight); similar text further apart is another story told with
/// the same boilerplate (a force's breaches a month apart are often written up from one
/// template), and is matched on its facts. Was 30 days: with copies symmetric, stories four
/// weeks apart chained into one (measured on the synthetic corpus: 7 and 14 days group alike).
pub const COPY_DAYS: i64 = 14;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// MinHash signature of a text's word 3-shingles (lowercased alphanumeric words). A shingle's
/// hash combines its three word hashes, so no string is built per shingle.
pub fn minhash(text: &str) -> Vec<u32> {
    let mut lower = String::new();
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase()) || !w.is_ascii() {
                lower.clear();
                lower.extend(w.chars().flat_map(char::to_lowercase));
                fnv1a(lower.as_bytes())
            } else {
                fnv1a(w.as_bytes())
            }
        })
        .collect();
    let mut sig = vec![u32::MAX; MINHASH_LEN];
    if words.len() < 3 {
        return sig;
    }
    let mut seen = HashSet::with_capacity(words.len());
    for w in words.windows(3) {
        let h = mix(mix(w[0] ^ mix(w[1]).rotate_left(21)) ^ mix(w[2]).rotate_left(42));
        if !seen.insert(h) {
            continue;
        }
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = (mix(h ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    agreement(a, b.len(), b.iter().copied())
}

/// [`similarity`] of a signature and one as stored (its values as little-endian u32s).
pub fn similarity_stored(a: &[u32], b: &[u8]) -> f64 {
    if !b.len().is_multiple_of(4) {
        return 0.0;
    }
    let values = b
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    agreement(a, b.len() / 4, values)
}

/// The share of positions where `a` and `b` (of `b_len` values) agree; 0 for signatures of
/// different lengths, an empty one, or one of an empty text.
fn agreement(a: &[u32], b_len: usize, b: impl Iterator<Item = u32>) -> f64 {
    if a.len() != b_len || a.is_empty() || a.iter().all(|v| *v == u32::MAX) {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| **x == *y).count() as f64 / a.len() as f64
}

/// Whether two signed articles are copies of one story: similar text, published within
/// [`COPY_DAYS`] of each other. Symmetric, so it does not matter which was stored first.
pub fn copies(a: &[u32], at: DateTime<FixedOffset>, b: &[u32], bt: DateTime<FixedOffset>) -> bool {
    !a.is_empty()
        && (at - bt).num_seconds().abs() <= COPY_DAYS * 86_400
        && similarity(a, b) >= NEAR_DUP_THRESHOLD
}

/// The article keys whose reports [`may_join`](super::may_join) takes as copies of `r`'s
/// story: its own article's, the one it was stored as a copy of (records from before
/// signatures were kept), and `copied`, the stored articles its article copies.
pub fn copy_keys<'a>(r: &'a ReportRecord, copied: &'a [String]) -> HashSet<&'a str> {
    std::iter::once(r.source.article_key.as_str())
        .chain(r.near_duplicate_of.as_deref())
        .chain(copied.iter().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minhash_separates_copies_from_other_stories() {
        let a = "Police in the county apologised after a spreadsheet containing the names of officers was published online in error in response to a freedom of information request on Tuesday afternoon";
        let syndicated = a.replace("Tuesday", "Wednesday");
        let spun = "Police in the county apologised after a spreadsheet containing the names of officers was revealed on-line in error in response to a freedom of data request on Tuesday afternoon";
        let other = "A man has been charged with burglary after a break-in at a shop in the town centre on Saturday night, officers said, and appealed for witnesses to come forward";
        let (sa, sb, sc, sd) = (
            minhash(a),
            minhash(&syndicated),
            minhash(spun),
            minhash(other),
        );
        assert!(similarity(&sa, &sb) > 0.7);
        assert!(
            similarity(&sa, &sc) >= NEAR_DUP_THRESHOLD,
            "{}",
            similarity(&sa, &sc)
        );
        assert!(similarity(&sa, &sd) < 0.1);
        assert_eq!(minhash(a), sa, "deterministic");

        // Copies either way round, only within COPY_DAYS, never without a signature.
        let t = |d: i64| {
            DateTime::from_timestamp(1_700_000_000 + d * 86_400, 0)
                .unwrap()
                .fixed_offset()
        };
        assert!(copies(&sa, t(0), &sc, t(COPY_DAYS)));
        assert!(copies(&sc, t(COPY_DAYS), &sa, t(0)));
        assert!(!copies(&sa, t(0), &sc, t(COPY_DAYS + 1)));
        assert!(!copies(&sa, t(0), &sd, t(0)));
        assert!(!copies(&[], t(0), &sa, t(0)));
    }

    #[test]
    fn a_stored_signature_compares_as_the_signature_it_stores() {
        let a = minhash("a spreadsheet of officers' names was published in error");
        let b = minhash("a spreadsheet of officers' names was put online in error");
        let stored: Vec<u8> = b.iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(similarity_stored(&a, &stored), similarity(&a, &b));
        assert_eq!(similarity_stored(&a, &stored[4..]), 0.0, "wrong length");
    }
}
