//! The vocabulary every stage speaks: what data was exposed, why, how many, when, and the
//! spans of text that say so. Extraction produces these, records store them, incidents and
//! queries report them.
//!
//! Their serde names are stored ids and their discriminants stored codes: see the
//! compatibility rule in [`crate::model`].

use serde::{Deserialize, Serialize};

/// A date at the precision a text states it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Occurred {
    /// The year.
    pub year: i32,
    /// 1..=12.
    pub month: Option<u32>,
    /// Only with a month.
    pub day: Option<u32>,
}

impl Occurred {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real date, year 1990..=2100 not required).
    pub fn parse(s: &str) -> Option<Occurred> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: Option<u32> = it.next().map(str::parse).transpose().ok()?;
        let day: Option<u32> = it.next().map(str::parse).transpose().ok()?;
        let ok = match (month, day) {
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(year, m, d).is_some(),
            (Some(m), None) => (1..=12).contains(&m),
            _ => true,
        };
        (ok && (0..=9999).contains(&year)).then_some(Occurred { year, month, day })
    }

    /// Whether `self` says what `coarse` says, as precisely or more ("2023-08" refines "2023").
    pub fn refines(&self, coarse: &Occurred) -> bool {
        self.year == coarse.year
            && (coarse.month.is_none() || self.month == coarse.month)
            && (coarse.day.is_none() || self.day == coarse.day)
    }

    /// Whether the two can be the same date, one being a refinement of the other.
    pub fn agrees(&self, other: &Occurred) -> bool {
        self.refines(other) || other.refines(self)
    }

    /// The last day it can mean (31 December for a year, the month's last day for a month).
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(m), None) => {
                let (y, m) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                chrono::NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
            }
            _ => chrono::NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }

    /// The first day it can mean (1 January for a year, the 1st for a month).
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
impl std::fmt::Display for Occurred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// Byte range in `document(title, text)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// A value read from the text, with the sentence it came from (`None`: implied, not stated).
pub struct Fact<T> {
    /// The value.
    pub value: T,
    /// Where in the document it was read, if it was.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// A figure stated in the text: how many of what, how exact.
pub struct CountFact {
    /// The number.
    pub count: u64,
    /// How exact the text says it is.
    pub qualifier: Qualifier,
    /// What is counted.
    pub unit: Unit,
    /// Where it was read.
    pub span: Span,
}

/// A set of data types as a bit mask: bit `i` is the type whose stable code
/// (`DataType::code`) is `i`; stored profiles keep these masks. Matching compares many
/// small sets, and a mask makes each comparison two instructions and no allocation.
pub type Types = u32;
// Every type's code has a bit.
const _: () = {
    let mut i = 0;
    while i < DataType::ALL.len() {
        assert!((DataType::ALL[i].code() as u32) < Types::BITS);
        i += 1;
    }
};

fn type_bit(t: DataType) -> Types {
    1 << t.code()
}

/// The mask of a list of data types.
pub fn types_mask(types: impl IntoIterator<Item = DataType>) -> Types {
    types.into_iter().fold(0, |m, t| m | type_bit(t))
}

/// The explicit discriminants are stable codes: stored profiles and type masks use them, and
/// the bincode-era report records (`crate::store`'s legacy reader) were written with them.
/// Never change or reuse a number; a new variant takes the next unused one, and is added
/// to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    /// People's names or initials.
    Name = 0,
    /// Ranks, grades, job titles.
    Rank = 1,
    /// Photographs.
    Photo = 2,
    /// Vetting levels and security clearances.
    VettingLevel = 3,
    /// Pay, warrant, collar and other staff numbers.
    StaffId = 4,
    /// Home addresses.
    HomeAddress = 5,
    /// Phone numbers.
    PhoneNumber = 6,
    /// Email addresses.
    EmailAddress = 7,
    /// Dates of birth or ages.
    DateOfBirth = 8,
    /// Bank details, pay, salaries, card numbers.
    Financial = 9,
    /// Where officers or staff work (stations, postings).
    WorkLocation = 10,
    /// The unit, team or department someone works in.
    Unit = 11,
    /// Details of victims of crime.
    VictimDetails = 12,
    /// Details of witnesses.
    WitnessDetails = 13,
    /// Details of suspects or offenders, criminal records.
    SuspectDetails = 14,
    /// Details of informants (covert human intelligence sources).
    InformantDetails = 15,
    /// Health or medical information.
    Health = 16,
    /// Body-worn camera footage, recordings of calls or interviews.
    Recordings = 17,
    /// Case files, crime reports, intelligence records.
    CaseRecords = 18,
    /// Passwords, logins, access credentials.
    Credentials = 19,
    /// National insurance, passport or driving licence numbers.
    NationalId = 20,
}

