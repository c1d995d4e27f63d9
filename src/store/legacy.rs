//! A reader for the report records that builds before schema 6 wrote in bincode 1 (layouts
//! 1 and 2, see [`super::RecordFormat`]). bincode is no longer maintained and no longer a
//! dependency; [`super::Store::open`] rewrites such records in the current format, and this
//! reader is what it reads them with.
//!
//! The layouts are frozen here, field by field, independent of today's types: bincode 1 (its
//! default `serialize` options) writes struct fields in declaration order and nothing else;
//! integers little-endian at full width (`usize` as 8 bytes); a string or list as a `u64`
//! length and then its items; an `Option` as a `0` or `1` byte, then the value; a unit enum
//! variant as its `u32` position in the declaration, which was the order of the stable
//! codes the enums now carry (`DataType::code` and the like); a date as its RFC 3339 string.
//!
//! ```text
//! record:   source, when: date, index: u64, siblings: u64, near_duplicate_of: opt str,
//!           minhash: str (8 hex digits a value), report, sentences: list of (span, str)
//! source:   url: str, canonical_url: opt str, title: str, published: opt date,
//!           outlet: str, article_key: str
//! report:   forces: list of str, force_evidence: list of span, data_types: list of fact,
//!           not_exposed: list of fact, counts: list of count, cause: fact,
//!           third_party: opt bool, supplier: opt str, developments: list of development,
//!           occurred: opt (year: i32, month: opt u32, day: opt u32)   [layout 2 only]
//! span:     start: u64, end: u64          fact: value: u32 code, span: opt span
//! count:    count: u64, qualifier: u32 code, unit: u32 code, span
//! development: kind: u32 code, amount_minor: opt u64, currency: opt str, span
//! ```

use chrono::{DateTime, FixedOffset};

use crate::model::{
    Cause, CountFact, DataType, DevelopmentFact, DevelopmentKind, Fact, Occurred, Qualifier, Span,
    Unit,
};
use crate::model::{ReportRecord, SourceRef, StoredReport};

/// Why a legacy record did not read.
#[derive(Debug, thiserror::Error)]
#[error("bincode layout {layout}: {what} at byte {at}")]
pub struct LegacyError {
    layout: u8,
    what: &'static str,
    at: usize,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    layout: u8,
}

/// What reading a part of a record gives.
type Parsed<T> = Result<T, LegacyError>;

/// Lists longer than this are not a record's (guards allocation on a corrupt length).
const MAX_LEN: u64 = 1 << 24;

impl<'a> Reader<'a> {
    fn fail<T>(&self, what: &'static str) -> Parsed<T> {
        Err(LegacyError {
            layout: self.layout,
            what,
            at: self.at,
        })
    }
    fn take(&mut self, n: usize) -> Parsed<&'a [u8]> {
        if self.bytes.len() - self.at < n {
            return self.fail("unexpected end");
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Parsed<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    fn u8(&mut self) -> Parsed<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Parsed<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn i32(&mut self) -> Parsed<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Parsed<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn usize(&mut self) -> Parsed<usize> {
        let v = self.u64()?;
        usize::try_from(v).or_else(|_| self.fail("size out of range"))
    }
    fn len(&mut self) -> Parsed<usize> {
        let n = self.u64()?;
        if n > MAX_LEN {
            return self.fail("implausible length");
        }
        Ok(n as usize)
    }
    fn bool(&mut self) -> Parsed<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => self.fail("bad bool"),
        }
    }
    fn str(&mut self) -> Parsed<String> {
        let n = self.len()?;
        let b = self.take(n)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => self.fail("string not UTF-8"),
        }
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<Option<T>> {
        match self.u8()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => self.fail("bad option tag"),
        }
    }
    fn list<T>(&mut self, mut f: impl FnMut(&mut Self) -> Parsed<T>) -> Parsed<Vec<T>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            out.push(f(self)?);
        }
        Ok(out)
    }
    fn date(&mut self) -> Parsed<DateTime<FixedOffset>> {
        let s = self.str()?;
        DateTime::parse_from_rfc3339(&s).or_else(|_| self.fail("bad date"))
    }
    fn code<T>(&mut self, from: fn(u8) -> Option<T>, what: &'static str) -> Parsed<T> {
        let c = self.u32()?;
        match u8::try_from(c).ok().and_then(from) {
            Some(v) => Ok(v),
            None => self.fail(what),
        }
    }
    fn span(&mut self) -> Parsed<Span> {
        Ok(Span {
            start: self.usize()?,
            end: self.usize()?,
        })
    }
    fn fact<T>(&mut self, from: fn(u8) -> Option<T>, what: &'static str) -> Parsed<Fact<T>> {
        Ok(Fact {
            value: self.code(from, what)?,
            span: self.opt(Self::span)?,
        })
    }
    fn minhash(&mut self) -> Parsed<Vec<u32>> {
        let s = self.str()?;
        match crate::model::parse_signature(&s) {
            Some(sig) => Ok(sig),
            None => self.fail("bad signature"),
        }
    }
    fn source(&mut self) -> Parsed<SourceRef> {
        Ok(SourceRef {
            url: self.str()?,
            canonical_url: self.opt(Self::str)?,
            title: self.str()?,
            published: self.opt(Self::date)?,
            outlet: self.str()?,
            article_key: self.str()?,
        })
    }
    fn report(&mut self) -> Parsed<StoredReport> {
        let data_type = |r: &mut Self| r.fact(DataType::from_code, "unknown data type");
        Ok(StoredReport {
            forces: self.list(Self::str)?,
            force_evidence: self.list(Self::span)?,
            data_types: self.list(data_type)?,
            not_exposed: self.list(data_type)?,
            counts: self.list(|r| {
                Ok(CountFact {
                    count: r.u64()?,
                    qualifier: r.code(Qualifier::from_code, "unknown qualifier")?,
                    unit: r.code(Unit::from_code, "unknown unit")?,
                    span: r.span()?,
                })
            })?,
            cause: self.fact(Cause::from_code, "unknown cause")?,
            third_party: self.opt(Self::bool)?,
            supplier: self.opt(Self::str)?,
            developments: self.list(|r| {
                Ok(DevelopmentFact {
                    kind: r.code(DevelopmentKind::from_code, "unknown development")?,
                    amount_minor: r.opt(Self::u64)?,
                    currency: r.opt(Self::str)?,
                    span: r.span()?,
                })
            })?,
            occurred: if self.layout >= 2 {
                self.opt(|r| {
                    Ok(Occurred {
                        year: r.i32()?,
                        month: r.opt(Self::u32)?,
                        day: r.opt(Self::u32)?,
                    })
                })?
            } else {
                None
            },
        })
    }
    fn record(&mut self) -> Parsed<ReportRecord> {
        let r = ReportRecord {
            source: self.source()?,
            when: self.date()?,
            index: self.usize()?,
            siblings: self.usize()?,
            near_duplicate_of: self.opt(Self::str)?,
            minhash: self.minhash()?,
            report: self.report()?,
            sentences: self.list(|r| Ok((r.span()?, r.str()?)))?,
        };
        if self.at != self.bytes.len() {
            return self.fail("trailing bytes");
        }
        Ok(r)
    }
}

/// Reads a record in bincode layout `layout` (1 or 2): `bytes` is the stored value after its
/// first (layout) byte.
pub fn record(layout: u8, bytes: &[u8]) -> Result<ReportRecord, LegacyError> {
    Reader {
        bytes,
        at: 0,
        layout,
    }
    .record()
}
