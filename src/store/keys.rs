//! Key layout of the `v1` tree (the only one). Text prefixes keep the database inspectable; times are
//! big-endian hex so lexical order is time order.
//!
//! | prefix | key | value |
//! | --- | --- | --- |
//! | `meta/schema` | | schema version |
//! | `meta/keyfilter/` | generation (2 digits) | Bloom filter generation over `key/` entries (see the store's `filter.rs`) |
//! | `key/` | bucket: 3 hex digits of the article key's hash (see the store's `keyindex.rs`) | the bucket's article keys with their sequence numbers |
//! | `art/` | sequence number (16 hex digits, in order of storing) | [`crate::model::Article`] |
//! | `ana/` | article key | no longer written (schema 1 analyses); cleared by `reprocess` |
//! | `rep/` | first force `/` article time `/` article key `/` report index (4 hex digits) | [`crate::model::ReportRecord`] |
//! | `sig/` | force `/` article time `/` article key, for each force a breach article names | MinHash signature (64 little-endian u32) |
//! | `inc/` | incident id | [`crate::model::Incident`] |
//! | `ifm/` | force `/` yyyy-mm `/` incident id, for every month from first to last report | [`crate::model::IncidentProfile`] |
//! | `ifl/` | force `/` first-reported time `/` incident id, for incidents that open late (see [`crate::model::Incident::opens_late`]) | [`crate::model::IncidentProfile`] |
//! | `tim/` | time `/` incident id | empty |
//! | `src/` | source id | [`crate::model::SourceState`] |
//! | `agg/` | dimension `/` yyyy-mm `/` key | incidents, people affected, incidents without a figure (3 × i64 LE) |
//! | `cor/` | sequence number (16 hex digits) | an analyst's correction (`crate::correction::Correction`); never cleared |
//! | `cap/` | incident id | the corrections applied to the incident as shown (`crate::correction::Applied` list) |
//! | `dis/` | incident id | a dismissed [`crate::model::Incident`], as corrected (out of `inc/`, `tim/`, `agg/`) |
//! | `meta/corrected` | | the ids of the incidents corrections made or changed (JSON list) |
//! | `alr/` | a key the alert worker names (`crate::notify`) | its JSON record (see the store's `alerts.rs`) |

/// The key of the schema version.
pub const SCHEMA: &[u8] = b"meta/schema";
/// Prefix of the key filter's generations.
pub const KEY_FILTER: &[u8] = b"meta/keyfilter/";
/// Prefix of the articles, by sequence number.
pub const ARTICLE: &[u8] = b"art/";
/// Prefix of the article-key index's buckets.
pub const ARTICLE_KEY: &[u8] = b"key/";
/// Prefix of the schema 1 analyses (no longer written).
pub const ANALYSIS: &[u8] = b"ana/";
/// Prefix of the signature index.
pub const SIGNATURE: &[u8] = b"sig/";
/// Prefix of the report records.
pub const REPORT: &[u8] = b"rep/";
/// Prefix of the incidents, by id.
pub const INCIDENT: &[u8] = b"inc/";
/// Prefix of the force/month index of incidents.
pub const FORCE_MONTH: &[u8] = b"ifm/";
/// Prefix of the force/late index of incidents that open late.
pub const FORCE_LATE: &[u8] = b"ifl/";
/// Prefix of the time index of incidents.
pub const TIME: &[u8] = b"tim/";
/// Prefix of the source states, by source id.
pub const SOURCE: &[u8] = b"src/";
/// Prefix of the trend counters.
pub const AGGREGATE: &[u8] = b"agg/";

/// Prefix of the analysts' corrections log, by sequence number (never cleared).
pub const CORRECTION: &[u8] = b"cor/";
/// Prefix of the corrections applied to each incident shown.
pub const APPLIED: &[u8] = b"cap/";
/// Prefix of the dismissed incidents.
pub const DISMISSED: &[u8] = b"dis/";
/// The key of the list of incidents corrections made or changed.
pub const CORRECTED: &[u8] = b"meta/corrected";
/// Prefix of the alert worker's records (not derived: `reprocess` keeps them).
pub const ALERT: &[u8] = b"alr/";

