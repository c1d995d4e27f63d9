//! The binary encoding of [`IncidentProfile`], the value of the force/month and force/late
//! index entries.
//!
//! Every breach report decodes the profiles of its force's incidents within months of it, so
//! that is the most frequent decode in the store, and its cost grows with how busy a force's
//! coverage is. JSON took about 5 µs a profile; this layout (lengths, then bytes, integers
//! little-endian) takes a fraction of that. The first byte is a version: profiles written as
//! JSON by schema 4 (first byte `{`) still decode, without members (see [`decode_lazy`]).
//!
//! Enums are written as their stable codes (`Cause::code`, `Unit::code`, and one mask bit per
//! `DataType::code`), never as positions in a list, so adding a variant leaves stored profiles
//! meaning what they meant. A profile is derived data (from the incident and its members'
//! records), so a change of this layout may also rebuild them instead (`reprocess`).
//!
//! ```text
//! u8 version (1)
//! str id                      str = u16 length + UTF-8 bytes
//! u8 n, n × str forces
//! u8 cause                    Cause::code
//! u32 types                   mask (crate::model::Types: bit DataType::code)
//! i64 first, i64 last         Unix seconds
//! i32 first_offset            seconds east of UTC
//! u8 flags                    1: has count, 2: follow-up
//! u64 count, u8 unit          Unit::code (0 when no count)
//! u8 n, n × u8 causes
//! u8 n, n × u32 member type lists
//! u16 n, n × member           str article key, u16 report, str force, i64 at
//! ```

use crate::model::{Cause, Unit};
use crate::model::{IncidentProfile, Member};

const VERSION: u8 = 1;

fn put_str(out: &mut Vec<u8>, s: &str) {
    let b = &s.as_bytes()[..s.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(b.len() as u16).to_le_bytes());
    out.extend_from_slice(b);
}

/// Encodes a profile (lists longer than their length field allows are cut; none come near).
pub fn encode(p: &IncidentProfile) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 48 * p.members.len());
    out.push(VERSION);
    put_str(&mut out, &p.id);
    out.push(p.forces.len().min(255) as u8);
    for f in p.forces.iter().take(255) {
        put_str(&mut out, f);
    }
    out.push(p.cause.code());
    out.extend_from_slice(&crate::model::types_mask(p.types.iter().copied()).to_le_bytes());
    out.extend_from_slice(&p.first.to_le_bytes());
    out.extend_from_slice(&p.last.to_le_bytes());
    out.extend_from_slice(&p.first_offset.to_le_bytes());
    out.push(p.count.is_some() as u8 | (p.follow_up as u8) << 1);
    out.extend_from_slice(&p.count.unwrap_or(0).to_le_bytes());
    out.push(p.count_unit.map_or(0, Unit::code));
    out.push(p.causes.len().min(255) as u8);
    out.extend(p.causes.iter().take(255).map(|c| c.code()));
    out.push(p.member_types.len().min(255) as u8);
    for m in p.member_types.iter().take(255) {
        out.extend_from_slice(&m.to_le_bytes());
    }
    encode_members(&mut out, &p.members);
    out
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
    }
    fn str(&mut self) -> Option<String> {
        String::from_utf8(self.str_bytes()?.to_vec()).ok()
    }
    fn str_bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()? as usize;
        self.take(n)
    }
    fn cause(&mut self) -> Option<Cause> {
        Cause::from_code(self.u8()?)
    }
}

fn types_of(mask: u32) -> Vec<crate::model::DataType> {
    crate::model::DataType::ALL
        .iter()
        .copied()
        .filter(|t| mask & crate::model::types_mask([*t]) != 0)
        .collect()
}

/// A profile decoded but for its members, which stay encoded until they are asked for.
///
/// Merging decodes the profiles of every incident of a force in the months around a report
/// and turns most of them down on cause, data, figures or timing; of the members, that
/// decision needs only whether two article keys are among them. Decoding every member (two
/// strings each) of every such profile was most of the cost of finding candidates once a
/// force's incidents had dozens of members each.
#[derive(Debug, Clone)]
pub struct LazyProfile {
    /// Everything but `members`, which is empty.
    pub head: IncidentProfile,
    /// The encoded members (their count, then each), checked to be well-formed.
    members: Vec<u8>,
    /// The members' report records, once read (see [`crate::store::Store::records_of`]). A
    /// profile is never changed: a written incident is a new profile, so these stay its
    /// members' records for as long as it is cached.
    pub(crate) records: std::sync::OnceLock<Vec<std::sync::Arc<crate::model::ReportRecord>>>,
}