impl DataType {
    /// The stable code (see the enum's discriminants).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The variant of a stable code, if any has it.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// Every variant, in code order.
    pub const ALL: [DataType; 21] = [
        DataType::Name,
        DataType::Rank,
        DataType::Photo,
        DataType::VettingLevel,
        DataType::StaffId,
        DataType::HomeAddress,
        DataType::PhoneNumber,
        DataType::EmailAddress,
        DataType::DateOfBirth,
        DataType::Financial,
        DataType::WorkLocation,
        DataType::Unit,
        DataType::VictimDetails,
        DataType::WitnessDetails,
        DataType::SuspectDetails,
        DataType::InformantDetails,
        DataType::Health,
        DataType::Recordings,
        DataType::CaseRecords,
        DataType::Credentials,
        DataType::NationalId,
    ];

    /// The stored and printed id (`home_address`).
    pub fn id(&self) -> &'static str {
        match self {
            DataType::Name => "name",
            DataType::Rank => "rank",
            DataType::Photo => "photo",
            DataType::VettingLevel => "vetting_level",
            DataType::StaffId => "staff_id",
            DataType::HomeAddress => "home_address",
            DataType::PhoneNumber => "phone_number",
            DataType::EmailAddress => "email_address",
            DataType::DateOfBirth => "date_of_birth",
            DataType::Financial => "financial",
            DataType::WorkLocation => "work_location",
            DataType::Unit => "unit",
            DataType::VictimDetails => "victim_details",
            DataType::WitnessDetails => "witness_details",
            DataType::SuspectDetails => "suspect_details",
            DataType::InformantDetails => "informant_details",
            DataType::Health => "health",
            DataType::Recordings => "recordings",
            DataType::CaseRecords => "case_records",
            DataType::Credentials => "credentials",
            DataType::NationalId => "national_id",
        }
    }

    /// The variant of an id (`home_address`), if any has it.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.id() == id)
    }
}

/// The explicit discriminants are stable codes: stored profiles and type masks use them, and
/// the bincode-era report records (`crate::store`'s legacy reader) were written with them.
/// Never change or reuse a number; a new variant takes the next unused one, and is added
/// to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// An attack by an outsider (hacking, unauthorised access).
    CyberAttack = 0,
    /// Ransomware.
    Ransomware = 1,
    /// Published or disclosed in error (a spreadsheet online, a FOI answer).
    AccidentalDisclosure = 2,
    /// An email, letter or file sent to the wrong recipients.
    MisdirectedCommunication = 3,
    /// A device or papers lost or stolen.
    LossOrTheft = 4,
    /// Misuse of data by the force's own staff.
    InsiderMisuse = 5,
    /// Data lost or deleted (records destroyed, footage wiped).
    DataLoss = 6,
    /// Processing without a lawful basis (kept too long, shared unlawfully).
    UnlawfulProcessing = 7,
    /// Not stated.
    Unknown = 8,
}

impl Cause {
    /// The stable code (see the enum's discriminants).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The variant of a stable code, if any has it.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// Every variant, in code order.
    pub const ALL: [Cause; 9] = [
        Cause::CyberAttack,
        Cause::Ransomware,
        Cause::AccidentalDisclosure,
        Cause::MisdirectedCommunication,
        Cause::LossOrTheft,
        Cause::InsiderMisuse,
        Cause::DataLoss,
        Cause::UnlawfulProcessing,
        Cause::Unknown,
    ];

    /// The stored and printed id (`misdirected_communication`).
    pub fn id(&self) -> &'static str {
        match self {
            Cause::CyberAttack => "cyber_attack",
            Cause::Ransomware => "ransomware",
            Cause::AccidentalDisclosure => "accidental_disclosure",
            Cause::MisdirectedCommunication => "misdirected_communication",
            Cause::LossOrTheft => "loss_or_theft",
            Cause::InsiderMisuse => "insider_misuse",
            Cause::DataLoss => "data_loss",
            Cause::UnlawfulProcessing => "unlawful_processing",
            Cause::Unknown => "unknown",
        }
    }

    /// The variant of an id, if any has it.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.id() == id)
    }

    /// Higher is more specific: ransomware (2) > any other stated cause (1) > unknown (0).
    pub fn specificity(&self) -> u8 {
        match self {
            Cause::Ransomware => 2,
            Cause::Unknown => 0,
            _ => 1,
        }
    }
}

