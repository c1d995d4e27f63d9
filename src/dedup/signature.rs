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

/// The multiplier that spreads the signature's slot numbers over 64 bits: slot `i` of a
/// shingle hashed `h` is `mix(h ^ i * SLOT_SPREAD) >> 32`.
const SLOT_SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

/// MinHash signature of a text's word 3-shingles (lowercased alphanumeric words). A shingle's
/// hash combines its three word hashes, so no string is built per shingle.
///
/// Each distinct shingle costs 64 hashes, one a slot, and that was a fifth of an article's
/// analysis. They are worked out eight at a time with AVX-512 where the processor has it
/// (checked once, at run time), else one at a time: the same values either way (a test holds
/// the two to each other and to `minhash_reference`). Distinct shingles are found by
/// sorting their hashes (a minimum does not depend on the order its values come in).
pub fn minhash(text: &str) -> Vec<u32> {
    let mut shingles = shingle_hashes(text);
    let mut sig = vec![u32::MAX; MINHASH_LEN];
    shingles.sort_unstable();
    shingles.dedup();
    #[cfg(target_arch = "x86_64")]
    if wide::available() {
        // SAFETY: the processor has the features `wide::min_slots` is compiled for.
        unsafe { wide::min_slots(&shingles, &mut sig) };
        return sig;
    }
    min_slots(&shingles, &mut sig);
    sig
}

/// The hashes of a text's word 3-shingles, in text order, repeats included (none for a text
/// of fewer than three words).
fn shingle_hashes(text: &str) -> Vec<u64> {
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
    words
        .windows(3)
        .map(|w| mix(mix(w[0] ^ mix(w[1]).rotate_left(21)) ^ mix(w[2]).rotate_left(42)))
        .collect()
}

/// Lowers each slot of `sig` to the smallest value any of `shingles` gives it, one hash at a
/// time.
fn min_slots(shingles: &[u64], sig: &mut [u32]) {
    for &h in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = (mix(h ^ (i as u64).wrapping_mul(SLOT_SPREAD)) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
}

/// [`min_slots`] with AVX-512: eight slots a vector instruction.
#[cfg(target_arch = "x86_64")]
mod wide {
    use std::arch::x86_64::*;
    use std::sync::OnceLock;

    use super::{MINHASH_LEN, SLOT_SPREAD};

    /// Vectors of eight slots in a signature.
    const VECTORS: usize = MINHASH_LEN / 8;

    /// Whether this processor runs [`min_slots`] (AVX-512 F and DQ: 64-bit multiplies).
    pub fn available() -> bool {
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(|| {
            is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512dq")
        })
    }

    /// splitmix64's finaliser (`super::mix`) on eight lanes.
    #[target_feature(enable = "avx512f,avx512dq")]
    fn mix8(x: __m512i) -> __m512i {
        let m1 = _mm512_set1_epi64(0xbf58_476d_1ce4_e5b9_u64 as i64);
        let m2 = _mm512_set1_epi64(0x94d0_49bb_1331_11eb_u64 as i64);
        let x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64::<30>(x)), m1);
        let x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64::<27>(x)), m2);
        _mm512_xor_si512(x, _mm512_srli_epi64::<31>(x))
    }

    /// See [`super::min_slots`].
    ///
    /// # Safety
    ///
    /// Only where [`available`] says so.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub unsafe fn min_slots(shingles: &[u64], sig: &mut [u32]) {
        assert_eq!(sig.len(), MINHASH_LEN);
        let spread: [__m512i; VECTORS] = std::array::from_fn(|v| {
            let lane = |l: u64| ((v as u64) * 8 + l).wrapping_mul(SLOT_SPREAD) as i64;
            _mm512_set_epi64(
                lane(7),
                lane(6),
                lane(5),
                lane(4),
                lane(3),
                lane(2),
                lane(1),
                lane(0),
            )
        });
        // The minima as 64-bit lanes holding 32-bit values.
        let mut min = [_mm512_set1_epi64(u32::MAX as i64); VECTORS];
        for &h in shingles {
            let h = _mm512_set1_epi64(h as i64);
            for v in 0..VECTORS {
                let value = _mm512_srli_epi64::<32>(mix8(_mm512_xor_si512(h, spread[v])));
                min[v] = _mm512_min_epu64(min[v], value);
            }
        }
        for (v, m) in min.iter().enumerate() {
            let mut lanes = [0u64; 8];
            // SAFETY: `lanes` is 64 bytes, an unaligned store writes exactly those.
            unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), *m) };
            for (l, value) in lanes.iter().enumerate() {
                sig[v * 8 + l] = *value as u32;
            }
        }
    }
}

/// The signature as first written (a set of seen shingles, one hash a slot), kept for the
/// tests to hold [`minhash`] to.
#[cfg(test)]
fn minhash_reference(text: &str) -> Vec<u32> {
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

    /// Texts for the equivalence tests: short, repeated, mixed case, non-ASCII, long.
    fn sample_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "",
            "one",
            "one two",
            "one two three",
            "Police apologised; police APOLOGISED again. Police apologised!",
            "Die Polizei in Münster: Daten von Beamten veröffentlicht, ÄÖÜ straße",
            "a a a a a a a a a a a a",
        ]
        .map(String::from)
        .to_vec();
        let mut long = String::new();
        for i in 0..2_000u32 {
            long.push_str(&format!(
                "word{} Officer{} data-{} ",
                i % 97,
                i % 13,
                i * 7919 % 251
            ));
        }
        texts.push(long);
        texts
    }

    #[test]
    fn minhash_equals_the_reference_and_both_paths_agree() {
        for text in sample_texts() {
            let want = minhash_reference(&text);
            assert_eq!(minhash(&text), want, "{text:.40}");
            let mut shingles = shingle_hashes(&text);
            shingles.sort_unstable();
            shingles.dedup();
            let mut scalar = vec![u32::MAX; MINHASH_LEN];
            min_slots(&shingles, &mut scalar);
            assert_eq!(scalar, want, "one at a time: {text:.40}");
            #[cfg(target_arch = "x86_64")]
            if wide::available() {
                let mut vector = vec![u32::MAX; MINHASH_LEN];
                // SAFETY: checked just above.
                unsafe { wide::min_slots(&shingles, &mut vector) };
                assert_eq!(vector, want, "eight at a time: {text:.40}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn minhash_equals_the_reference_on_any_text(
            words in proptest::collection::vec("[a-zA-Zé0-9]{1,6}", 0..80),
            seps in proptest::collection::vec("[ ,.;\\n-]{1,2}", 80),
        ) {
            let text: String = words.iter().zip(&seps).map(|(w, s)| format!("{w}{s}")).collect();
            proptest::prop_assert_eq!(minhash(&text), minhash_reference(&text));
        }
    }

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
