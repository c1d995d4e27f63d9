//! Temporary stand-in with the extract interface, while the real module is written.
use serde::{Deserialize, Serialize};
pub struct ArticleInput<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub source: &'a str,
    pub published: Option<chrono::DateTime<chrono::FixedOffset>>,
}
pub fn document(title: &str, text: &str) -> String {
    format!("{title}\n\n{text}")
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub relevant: bool,
    pub reason: String,
    pub reports: Vec<Report>,
    pub warnings: Vec<String>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub forces: Vec<String>,
    pub force_evidence: Vec<Span>,
    pub data_types: Vec<Fact<DataType>>,
    pub not_exposed: Vec<Fact<DataType>>,
    pub counts: Vec<CountFact>,
    pub cause: Fact<Cause>,
    pub third_party: Option<bool>,
    pub supplier: Option<String>,
    pub developments: Vec<Development>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact<T> {
    pub value: T,
    pub span: Option<Span>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountFact {
    pub count: u64,
    pub qualifier: Qualifier,
    pub unit: Unit,
    pub span: Span,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataType {
    Name,
    Rank,
    Photo,
    VettingLevel,
    StaffId,
    HomeAddress,
    PhoneNumber,
    EmailAddress,
    DateOfBirth,
    Financial,
    WorkLocation,
    Unit,
    VictimDetails,
    WitnessDetails,
    SuspectDetails,
    InformantDetails,
    Health,
    Recordings,
    CaseRecords,
    Credentials,
    NationalId,
}
impl DataType {
    pub fn id(&self) -> &'static str {
        "name"
    }
    pub fn from_id(_s: &str) -> Option<Self> {
        None
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    CyberAttack,
    Ransomware,
    AccidentalDisclosure,
    MisdirectedCommunication,
    LossOrTheft,
    InsiderMisuse,
    DataLoss,
    UnlawfulProcessing,
    Unknown,
}
impl Cause {
    pub fn id(&self) -> &'static str {
        "unknown"
    }
    pub fn from_id(_s: &str) -> Option<Self> {
        None
    }
    pub fn specificity(&self) -> u8 {
        0
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Approx,
    AtLeast,
    AtMost,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    People,
    Records,
    Files,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Development {
    pub kind: DevelopmentKind,
    pub amount_minor: Option<u64>,
    pub currency: Option<String>,
    pub span: Span,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentKind {
    Fine,
    Reprimand,
    EnforcementNotice,
    Arrest,
    Charge,
    Lawsuit,
    Compensation,
    RevisedCount,
    Apology,
    Other,
}
pub fn extract(_i: &ArticleInput) -> Extraction {
    Extraction {
        relevant: false,
        reason: String::new(),
        reports: vec![],
        warnings: vec![],
    }
}
pub fn force_name(_id: &str) -> Option<&'static str> {
    None
}
