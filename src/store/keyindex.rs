//! The article-key index ("is this article stored, and under which sequence number?") as
//! [`BUCKETS`] buckets, `key/<3 hex digits>`, each valued with its sorted entries.
//!
//! One entry per article under a hashed key spread the index over thousands of sled leaves
//! (a leaf holds at most 16 entries), and every new article's entry landed in a random one:
//! a fresh process storing 10k articles into a store of 90k read about 25,000 log fragments
//! back from disk to update them, most of the cost that grew with the store. With buckets, a
//! commit group rewrites at most [`BUCKETS`] values in at most 256 leaves. Each bucket holds
//! about N/4096 entries (24 bytes at 100k articles, 250 at 1M), which a commit rewrites.
//!
//! Bucket value: entries sorted by key, each `u8 length, key bytes, u64 sequence (BE)`.

use std::collections::BTreeMap;

use super::keys::ARTICLE_KEY;

/// How many buckets the index has.
pub const BUCKETS: u64 = 4096;

/// The bucket an article key is filed in.
pub fn bucket(key: &str) -> Vec<u8> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut out = ARTICLE_KEY.to_vec();
    out.extend_from_slice(format!("{:03x}", h % BUCKETS).as_bytes());
    out
}

/// The entries of a bucket value, in key order; stops at the first malformed entry.
pub fn entries(v: &[u8]) -> impl Iterator<Item = (&str, u64)> + '_ {
    let mut rest = v;
    std::iter::from_fn(move || {
        let (&n, tail) = rest.split_first()?;
        let n = n as usize;
        if tail.len() < n + 8 {
            return None;
        }
        let key = std::str::from_utf8(&tail[..n]).ok()?;
        let seq = u64::from_be_bytes(tail[n..n + 8].try_into().ok()?);
        rest = &tail[n + 8..];
        Some((key, seq))
    })
}

/// The sequence number of `key` in a bucket value.
pub fn find(v: &[u8], key: &str) -> Option<u64> {
    entries(v).find(|(k, _)| *k == key).map(|(_, s)| s)
}

/// A bucket value with `added` entries merged into `old` (an added key replaces a stored one).
/// Keys longer than 255 bytes are not indexed; article keys are 24 hex digits.
pub fn merge<'a>(
    old: Option<&'a [u8]>,
    added: impl IntoIterator<Item = (&'a str, u64)>,
) -> Vec<u8> {
    let mut all: BTreeMap<&str, u64> = old.map(|v| entries(v).collect()).unwrap_or_default();
    all.extend(added);
    let mut out = Vec::with_capacity(all.len() * 33);
    for (k, seq) in all {
        if k.len() > u8::MAX as usize {
            continue;
        }
        out.push(k.len() as u8);
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(&seq.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_find_and_replace() {
        let v = merge(None, [("b", 2), ("a", 1)]);
        assert_eq!(entries(&v).collect::<Vec<_>>(), [("a", 1), ("b", 2)]);
        let v = merge(Some(&v), [("c", 3), ("a", 9)]);
        assert_eq!(
            entries(&v).collect::<Vec<_>>(),
            [("a", 9), ("b", 2), ("c", 3)]
        );
        assert_eq!(find(&v, "b"), Some(2));
        assert_eq!(find(&v, "d"), None);
        assert_eq!(
            entries(&v[..v.len() - 1]).count(),
            2,
            "a cut entry is dropped"
        );
    }

    #[test]
    fn buckets_are_three_hex_digits_under_the_prefix() {
        let b = bucket("674396d4cc935539048ebee1");
        assert!(b.starts_with(ARTICLE_KEY));
        assert_eq!(b.len(), ARTICLE_KEY.len() + 3);
        assert_eq!(b, bucket("674396d4cc935539048ebee1"));
    }
}
