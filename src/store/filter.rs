//! A Bloom filter over the stored article keys, so "is this article stored?" is answered
//! without a lookup for the articles that are not (nearly all of them when ingesting).
//!
//! Keys are random hashes, so the key index has no locality: each lookup reads a random
//! node, and a fresh process pages in a node per lookup, more of them the larger the store.
//! The filter is a few bits per key (10 bits, 7 probes: about 1% false positives, which fall
//! back to the index), kept in generations that double in capacity, so it never needs
//! rebuilding: a full generation is frozen and a new one takes the inserts. Generations are
//! stored as `meta/keyfilter/NN` and written in the same batch as the keys they add.

/// Capacity of the first generation; each next one doubles.
const FIRST_CAPACITY: u64 = 16_384;
const BITS_PER_KEY: u64 = 10;
const PROBES: u64 = 7;

/// One generation: a fixed-size filter for up to `capacity` keys.
#[derive(Debug, Clone, PartialEq)]
struct Generation {
    capacity: u64,
    count: u64,
    bits: Vec<u64>,
}

impl Generation {
    fn words(capacity: u64) -> Option<usize> {
        usize::try_from(capacity.checked_mul(BITS_PER_KEY)?.div_ceil(64)).ok()
    }
    fn new(capacity: u64) -> Generation {
        Generation {
            capacity,
            count: 0,
            bits: vec![0; Generation::words(capacity).expect("capacities double from 16k")],
        }
    }
    fn probes(&self, key: &[u8]) -> impl Iterator<Item = (usize, u64)> + '_ {
        let (h1, h2) = hashes(key);
        let bit_count = self.bits.len() as u64 * 64;
        (0..PROBES).map(move |i| {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) % bit_count;
            ((bit / 64) as usize, 1u64 << (bit % 64))
        })
    }
    fn insert(&mut self, key: &[u8]) {
        let probes: Vec<(usize, u64)> = self.probes(key).collect();
        for (w, m) in probes {
            self.bits[w] |= m;
        }
        self.count += 1;
    }
    fn may_contain(&self, key: &[u8]) -> bool {
        self.probes(key).all(|(w, m)| self.bits[w] & m != 0)
    }
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.bits.len() * 8);
        out.extend(MAGIC);
        out.extend(self.capacity.to_le_bytes());
        out.extend(self.count.to_le_bytes());
        for w in &self.bits {
            out.extend(w.to_le_bytes());
        }
        out
    }
    fn decode(b: &[u8]) -> Option<Generation> {
        let word = |c: &[u8]| u64::from_le_bytes(c.try_into().expect("8 bytes"));
        let (head, rest) = b.split_at_checked(24)?;
        if &head[..8] != MAGIC {
            return None;
        }
        let capacity = word(&head[8..16]);
        let g = Generation {
            capacity,
            count: word(&head[16..]),
            bits: rest.chunks_exact(8).map(word).collect(),
        };
        (rest.len() % 8 == 0 && Generation::words(capacity) == Some(g.bits.len())).then_some(g)
    }
}

/// Two independent 64-bit hashes of a key (double hashing gives the probes). Written out
/// here, not taken from std, because stored filters need the same bits from every build.
fn hashes(key: &[u8]) -> (u64, u64) {
    let hash = |seed: u64| {
        let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
        for b in key {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // splitmix64 finaliser
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    };
    (hash(0), hash(0x9e37_79b9_7f4a_7c15) | 1)
}

/// Leads every stored generation: the format (and hash) version.
const MAGIC: &[u8; 8] = b"bwkf0001";

/// The filter: every generation, the last one taking inserts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyFilter {
    gens: Vec<Generation>,
    /// Generations changed since the last [`KeyFilter::take_dirty`].
    dirty: std::collections::BTreeSet<usize>,
}

impl KeyFilter {
    /// Restores a filter from its stored generations, in order; `None` when one is corrupt.
    pub fn decode<'a>(stored: impl IntoIterator<Item = &'a [u8]>) -> Option<KeyFilter> {
        let gens = stored
            .into_iter()
            .map(Generation::decode)
            .collect::<Option<Vec<_>>>()?;
        Some(KeyFilter {
            gens,
            dirty: Default::default(),
        })
    }
    /// Adds a key (to the last generation, or to a new one twice its size when it is full).
    pub fn insert(&mut self, key: &[u8]) {
        if self.gens.last().is_none_or(|g| g.count >= g.capacity) {
            let capacity = self.gens.last().map_or(FIRST_CAPACITY, |g| g.capacity * 2);
            self.gens.push(Generation::new(capacity));
        }
        let last = self.gens.len() - 1;
        self.gens[last].insert(key);
        self.dirty.insert(last);
    }
    /// `false` means the key was never inserted; `true` means it probably was.
    pub fn may_contain(&self, key: &[u8]) -> bool {
        self.gens.iter().any(|g| g.may_contain(key))
    }
    /// The generations changed since the last call: `(index, encoded)`.
    pub fn take_dirty(&mut self) -> Vec<(usize, Vec<u8>)> {
        std::mem::take(&mut self.dirty)
            .into_iter()
            .map(|i| (i, self.gens[i].encode()))
            .collect()
    }
    /// Marks generations to be written again (their write failed).
    pub fn mark_dirty(&mut self, gens: impl IntoIterator<Item = usize>) {
        self.dirty.extend(gens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_false_negatives_few_false_positives_and_round_trips() {
        let mut f = KeyFilter::default();
        let key = |i: u32| {
            format!(
                "key/{:024x}",
                (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            )
        };
        for i in 0..50_000 {
            f.insert(key(i).as_bytes());
        }
        assert_eq!(f.gens.len(), 3, "16k + 32k + 64k capacity");
        assert!((0..50_000).all(|i| f.may_contain(key(i).as_bytes())));
        let fp = (50_000..150_000)
            .filter(|i| f.may_contain(key(*i).as_bytes()))
            .count();
        assert!(fp < 3_000, "false positives {fp} of 100000");

        let dirty = f.take_dirty();
        assert_eq!(dirty.iter().map(|d| d.0).collect::<Vec<_>>(), [0, 1, 2]);
        let back = KeyFilter::decode(dirty.iter().map(|d| d.1.as_slice())).unwrap();
        assert_eq!(back.gens, f.gens);
        assert!(f.take_dirty().is_empty());
        f.insert(b"one more");
        assert_eq!(
            f.take_dirty().len(),
            1,
            "only the growing generation is rewritten"
        );
        assert!(KeyFilter::decode([&b"short"[..]]).is_none());
    }
}