impl PartialEq for LazyProfile {
    /// The profile itself; whether its records were read yet does not matter.
    fn eq(&self, other: &LazyProfile) -> bool {
        self.head == other.head && self.members == other.members
    }
}

impl LazyProfile {
    /// A profile whose members are decoded already.
    pub fn decoded(p: IncidentProfile) -> LazyProfile {
        let mut members = Vec::new();
        encode_members(&mut members, &p.members);
        let head = IncidentProfile {
            members: Vec::new(),
            ..p
        };
        LazyProfile {
            head,
            members,
            records: Default::default(),
        }
    }

    /// How many members there are.
    pub fn member_count(&self) -> usize {
        Reader(&self.members).u16().unwrap_or(0) as usize
    }

    /// The encoded members, borrowed: (article key, report, force, time), in member order.
    /// Stops at the first malformed one (there is none: [`decode_lazy`] checks them all).
    fn walk(&self) -> impl Iterator<Item = (&str, u16, &str, i64)> + '_ {
        let mut r = Reader(&self.members);
        let n = r.u16().unwrap_or(0);
        (0..n).map_while(move |_| {
            let key = std::str::from_utf8(r.str_bytes()?).ok()?;
            let report = r.u16()?;
            let force = std::str::from_utf8(r.str_bytes()?).ok()?;
            Some((key, report, force, r.i64()?))
        })
    }

    /// Whether a member report comes from an article whose key passes `hit` (no member is
    /// decoded: keys are borrowed from the encoding).
    pub fn any_member_article(&self, hit: impl Fn(&str) -> bool) -> bool {
        self.walk().any(|(key, ..)| hit(key))
    }

    /// The times of the member reports (Unix seconds), in member order.
    pub fn member_times(&self) -> Vec<i64> {
        self.walk().map(|(.., at)| at).collect()
    }

    /// The members, decoded (`None` if one is malformed).
    pub fn members(&self) -> Option<Vec<Member>> {
        let members: Vec<Member> = self
            .walk()
            .map(|(key, report, force, at)| Member {
                article_key: key.to_owned(),
                report: report as usize,
                force: force.to_owned(),
                at,
            })
            .collect();
        (members.len() == self.member_count()).then_some(members)
    }

    /// The whole profile, members decoded.
    pub fn profile(&self) -> Option<IncidentProfile> {
        Some(IncidentProfile {
            members: self.members()?,
            ..self.head.clone()
        })
    }
}

fn encode_members(out: &mut Vec<u8>, members: &[Member]) {
    out.extend_from_slice(&(members.len().min(u16::MAX as usize) as u16).to_le_bytes());
    for m in members.iter().take(u16::MAX as usize) {
        put_str(out, &m.article_key);
        out.extend_from_slice(&(m.report.min(u16::MAX as usize) as u16).to_le_bytes());
        put_str(out, &m.force);
        out.extend_from_slice(&m.at.to_le_bytes());
    }
}