/// The explicit discriminants are stable codes: stored profiles and type masks use them, and
/// the bincode-era report records (`crate::store`'s legacy reader) were written with them.
/// Never change or reuse a number; a new variant takes the next unused one, and is added
/// to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// The number as stated.
    Exact = 0,
    /// About, around, an estimated.
    Approx = 1,
    /// More than, at least, over.
    AtLeast = 2,
    /// Up to, fewer than, at most.
    AtMost = 3,
}

impl Qualifier {
    /// Every variant, in code order.
    pub const ALL: [Qualifier; 4] = [
        Qualifier::Exact,
        Qualifier::Approx,
        Qualifier::AtLeast,
        Qualifier::AtMost,
    ];

    /// The stable code (see the enum's discriminants).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The variant of a stable code, if any has it.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// The stored and printed id.
    pub fn id(&self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
        }
    }

    /// The variant of an id, if any has it.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|q| q.id() == id)
    }
}

/// The explicit discriminants are stable codes: stored profiles and type masks use them, and
/// the bincode-era report records (`crate::store`'s legacy reader) were written with them.
/// Never change or reuse a number; a new variant takes the next unused one, and is added
/// to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// People affected.
    People = 0,
    /// Records exposed.
    Records = 1,
    /// Files or documents exposed.
    Files = 2,
}

impl Unit {
    /// Every variant, in code order.
    pub const ALL: [Unit; 3] = [Unit::People, Unit::Records, Unit::Files];

    /// The stable code (see the enum's discriminants).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The variant of a stable code, if any has it.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// The stored and printed id.
    pub fn id(&self) -> &'static str {
        match self {
            Unit::People => "people",
            Unit::Records => "records",
            Unit::Files => "files",
        }
    }

    /// The variant of an id, if any has it.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|u| u.id() == id)
    }
}

/// A development one report states: a fine, an arrest, a revised figure... with its sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentFact {
    /// What happened.
    pub kind: DevelopmentKind,
    /// Money in minor units (pence, cents) where stated.
    pub amount_minor: Option<u64>,
    /// ISO 4217 code where stated.
    pub currency: Option<String>,
    /// Where it was read.
    pub span: Span,
}

/// The explicit discriminants are stable codes: stored profiles and type masks use them, and
/// the bincode-era report records (`crate::store`'s legacy reader) were written with them.
/// Never change or reuse a number; a new variant takes the next unused one, and is added
/// to `ALL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[repr(u8)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentKind {
    /// A fine (monetary penalty).
    Fine = 0,
    /// A reprimand from the regulator.
    Reprimand = 1,
    /// An enforcement notice.
    EnforcementNotice = 2,
    /// An arrest.
    Arrest = 3,
    /// A charge or prosecution.
    Charge = 4,
    /// A lawsuit or group claim.
    Lawsuit = 5,
    /// Compensation paid or offered.
    Compensation = 6,
    /// A new figure for those affected.
    RevisedCount = 7,
    /// An apology (not a development that reopens a story: see `dedup::is_follow_up`).
    Apology = 8,
    /// Any other development.
    Other = 9,
}

impl DevelopmentKind {
    /// Every variant, in code order.
    pub const ALL: [DevelopmentKind; 10] = [
        DevelopmentKind::Fine,
        DevelopmentKind::Reprimand,
        DevelopmentKind::EnforcementNotice,
        DevelopmentKind::Arrest,
        DevelopmentKind::Charge,
        DevelopmentKind::Lawsuit,
        DevelopmentKind::Compensation,
        DevelopmentKind::RevisedCount,
        DevelopmentKind::Apology,
        DevelopmentKind::Other,
    ];

    /// The stored and printed id (`enforcement_notice`), as serde names it.
    pub fn id(&self) -> &'static str {
        match self {
            DevelopmentKind::Fine => "fine",
            DevelopmentKind::Reprimand => "reprimand",
            DevelopmentKind::EnforcementNotice => "enforcement_notice",
            DevelopmentKind::Arrest => "arrest",
            DevelopmentKind::Charge => "charge",
            DevelopmentKind::Lawsuit => "lawsuit",
            DevelopmentKind::Compensation => "compensation",
            DevelopmentKind::RevisedCount => "revised_count",
            DevelopmentKind::Apology => "apology",
            DevelopmentKind::Other => "other",
        }
    }

    /// The stable code (see the enum's discriminants).
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The variant of a stable code, if any has it.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}