/// Prefixes rebuilt by `reprocess`.
pub const DERIVED: [&[u8]; 11] = [
    APPLIED,
    DISMISSED,
    CORRECTED,
    ANALYSIS,
    REPORT,
    SIGNATURE,
    INCIDENT,
    FORCE_MONTH,
    FORCE_LATE,
    TIME,
    AGGREGATE,
];

/// Seconds since 1970 shifted so that dates before 1970 still sort first.
fn time_hex(ts: i64) -> String {
    format!(
        "{:016x}",
        (ts as i128 + (1i128 << 62)).clamp(0, u64::MAX as i128) as u64
    )
}

fn time_from_hex(h: &str) -> i64 {
    (u64::from_str_radix(h, 16).unwrap_or(0) as i128 - (1i128 << 62)) as i64
}

/// An article's body, by sequence number: new articles are appended at the end of the tree,
/// so storing one touches the last node, not a random one.
pub fn article(seq: u64) -> Vec<u8> {
    format!("art/{seq:016x}").into_bytes()
}
/// What the key filter holds for an article key (schema 4 also used it as the key-index entry).
pub fn article_key(key: &str) -> Vec<u8> {
    [ARTICLE_KEY, key.as_bytes()].concat()
}
/// A report record's key: by force and time first, so the members of one incident (and the
/// incidents of one force in a season) lie together and re-clustering reads few nodes.
pub fn report(force: &str, at: i64, article_key: &str, index: usize) -> Vec<u8> {
    format!("rep/{force}/{}/{article_key}/{index:04x}", time_hex(at)).into_bytes()
}
/// A signature key: an article's signature filed under one of its forces and its time.
pub fn signature(force: &str, when: i64, article_key: &str) -> Vec<u8> {
    format!("sig/{force}/{}/{article_key}", time_hex(when)).into_bytes()
}
/// Signature keys of `force` for articles published in `[from, to]` (Unix seconds).
pub fn signature_range(force: &str, from: i64, to: i64) -> (Vec<u8>, Vec<u8>) {
    (
        format!("sig/{force}/{}/", time_hex(from)).into_bytes(),
        format!("sig/{force}/{}0", time_hex(to)).into_bytes(),
    )
}
/// The article key of a signature key (its last part; empty if that is not UTF-8).
pub fn signature_article(key: &[u8]) -> &str {
    let start = key.iter().rposition(|b| *b == b'/').map_or(0, |i| i + 1);
    std::str::from_utf8(&key[start..]).unwrap_or("")
}
/// `(time, article key)` of a signature key.
pub fn signature_parts(key: &[u8]) -> (i64, String) {
    let s = String::from_utf8_lossy(key);
    let mut parts = s.rsplitn(3, '/');
    let article = parts.next().unwrap_or("").to_string();
    (time_from_hex(parts.next().unwrap_or("")), article)
}
/// An incident's key.
pub fn incident(id: &str) -> Vec<u8> {
    [INCIDENT, id.as_bytes()].concat()
}
/// `yyyy-mm` (UTC) of a Unix time.
pub fn month_of(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y-%m")
        .to_string()
}
/// The `yyyy-mm` months from `from` to `to` (Unix seconds), inclusive, at most `cap`.
pub fn months(from: i64, to: i64, cap: usize) -> Vec<String> {
    use chrono::Datelike;
    let at = |ts: i64| chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default();
    let (a, b) = (at(from), at(to.max(from)));
    let (mut y, mut m) = (a.year(), a.month());
    let mut out = Vec::new();
    while (y, m) <= (b.year(), b.month()) && out.len() < cap {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}
/// A force/month index key: an incident under one of its forces and one of its months.
pub fn force_month(force: &str, month: &str, id: &str) -> Vec<u8> {
    format!("ifm/{force}/{month}/{id}").into_bytes()
}
/// Keys of `force` for months `from..=to` (`yyyy-mm`).
pub fn force_month_range(force: &str, from: &str, to: &str) -> (Vec<u8>, Vec<u8>) {
    (
        format!("ifm/{force}/{from}/").into_bytes(),
        format!("ifm/{force}/{to}0").into_bytes(),
    )
}
/// A force/late index key: an incident that opens late, under one of its forces and its
/// first-reported time.
pub fn force_late(force: &str, first: i64, id: &str) -> Vec<u8> {
    format!("ifl/{force}/{}/{id}", time_hex(first)).into_bytes()
}
/// Force/late keys of `force` for incidents first reported in `[from, to]` (Unix seconds).
pub fn force_late_range(force: &str, from: i64, to: i64) -> (Vec<u8>, Vec<u8>) {
    (
        format!("ifl/{force}/{}/", time_hex(from)).into_bytes(),
        format!("ifl/{force}/{}0", time_hex(to)).into_bytes(),
    )
}
/// The incident id at the end of an `ifm/`, `ifl/` or `tim/` key.
pub fn id_after_time(key: &[u8]) -> String {
    let s = String::from_utf8_lossy(key);
    s.rsplit('/').next().unwrap_or("").to_string()
}
/// A time index key: an incident under its first-reported time.
pub fn time(ts: i64, id: &str) -> Vec<u8> {
    format!("tim/{}/{id}", time_hex(ts)).into_bytes()
}
/// `(time, incident id)` of a time index key.
pub fn time_and_id(key: &[u8]) -> (i64, String) {
    let s = String::from_utf8_lossy(key);
    let mut parts = s.splitn(3, '/').skip(1);
    let ts = time_from_hex(parts.next().unwrap_or(""));
    (ts, parts.next().unwrap_or("").to_string())
}
/// A trend counter's key: dimension (`force`, `data-type`, `cause`), month and key.
pub fn aggregate(dim: &str, month: &str, key: &str) -> Vec<u8> {
    format!("agg/{dim}/{month}/{key}").into_bytes()
}
/// The prefix of a dimension's trend counters.
pub fn aggregate_prefix(dim: &str) -> Vec<u8> {
    format!("agg/{dim}/").into_bytes()
}
/// `(month, key)` of an aggregate key.
pub fn aggregate_parts(key: &[u8]) -> (String, String) {
    let s = String::from_utf8_lossy(key);
    let mut parts = s.splitn(4, '/').skip(2);
    let month = parts.next().unwrap_or("").to_string();
    (month, parts.next().unwrap_or("").to_string())
}
/// Signature keys fall in buckets of 2^20 seconds (about 12 days): the first 11 of the time's
/// 16 hex digits.
const SIGNATURE_BUCKET_DIGITS: usize = 11;

/// The buckets the read cache keeps whole (see the store's `buckets.rs`): a force's month of `ifm/`,
/// a force's 12 days of `sig/`, all of a force's `ifl/`. `None`: the key is not in a cached
/// index.
pub fn bucket_of(key: &[u8]) -> Option<&[u8]> {
    let slash = |from: usize| {
        key[from..]
            .iter()
            .position(|b| *b == b'/')
            .map(|i| from + i)
    };
    let after_force = slash(4)? + 1;
    let end = if key.starts_with(FORCE_MONTH) {
        slash(after_force)? + 1
    } else if key.starts_with(SIGNATURE) {
        after_force + SIGNATURE_BUCKET_DIGITS
    } else if key.starts_with(FORCE_LATE) {
        after_force
    } else {
        return None;
    };
    key.get(..end)
}
/// The `ifm/` buckets of `force` for the months `from..=to` (Unix seconds), in key order.
pub fn force_month_buckets(force: &str, from: i64, to: i64) -> Vec<Vec<u8>> {
    months(from, to, usize::MAX)
        .into_iter()
        .map(|m| format!("ifm/{force}/{m}/").into_bytes())
        .collect()
}
/// The `sig/` buckets of `force` covering `[from, to]` (Unix seconds), in key order.
pub fn signature_buckets(force: &str, from: i64, to: i64) -> Vec<Vec<u8>> {
    let bucket = |ts: i64| time_hex(ts)[..SIGNATURE_BUCKET_DIGITS].to_owned();
    let (first, last) = (bucket(from), bucket(to.max(from)));
    let number = |hex: &str| u64::from_str_radix(hex, 16).unwrap_or(0);
    (number(&first)..=number(&last))
        .map(|b| format!("sig/{force}/{b:0w$x}", w = SIGNATURE_BUCKET_DIGITS).into_bytes())
        .collect()
}
/// The one `ifl/` bucket of `force`.
pub fn force_late_bucket(force: &str) -> Vec<u8> {
    format!("ifl/{force}/").into_bytes()
}
/// The key of one generation of the key filter.
pub fn key_filter(generation: usize) -> Vec<u8> {
    format!("meta/keyfilter/{generation:02}").into_bytes()
}
/// An alert record's key: `alr/` and the worker's own key.
pub fn alert(key: &str) -> Vec<u8> {
    [ALERT, key.as_bytes()].concat()
}
/// A source state's key.
pub fn source(id: &str) -> Vec<u8> {
    [SOURCE, id.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_sort_by_time_and_round_trip() {
        let a = time(-86_400, "x");
        let b = time(0, "x");
        let c = time(1_700_000_000, "x");
        assert!(a < b && b < c);
        assert_eq!(time_and_id(&c), (1_700_000_000, "x".to_string()));
        let (lo, hi) = force_late_range("kent", 0, 2_000_000_000);
        let k = force_late("kent", 1_700_000_000, "kent-2023-11-abc");
        assert!(lo <= k && k < hi);
        assert_eq!(id_after_time(&k), "kent-2023-11-abc");
        assert!(force_late("kent-x", 5, "i") > hi || force_late("kent-x", 5, "i") < lo);
        let s = signature("kent", 1_700_000_000, "abc");
        let (lo, hi) = signature_range("kent", 1_699_999_999, 1_700_000_000);
        assert!(lo <= s && s < hi);
        assert_eq!(signature_parts(&s), (1_700_000_000, "abc".to_string()));
        assert_eq!(signature_article(&s), "abc");
        let (lo, hi) = signature_range("kent", 1_700_000_001, 1_800_000_000);
        assert!(s < lo && s < hi);
        let (lo, hi) = force_month_range("kent", "2023-10", "2023-12");
        for m in ["2023-10", "2023-11", "2023-12"] {
            let k = force_month("kent", m, "kent-2023-11-abc");
            assert!(lo <= k && k < hi, "{m}");
            assert_eq!(id_after_time(&k), "kent-2023-11-abc");
        }
        assert!(force_month("kent", "2024-01", "a") >= hi);
        assert!(force_month("kent", "2023-09", "z") < lo);
        let other = force_month("kent-x", "2023-11", "a");
        assert!(
            other < lo || other >= hi,
            "another force's key is outside the range"
        );
    }

    #[test]
    fn cached_index_keys_fall_in_the_buckets_their_ranges_list() {
        let t = 1_700_000_000;
        let s = signature("kent", t, "abc");
        let buckets = signature_buckets("kent", t - 30 * 86_400, t + 30 * 86_400);
        assert!((5..=7).contains(&buckets.len()), "{}", buckets.len());
        assert!(buckets.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            buckets.iter().filter(|b| s.starts_with(b)).count(),
            1,
            "in exactly one bucket"
        );
        assert!(buckets.iter().any(|b| bucket_of(&s) == Some(b.as_slice())));
        assert_eq!(signature_buckets("kent", t, t).len(), 1);

        let m = force_month("kent", "2023-11", "kent-2023-11-abc");
        assert_eq!(bucket_of(&m), Some(&b"ifm/kent/2023-11/"[..]));
        let months = force_month_buckets("kent", t - 50 * 86_400, t);
        assert_eq!(months.len(), 3);
        assert!(months.iter().any(|b| bucket_of(&m) == Some(b.as_slice())));

        let l = force_late("kent", t, "kent-2023-11-abc");
        assert_eq!(bucket_of(&l), Some(force_late_bucket("kent").as_slice()));
        assert!(!l.starts_with(&force_late_bucket("ken")));

        assert_eq!(bucket_of(&incident("kent-2023-11-abc")), None);
        assert_eq!(bucket_of(&report("kent", t, "abc", 0)), None);
        assert_eq!(bucket_of(b"sig/"), None, "a short key is no bucket's");
    }

    #[test]
    fn months_span_year_ends_and_cap() {
        let d = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        assert_eq!(
            months(d("2023-11-30T23:00:00Z"), d("2024-02-01T00:00:00Z"), 100),
            ["2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(
            months(d("2023-11-30T23:00:00Z"), d("2023-11-01T00:00:00Z"), 100),
            ["2023-11"]
        );
        assert_eq!(months(0, d("2030-01-01T00:00:00Z"), 3).len(), 3);
    }
}