/// Decodes a profile but for its members (whose encoding is checked); `None` when the bytes
/// are not one. A schema 4 JSON profile decodes with no members, and the caller reads them
/// from the incident.
pub fn decode_lazy(b: &[u8]) -> Option<LazyProfile> {
    if b.first() == Some(&b'{') {
        return serde_json::from_slice(b).ok().map(LazyProfile::decoded);
    }
    let mut r = Reader(b);
    if r.u8()? != VERSION {
        return None;
    }
    let id = r.str()?;
    let forces = (0..r.u8()?).map(|_| r.str()).collect::<Option<_>>()?;
    let cause = r.cause()?;
    let types = types_of(r.u32()?);
    let (first, last) = (r.i64()?, r.i64()?);
    let first_offset = r.u32()? as i32;
    let flags = r.u8()?;
    let count = r.u64()?;
    let unit = Unit::from_code(r.u8()?)?;
    let causes = (0..r.u8()?).map(|_| r.cause()).collect::<Option<_>>()?;
    let member_types = (0..r.u8()?).map(|_| r.u32()).collect::<Option<_>>()?;
    let members = r.0;
    // Walk the members once (no allocation) so that reading them later cannot fail.
    for _ in 0..r.u16()? {
        std::str::from_utf8(r.str_bytes()?).ok()?;
        r.take(2)?;
        std::str::from_utf8(r.str_bytes()?).ok()?;
        r.take(8)?;
    }
    if !r.0.is_empty() {
        return None;
    }
    let has_count = flags & 1 != 0;
    Some(LazyProfile {
        head: IncidentProfile {
            id,
            forces,
            cause,
            types,
            first,
            last,
            count: has_count.then_some(count),
            count_unit: has_count.then_some(unit),
            follow_up: flags & 2 != 0,
            causes,
            member_types,
            members: Vec::new(),
            first_offset,
        },
        members: members.to_vec(),
        records: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DataType;
    use proptest::prelude::*;

    /// The whole profile, members decoded.
    fn decode(b: &[u8]) -> Option<IncidentProfile> {
        decode_lazy(b)?.profile()
    }

    fn profile(n_members: usize, count: Option<u64>) -> IncidentProfile {
        IncidentProfile {
            id: "gwent-2024-02-abc123".into(),
            forces: vec!["gwent".into(), "dyfed-powys".into()],
            cause: Cause::Ransomware,
            types: vec![DataType::Name, DataType::Photo, DataType::NationalId],
            first: -86_400,
            last: 1_700_000_000,
            count,
            count_unit: count.map(|_| Unit::Records),
            follow_up: true,
            causes: vec![Cause::CyberAttack, Cause::Ransomware],
            member_types: vec![3, 1 << 20],
            first_offset: -5 * 3600,
            members: (0..n_members)
                .map(|i| Member {
                    article_key: format!("key{i}"),
                    report: i,
                    force: "gwent".into(),
                    at: 1_700_000_000 + i as i64,
                })
                .collect(),
        }
    }

    #[test]
    fn round_trips_and_rejects_truncation() {
        for p in [profile(0, None), profile(3, Some(12_500))] {
            let b = encode(&p);
            assert_eq!(decode(&b), Some(p));
            for cut in 0..b.len() {
                assert_eq!(decode(&b[..cut]), None, "cut at {cut}");
            }
        }
    }

    #[test]
    fn lazy_members_answer_membership_and_decode_to_the_same_profile() {
        let p = profile(3, Some(12_500));
        let lazy = decode_lazy(&encode(&p)).expect("profile");
        assert!(lazy.head.members.is_empty());
        assert_eq!(lazy.head.id, p.id);
        let has = |key: &str| lazy.any_member_article(|k| k == key);
        assert!(has("key0") && has("key2"));
        assert!(!has("key3") && !has("key"));
        assert_eq!(lazy.profile(), Some(p.clone()));
        assert_eq!(LazyProfile::decoded(p.clone()), lazy);
        // Trailing bytes are not a profile.
        let mut long = encode(&p);
        long.push(0);
        assert_eq!(decode_lazy(&long), None);
    }

    #[test]
    fn schema_four_json_profiles_still_decode() {
        let json = br#"{"id":"kent-2020-01-aaaaaa","forces":["kent"],"cause":"data_loss","types":["name"],"first":1,"last":2,"articles":["a"],"count":null,"count_unit":null,"follow_up":false}"#;
        let p = decode(json).expect("JSON profile");
        assert_eq!(p.id, "kent-2020-01-aaaaaa");
        assert!(p.members.is_empty());
    }

    proptest! {
        #[test]
        fn any_profile_round_trips(
            id in "[a-z0-9-]{0,40}",
            first in any::<i64>(),
            last in any::<i64>(),
            count in proptest::option::of(any::<u64>()),
            mask in 0u32..(1 << DataType::ALL.len()),
            keys in proptest::collection::vec("[0-9a-f]{24}", 0..20),
        ) {
            let mut p = profile(0, count);
            p.id = id;
            p.first = first;
            p.last = last;
            p.types = types_of(mask);
            p.members = keys
                .into_iter()
                .enumerate()
                .map(|(i, k)| Member { article_key: k, report: i, force: "kent".into(), at: first })
                .collect();
            prop_assert_eq!(decode(&encode(&p)), Some(p));
        }
    }
}
