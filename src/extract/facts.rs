//! Lexicons for data types, negation, causes and relevance cues.

use std::sync::LazyLock;

use super::lexicon::Lex;
use super::{Cause, DataType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeTag {
    pub ty: DataType,
    /// weak terms count only in a list of other data terms
    pub weak: bool,
    /// "address(es)" – resolved by context (email vs home)
    pub address: bool,
}

const fn t(ty: DataType) -> TypeTag {
    TypeTag { ty, weak: false, address: false }
}
const fn w(ty: DataType) -> TypeTag {
    TypeTag { ty, weak: true, address: false }
}

pub static TYPES: LazyLock<Lex<TypeTag>> = LazyLock::new(|| {
    use DataType::*;
    let addr = TypeTag { ty: HomeAddress, weak: false, address: true };
    let pairs: Vec<(&str, TypeTag)> = vec![
        // name
        ("names", t(Name)), ("surnames", t(Name)), ("surname", t(Name)), ("full names", t(Name)), ("full name", t(Name)),
        ("first names", t(Name)), ("first name", t(Name)), ("first initial", t(Name)), ("initials", t(Name)),
        ("first preliminary", t(Name)), ("forenames", t(Name)), ("forename", t(Name)), ("last names", t(Name)),
        ("identities", w(Name)), ("name", w(Name)), ("names and", t(Name)), ("her name", t(Name)), ("his name", t(Name)),
        ("their name", t(Name)), ("their names", t(Name)), ("the name", w(Name)), ("initial", w(Name)),
        // rank
        ("ranks", t(Rank)), ("rank", t(Rank)), ("grades", w(Rank)), ("grade", w(Rank)), ("job titles", t(Rank)),
        ("job title", t(Rank)), ("job positions", t(Rank)), ("job roles", t(Rank)), ("roles", w(Rank)), ("role", w(Rank)),
        ("positions", w(Rank)), ("ranking", w(Rank)), ("rankings", w(Rank)), ("job descriptions", t(Rank)),
        // photo
        ("photographs", t(Photo)), ("photograph", t(Photo)), ("photos", t(Photo)), ("photo", w(Photo)),
        ("images", t(Photo)), ("pictures", t(Photo)), ("headshots", t(Photo)), ("facial images", t(Photo)),
        ("intimate photographs", t(Photo)), ("intimate images", t(Photo)), ("faces", w(Photo)), ("mugshots", t(Photo)),
        ("photographs and", t(Photo)),
        // vetting
        ("vetting levels", t(VettingLevel)), ("vetting level", t(VettingLevel)), ("vetting ranges", t(VettingLevel)),
        ("vetting status", t(VettingLevel)), ("vetting ranges and", t(VettingLevel)), ("vetting clearance", t(VettingLevel)),
        ("security clearance", t(VettingLevel)), ("security clearances", t(VettingLevel)), ("vetting details", t(VettingLevel)),
        ("vetting ranks", t(VettingLevel)), ("vetting degrees", t(VettingLevel)), ("vetting information", t(VettingLevel)),
        // staff id
        ("pay numbers", t(StaffId)), ("pay number", t(StaffId)), ("payroll numbers", t(StaffId)), ("payroll number", t(StaffId)),
        ("warrant numbers", t(StaffId)), ("warrant card numbers", t(StaffId)), ("collar numbers", t(StaffId)),
        ("collar number", t(StaffId)), ("employee numbers", t(StaffId)), ("employee ID numbers", t(StaffId)),
        ("employee IDs", t(StaffId)), ("staff ID numbers", t(StaffId)), ("staff IDs", t(StaffId)), ("service numbers", t(StaffId)),
        ("service or staff numbers", t(StaffId)), ("badge numbers", t(StaffId)), ("shoulder numbers", t(StaffId)),
        ("ID numbers", t(StaffId)), ("identification numbers", t(StaffId)), ("serial numbers", t(StaffId)),
        ("personnel numbers", t(StaffId)), ("force numbers", t(StaffId)), ("staff numbers", w(StaffId)),
        ("warrant card details", t(StaffId)), ("warrant card particulars", t(StaffId)), ("pay figures", w(StaffId)),
        ("cost numbers", t(StaffId)),
        // home address
        ("home addresses", t(HomeAddress)), ("home address", t(HomeAddress)), ("postal addresses", t(HomeAddress)),
        ("postal address", t(HomeAddress)), ("dwelling addresses", t(HomeAddress)), ("residential addresses", t(HomeAddress)),
        ("house addresses", t(HomeAddress)), ("house numbers", t(HomeAddress)), ("where they live", t(HomeAddress)),
        ("where officers live", t(HomeAddress)), ("addresses", addr), ("address", addr), ("residence addresses", t(HomeAddress)),
        ("home particulars", t(HomeAddress)), ("postcodes", w(HomeAddress)),
        // phone
        ("phone numbers", t(PhoneNumber)), ("phone number", t(PhoneNumber)), ("telephone numbers", t(PhoneNumber)),
        ("telephone number", t(PhoneNumber)), ("mobile numbers", t(PhoneNumber)), ("mobile phone numbers", t(PhoneNumber)),
        ("cellphone numbers", t(PhoneNumber)), ("cell phone numbers", t(PhoneNumber)), ("contact numbers", t(PhoneNumber)),
        ("mobile number", t(PhoneNumber)), ("cellphone number", t(PhoneNumber)), ("phone particulars", t(PhoneNumber)),
        ("telephone particulars", t(PhoneNumber)), ("cell numbers", t(PhoneNumber)),
        // email
        ("email addresses", t(EmailAddress)), ("email address", t(EmailAddress)), ("e-mail addresses", t(EmailAddress)),
        ("e-mail address", t(EmailAddress)), ("emails addresses", t(EmailAddress)), ("electronic mail addresses", t(EmailAddress)),
        // dob
        ("dates of birth", t(DateOfBirth)), ("date of birth", t(DateOfBirth)), ("birth dates", t(DateOfBirth)),
        ("birthdates", t(DateOfBirth)), ("birth date", t(DateOfBirth)), ("DOBs", t(DateOfBirth)), ("birthdays", t(DateOfBirth)),
        ("dates of start", t(DateOfBirth)), ("ages", w(DateOfBirth)),
        // financial
        ("bank details", t(Financial)), ("bank account details", t(Financial)), ("bank accounts", t(Financial)),
        ("bank account numbers", t(Financial)), ("sort codes", t(Financial)), ("salaries", t(Financial)), ("salary", t(Financial)),
        ("allowances", t(Financial)), ("allowance", w(Financial)), ("pay details", t(Financial)), ("pay packets", t(Financial)),
        ("pay packet", t(Financial)), ("pay data", t(Financial)), ("pay and allowances", t(Financial)), ("names and pay", t(Financial)), ("name and pay", t(Financial)), ("pay of", w(Financial)),
        ("financial details", t(Financial)), ("financial information", t(Financial)), ("financial data", t(Financial)),
        ("financial records", t(Financial)), ("financial histories", t(Financial)), ("financial history", t(Financial)),
        ("financial and credit histories", t(Financial)), ("credit histories", t(Financial)), ("credit history", t(Financial)),
        ("credit card details", t(Financial)), ("credit card numbers", t(Financial)), ("card numbers", t(Financial)),
        ("card details", t(Financial)), ("payment details", t(Financial)), ("payment card", t(Financial)),
        ("monetary particulars", t(Financial)), ("monetary info", t(Financial)), ("monetary information", t(Financial)),
        ("monetary details", t(Financial)), ("monetary knowledge", t(Financial)), ("financial info", t(Financial)),
        ("financial particulars", t(Financial)), ("banking details", t(Financial)), ("banking information", t(Financial)),
        ("wages", t(Financial)), ("earnings", w(Financial)), ("pensions", w(Financial)),
        ("overtime payments", t(Financial)), ("expenses", w(Financial)), ("financial", w(Financial)),
        // work location
        ("deployment locations", t(WorkLocation)), ("work locations", t(WorkLocation)), ("work location", t(WorkLocation)),
        ("where they are based", t(WorkLocation)), ("where they're based", t(WorkLocation)), ("where they work", t(WorkLocation)),
        ("where someone works", t(WorkLocation)), ("where officers are deployed", t(WorkLocation)),
        ("locations where officers are deployed", t(WorkLocation)), ("the place they're based", t(WorkLocation)),
        ("the place they are based", t(WorkLocation)), ("place of work", t(WorkLocation)), ("places of work", t(WorkLocation)),
        ("their base", t(WorkLocation)), ("stations", w(WorkLocation)), ("postings", t(WorkLocation)), ("posting", w(WorkLocation)),
        ("where they are stationed", t(WorkLocation)), ("duty stations", t(WorkLocation)), ("base stations", w(WorkLocation)),
        ("locations", w(WorkLocation)), ("workplaces", t(WorkLocation)), ("where they are posted", t(WorkLocation)),
        ("where officers work", t(WorkLocation)), ("where people work", t(WorkLocation)), ("work addresses", t(WorkLocation)),
        // unit
        ("the unit they work in", t(Unit)), ("unit they work in", t(Unit)), ("the department or unit", t(Unit)),
        ("department or unit", t(Unit)), ("the departments people worked in", t(Unit)), ("departments people worked in", t(Unit)),
        ("the unit they belong to", t(Unit)), ("units they work in", t(Unit)), ("their unit", t(Unit)), ("their units", t(Unit)),
        ("their department", t(Unit)), ("their departments", t(Unit)), ("their team", t(Unit)), ("the team they work in", t(Unit)),
        ("the departments they work in", t(Unit)), ("the department they work in", t(Unit)), ("the unit they work", t(Unit)),
        ("the units they work", t(Unit)), ("the unit they're employed in", t(Unit)),
        // victims
        ("victims", t(VictimDetails)), ("victim", t(VictimDetails)), ("victim's", t(VictimDetails)), ("victims'", t(VictimDetails)),
        ("crime victims", t(VictimDetails)), ("victims of crime", t(VictimDetails)), ("rape victim", t(VictimDetails)),
        ("abuse victims", t(VictimDetails)), ("survivors", w(VictimDetails)), ("victim details", t(VictimDetails)),
        ("injured parties", t(VictimDetails)), ("victims and", t(VictimDetails)),
        // witnesses
        ("witnesses", t(WitnessDetails)), ("witness", t(WitnessDetails)), ("witness statements", t(WitnessDetails)),
        ("witness's", t(WitnessDetails)), ("witnesses'", t(WitnessDetails)), ("witness details", t(WitnessDetails)),
        // suspects
        ("suspects", t(SuspectDetails)), ("suspect", t(SuspectDetails)), ("suspect's", t(SuspectDetails)),
        ("offenders", t(SuspectDetails)), ("convicted offenders", t(SuspectDetails)), 
        ("criminal records", t(SuspectDetails)), ("arrest records", t(SuspectDetails)), ("criminal histories", t(SuspectDetails)),
        ("custody records", t(SuspectDetails)), ("jail census", t(SuspectDetails)), ("people arrested", t(SuspectDetails)),
        ("arrested people", t(SuspectDetails)), ("perpetrators", w(SuspectDetails)), ("defendants", t(SuspectDetails)),
        ("criminal convictions", t(SuspectDetails)), ("mugshot", t(SuspectDetails)), ("offender", w(SuspectDetails)),
        ("suspects'", t(SuspectDetails)), ("accused", w(SuspectDetails)),
        // informants
        ("informants", t(InformantDetails)), ("informant", t(InformantDetails)), ("police informants", t(InformantDetails)),
        ("covert sources", t(InformantDetails)), ("covert human intelligence sources", t(InformantDetails)),
        ("informers", t(InformantDetails)), ("informer", t(InformantDetails)), ("confidential sources", t(InformantDetails)),
        ("CHIS", t(InformantDetails)),
        // health
        ("medical records", t(Health)), ("medical information", t(Health)), ("medical history", t(Health)),
        ("medical details", t(Health)), ("medical data", t(Health)), ("health information", t(Health)),
        ("health data", t(Health)), ("health records", t(Health)), ("health details", t(Health)), ("mental health", t(Health)),
        ("psychological evaluations", t(Health)), ("psychological assessments", t(Health)), ("psych evaluations", t(Health)),
        ("psychological evaluation", t(Health)), ("medical conditions", t(Health)), ("health conditions", t(Health)),
        ("sickness records", t(Health)), ("occupational health", t(Health)), ("medical info", t(Health)),
        ("well being", w(Health)), ("disabilities", w(Health)), ("medical particulars", t(Health)), ("health", w(Health)),
        // recordings
        ("recordings", t(Recordings)), ("recording", w(Recordings)), ("body-worn video", t(Recordings)),
        ("body worn video", t(Recordings)), ("body-worn camera footage", t(Recordings)), ("body-worn footage", t(Recordings)),
        ("body camera footage", t(Recordings)), ("body cam clips", t(Recordings)), ("body cam footage", t(Recordings)),
        ("bodycam footage", t(Recordings)), ("body-worn video footage", t(Recordings)), ("footage", t(Recordings)),
        ("CCTV", t(Recordings)), ("CCTV footage", t(Recordings)), ("video", t(Recordings)), ("videos", t(Recordings)),
        ("audio", t(Recordings)), ("tapes", t(Recordings)), ("interview tapes", t(Recordings)), ("video interview", t(Recordings)),
        ("filmed interview", t(Recordings)), ("video-recorded", t(Recordings)), ("recorded interview", t(Recordings)),
        ("interview recordings", t(Recordings)), ("call recordings", t(Recordings)), ("recorded calls", t(Recordings)),
        ("recorded more than", t(Recordings)), ("recorded every call", t(Recordings)), ("recorded each call", t(Recordings)),
        ("recorded each name", t(Recordings)), ("recorded greater than", t(Recordings)), ("recorded automatically", t(Recordings)),
        ("secretly recorded", t(Recordings)), ("999 calls", t(Recordings)), ("interview disks", t(Recordings)),
        ("audio recordings", t(Recordings)), ("video recordings", t(Recordings)), ("dashcam footage", t(Recordings)),
        ("BWV", t(Recordings)), ("clips", w(Recordings)),
        // case records
        ("case files", t(CaseRecords)), ("case file", t(CaseRecords)), ("case notes", t(CaseRecords)),
        ("case documents", t(CaseRecords)), ("case papers", t(CaseRecords)), ("case records", t(CaseRecords)),
        ("case details", t(CaseRecords)), ("crime reports", t(CaseRecords)), ("crime report", t(CaseRecords)),
        ("intelligence reports", t(CaseRecords)), ("intelligence files", t(CaseRecords)), ("intelligence records", t(CaseRecords)),
        ("intelligence data", t(CaseRecords)), ("investigation files", t(CaseRecords)), ("investigation records", t(CaseRecords)),
        ("investigative files", t(CaseRecords)), ("disciplinary records", t(CaseRecords)), ("disciplinary files", t(CaseRecords)),
        ("misconduct records", t(CaseRecords)), ("performance reviews", t(CaseRecords)), ("descriptions of the offences", t(CaseRecords)),
        ("descriptions of offences", t(CaseRecords)), ("details of offences", t(CaseRecords)), ("crime records", t(CaseRecords)),
        ("incident reports", t(CaseRecords)), ("police reports", t(CaseRecords)), ("evidence files", t(CaseRecords)),
        ("case information", t(CaseRecords)), ("crime data", t(CaseRecords)), ("statements", w(CaseRecords)),
        ("witness statements and", t(CaseRecords)), ("criminal case files", t(CaseRecords)), ("personnel files", w(CaseRecords)),
        ("complaint files", t(CaseRecords)), ("investigation reports", t(CaseRecords)),
        // credentials
        ("passwords", t(Credentials)), ("password", t(Credentials)), ("login details", t(Credentials)),
        ("log-in details", t(Credentials)), ("login credentials", t(Credentials)), ("credentials", t(Credentials)),
        ("usernames", t(Credentials)), ("user names", t(Credentials)), ("PINs", w(Credentials)), ("passcodes", t(Credentials)),
        ("login information", t(Credentials)), ("access credentials", t(Credentials)), ("hashed passwords", t(Credentials)),
        // national id
        ("National Insurance numbers", t(NationalId)), ("National Insurance number", t(NationalId)),
        ("Social Security numbers", t(NationalId)), ("Social Security number", t(NationalId)), ("SSNs", t(NationalId)),
        ("passport numbers", t(NationalId)), ("passport details", t(NationalId)), ("passports", t(NationalId)),
        ("driver's licenses", t(NationalId)), ("driver's license", t(NationalId)), ("drivers' licenses", t(NationalId)),
        ("driver's licence", t(NationalId)), ("driving licence numbers", t(NationalId)), ("driving licence details", t(NationalId)),
        ("driving licences", t(NationalId)), ("driving licence", t(NationalId)), ("driver licence details", t(NationalId)),
        ("driver licence", t(NationalId)), ("driver license numbers", t(NationalId)), ("licence numbers", t(NationalId)),
        ("license numbers", t(NationalId)), ("ID card numbers", t(NationalId)), ("national ID numbers", t(NationalId)),
        ("Aadhaar numbers", t(NationalId)), ("tax file numbers", t(NationalId)), ("PPS numbers", t(NationalId)),
        ("NI numbers", t(NationalId)), ("identity documents", t(NationalId)), ("Social Safety numbers", t(NationalId)),
    ];
    Lex::new(&pairs, true)
});

/// Negation cues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neg {
    /// scope runs forward to the clause end
    Pre,
    /// scope runs backward to the clause start
    Post,
}

pub static NEG: LazyLock<Lex<Neg>> = LazyLock::new(|| {
    let mut pairs: Vec<(String, Neg)> = Vec::new();
    let verbs = [
        "include", "contain", "hold", "have", "involve", "affect", "maintain", "keep", "store", "show", "reveal", "list",
        "cover", "comprise", "feature", "retain", "expose", "embody", "incorporate", "carry", "possess", "have access to",
    ];
    for aux in ["did not", "didn't", "does not", "doesn't", "do not", "don't", "did not ever", "had not", "has not", "have not", "never"] {
        for v in verbs {
            pairs.push((format!("{aux} {v}"), Neg::Pre));
        }
    }
    for p in [
        "did not believe", "does not believe", "do not believe", "didn't believe", "doesn't believe", "not believed",
        "isn't believed", "is not believed", "are not believed", "aren't believed", "not thought", "is not thought",
        "isn't thought", "not understood", "no evidence", "nothing to suggest", "nothing to indicate", "no indication",
        "no suggestion", "not including", "not include", "excluding", "except", "but not", "nor", "neither", "no personal",
        "no information", "no data", "no details", "no sensitive", "no financial", "no bank", "no home", "no addresses",
        "no phone", "no other", "not any", "none of", "without any", "was free of", "not contain", "not hold",
        "not affected", "no passwords", "no medical", "no dates", "no names", "did not extend to", "does not extend to",
        "no reason to believe", "not believe", "has found no", "have found no", "found no",
    ] {
        pairs.push((p.to_string(), Neg::Pre));
    }
    for p in [
        "were not included", "was not included", "weren't included", "wasn't included", "were not affected",
        "was not affected", "weren't affected", "wasn't affected", "were not taken", "was not taken", "were not accessed",
        "was not accessed", "were not compromised", "was not compromised", "were not exposed", "was not exposed",
        "were not involved", "was not involved", "were not held", "was not held", "were not stolen", "was not stolen",
        "were not part", "was not part", "have not been", "has not been", "had not been", "are not thought",
        "is not thought", "are not believed", "is not believed", "were not released", "was not released",
        "were not published", "was not published", "were not disclosed", "was not disclosed", "were not shared",
        "was not shared", "were not obtained", "was not obtained", "were not leaked", "was not leaked", "remain secure",
        "remained secure", "were unaffected", "was unaffected", "are unaffected", "is unaffected", "not at risk",
        "were not on", "was not on", "were not contained", "was not contained", "weren't taken", "wasn't taken",
        "were not concerned", "weren't concerned", "have not been compromised", "were not revealed", "was not revealed",
    ] {
        pairs.push((p.to_string(), Neg::Post));
    }
    let refs: Vec<(&str, Neg)> = pairs.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    Lex::new(&refs, true)
});

/// Cause cues: (cause, weight). Combination cues are resolved in `causes_in`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CauseCue {
    Direct(Cause, u8),
    ErrorWord,
    DisclosureWord,
    PhysicalObject,
    LossVerb,
    Retention,
    StolenWord,
}

pub static CAUSES: LazyLock<Lex<CauseCue>> = LazyLock::new(|| {
    use Cause::*;
    use CauseCue::*;
    let pairs: Vec<(&str, CauseCue)> = vec![
        ("ransomware", Direct(Ransomware, 3)), ("ransom demand", Direct(Ransomware, 3)), ("ransom", Direct(Ransomware, 2)),
        ("extortion", Direct(Ransomware, 1)), ("Babuk", Direct(Ransomware, 3)), ("LockBit", Direct(Ransomware, 3)),
        ("ALPHV", Direct(Ransomware, 3)), ("BlackCat", Direct(Ransomware, 3)), ("Clop", Direct(Ransomware, 2)),
        ("Rhysida", Direct(Ransomware, 3)), ("Conti", Direct(Ransomware, 2)), ("Medusa", Direct(Ransomware, 2)),
        ("Akira", Direct(Ransomware, 2)), ("encrypted", Direct(Ransomware, 1)), ("ransom assault", Direct(Ransomware, 3)),
        ("hacked", Direct(CyberAttack, 2)), ("hack", Direct(CyberAttack, 2)), ("hacking", Direct(CyberAttack, 2)),
        ("hacker", Direct(CyberAttack, 2)), ("hackers", Direct(CyberAttack, 2)), ("cyber attack", Direct(CyberAttack, 2)),
        ("cyber-attack", Direct(CyberAttack, 2)), ("cyberattack", Direct(CyberAttack, 2)), ("cyber assault", Direct(CyberAttack, 2)),
        ("cyber incident", Direct(CyberAttack, 1)), ("unauthorised access", Direct(CyberAttack, 2)),
        ("unauthorized access", Direct(CyberAttack, 2)), ("accessed without authorization", Direct(CyberAttack, 2)),
        ("accessed without authorisation", Direct(CyberAttack, 2)), ("intrusion", Direct(CyberAttack, 1)),
        ("phishing", Direct(CyberAttack, 2)), ("malware", Direct(CyberAttack, 2)), ("criminals got into", Direct(CyberAttack, 2)),
        ("attacked the firm's systems", Direct(CyberAttack, 1)), ("breached", Direct(CyberAttack, 1)),
        ("supply-chain attack", Direct(CyberAttack, 1)), ("downloaded a database", Direct(CyberAttack, 2)),
        ("gained access", Direct(CyberAttack, 1)), ("threat actor", Direct(CyberAttack, 2)), ("cybercriminals", Direct(CyberAttack, 2)),
        ("DDoS", Direct(CyberAttack, 1)), ("attackers", Direct(CyberAttack, 1)),
        // accidental disclosure
        ("human error", Direct(AccidentalDisclosure, 2)), ("hidden worksheet", Direct(AccidentalDisclosure, 3)),
        ("hidden tab", Direct(AccidentalDisclosure, 3)), ("hidden tabs", Direct(AccidentalDisclosure, 3)),
        ("hidden spreadsheet", Direct(AccidentalDisclosure, 3)), ("hidden data", Direct(AccidentalDisclosure, 2)),
        ("Freedom of Information request", Direct(AccidentalDisclosure, 1)), ("Freedom of Information requests", Direct(AccidentalDisclosure, 1)),
        ("Freedom of Information response", Direct(AccidentalDisclosure, 2)), ("FOI request", Direct(AccidentalDisclosure, 1)),
        ("FOI response", Direct(AccidentalDisclosure, 2)), ("FOI responses", Direct(AccidentalDisclosure, 2)),
        ("unredacted", Direct(AccidentalDisclosure, 2)), ("published online", Direct(AccidentalDisclosure, 1)),
        ("uploaded to its website", Direct(AccidentalDisclosure, 2)), ("uploaded to its public website", Direct(AccidentalDisclosure, 2)),
        ("uploaded to the force's website", Direct(AccidentalDisclosure, 2)), ("posted on a public website", Direct(AccidentalDisclosure, 1)),
        ("publishing slip", Direct(AccidentalDisclosure, 2)), ("failed to redact", Direct(AccidentalDisclosure, 2)),
        ("not redacted", Direct(AccidentalDisclosure, 2)), ("disclosure bundle", Direct(AccidentalDisclosure, 1)),
        ("raw data", Direct(AccidentalDisclosure, 1)),
        // misdirected
        ("blind copy", Direct(MisdirectedCommunication, 3)), ("BCC", Direct(MisdirectedCommunication, 3)),
        ("bcc field", Direct(MisdirectedCommunication, 3)), ("CC field", Direct(MisdirectedCommunication, 3)),
        ("CC-instead-of-BCC", Direct(MisdirectedCommunication, 3)), ("wrong email address", Direct(MisdirectedCommunication, 3)),
        ("wrong address", Direct(MisdirectedCommunication, 2)), ("wrong recipient", Direct(MisdirectedCommunication, 3)),
        ("wrong person", Direct(MisdirectedCommunication, 2)), ("wrong people", Direct(MisdirectedCommunication, 2)),
        ("sent in error to", Direct(MisdirectedCommunication, 3)), ("emailed in error", Direct(MisdirectedCommunication, 3)),
        ("misdirected", Direct(MisdirectedCommunication, 3)), ("every address on show", Direct(MisdirectedCommunication, 3)),
        ("addresses visible", Direct(MisdirectedCommunication, 2)), ("\"To\" box", Direct(MisdirectedCommunication, 2)),
        ("To field", Direct(MisdirectedCommunication, 2)), ("group email", Direct(MisdirectedCommunication, 2)),
        ("sent to the wrong", Direct(MisdirectedCommunication, 3)), ("email sent to", Direct(MisdirectedCommunication, 1)),
        ("wrong email", Direct(MisdirectedCommunication, 2)), ("wrong recipients", Direct(MisdirectedCommunication, 3)),
        ("reply-all", Direct(MisdirectedCommunication, 2)), ("incorrect address", Direct(MisdirectedCommunication, 2)),
        // loss or theft
        ("left behind", Direct(LossOrTheft, 2)), ("went missing", Direct(LossOrTheft, 2)), ("never arrived", Direct(LossOrTheft, 2)),
        ("mislaid", Direct(LossOrTheft, 2)), ("stolen laptop", Direct(LossOrTheft, 3)), ("stolen from a car", Direct(LossOrTheft, 3)),
        ("burglary", Direct(LossOrTheft, 1)), ("theft of", Direct(LossOrTheft, 2)), ("lost laptop", Direct(LossOrTheft, 3)),
        ("in the basement", Direct(LossOrTheft, 1)), ("found dumped", Direct(LossOrTheft, 2)), ("vanished", Direct(LossOrTheft, 1)),
        ("unencrypted", Direct(LossOrTheft, 1)), ("accidental loss", Direct(LossOrTheft, 1)), ("never reached", Direct(LossOrTheft, 2)),
        ("left on a train", Direct(LossOrTheft, 3)), ("left in a pub", Direct(LossOrTheft, 3)), ("dropped in the street", Direct(LossOrTheft, 3)),
        ("properly cleared", Direct(LossOrTheft, 1)), ("left in", Direct(LossOrTheft, 1)),
        // data loss
        ("deleted", Direct(DataLoss, 2)), ("deletion", Direct(DataLoss, 2)), ("deleting", Direct(DataLoss, 2)),
        ("wiped", Direct(DataLoss, 2)), ("erased", Direct(DataLoss, 2)), ("corrupted", Direct(DataLoss, 2)),
        ("unexplained reduction", Direct(DataLoss, 3)), ("reduction in data", Direct(DataLoss, 3)), ("data loss", Direct(DataLoss, 2)),
        ("could not be recovered", Direct(DataLoss, 2)), ("disappeared from its systems", Direct(DataLoss, 3)),
        ("backup", Direct(DataLoss, 1)), ("backups", Direct(DataLoss, 1)), ("unexplained drop", Direct(DataLoss, 3)),
        ("permanently lost", Direct(DataLoss, 2)), ("fall in storage", Direct(DataLoss, 2)), ("destroyed in error", Direct(DataLoss, 3)),
        // insider misuse
        ("without a policing purpose", Direct(InsiderMisuse, 3)), ("no policing purpose", Direct(InsiderMisuse, 3)),
        ("without a legitimate reason", Direct(InsiderMisuse, 3)), ("without lawful authority", Direct(InsiderMisuse, 2)),
        ("misuse of police systems", Direct(InsiderMisuse, 3)), ("unauthorised searches", Direct(InsiderMisuse, 3)),
        ("unauthorised checks", Direct(InsiderMisuse, 3)), ("for personal reasons", Direct(InsiderMisuse, 2)),
        ("snooping", Direct(InsiderMisuse, 3)), ("misconduct in public office", Direct(InsiderMisuse, 2)),
        ("leaked to the press", Direct(InsiderMisuse, 2)), ("leaked by an officer", Direct(InsiderMisuse, 3)),
        ("improperly accessed", Direct(InsiderMisuse, 3)), ("accessed records without", Direct(InsiderMisuse, 3)),
        ("rogue officer", Direct(InsiderMisuse, 3)), ("computer misuse by", Direct(InsiderMisuse, 3)),
        // unlawful processing
        ("no lawful basis", Direct(UnlawfulProcessing, 3)), ("without a lawful basis", Direct(UnlawfulProcessing, 3)),
        ("without lawful basis", Direct(UnlawfulProcessing, 3)), ("unlawfully", Direct(UnlawfulProcessing, 2)),
        ("without the knowledge of", Direct(UnlawfulProcessing, 2)), ("without the callers knowing", Direct(UnlawfulProcessing, 3)),
        ("with out the callers", Direct(UnlawfulProcessing, 3)), ("without people's knowledge", Direct(UnlawfulProcessing, 3)),
        ("without anyone's knowledge", Direct(UnlawfulProcessing, 3)), ("secretly recorded", Direct(UnlawfulProcessing, 3)),
        ("was lawful", Direct(UnlawfulProcessing, 2)), ("lawful basis", Direct(UnlawfulProcessing, 2)),
        ("kept longer than", Direct(UnlawfulProcessing, 2)), ("retained unlawfully", Direct(UnlawfulProcessing, 3)),
        ("without consent", Direct(UnlawfulProcessing, 2)), ("recording calls without", Direct(UnlawfulProcessing, 3)),
        ("without their knowledge", Direct(UnlawfulProcessing, 2)), ("handled lawfully", Direct(UnlawfulProcessing, 2)),
        ("excessive", Direct(UnlawfulProcessing, 1)),
        // combination words
        ("in error", ErrorWord), ("by mistake", ErrorWord), ("mistakenly", ErrorWord), ("wrongly", ErrorWord),
        ("accidentally", ErrorWord), ("accidental", ErrorWord), ("inadvertently", ErrorWord), ("erroneously", ErrorWord),
        ("mistaken", ErrorWord), ("blunder", ErrorWord), ("should not have been", ErrorWord), ("incorrectly", ErrorWord),
        ("error", ErrorWord), ("by accident", ErrorWord), ("mistake", ErrorWord),
        ("published", DisclosureWord), ("publication", DisclosureWord), ("released", DisclosureWord), ("release", DisclosureWord),
        ("disclosed", DisclosureWord), ("disclosure", DisclosureWord), ("uploaded", DisclosureWord), ("posted", DisclosureWord),
        ("shared", DisclosureWord), ("revealed", DisclosureWord), ("included", DisclosureWord), ("online", DisclosureWord),
        ("website", DisclosureWord), ("response", DisclosureWord), ("responses", DisclosureWord), ("made public", DisclosureWord),
        ("put online", DisclosureWord), ("handed", DisclosureWord), ("passed", DisclosureWord), ("sent out", DisclosureWord),
        ("launched", DisclosureWord), ("introduced", DisclosureWord),
        ("disks", PhysicalObject), ("discs", PhysicalObject), ("laptop", PhysicalObject), ("laptops", PhysicalObject),
        ("USB", PhysicalObject), ("memory stick", PhysicalObject), ("paperwork", PhysicalObject), ("notebook", PhysicalObject),
        ("envelope", PhysicalObject), ("package", PhysicalObject), ("tapes", PhysicalObject), ("documents", PhysicalObject),
        ("bag", PhysicalObject), ("briefcase", PhysicalObject), ("phone", PhysicalObject), ("device", PhysicalObject),
        ("devices", PhysicalObject), ("hard drive", PhysicalObject), ("files", PhysicalObject), ("DVDs", PhysicalObject),
        ("lost", LossVerb), ("losing", LossVerb), ("loss", LossVerb), ("missing", LossVerb), ("stolen", StolenWord),
        ("retention policy", Retention), ("automatically", Retention), ("routinely", Retention), ("after a set period", Retention),
    ];
    Lex::new(&pairs, true)
});

/// Miscellaneous sentence cues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    Penalty,
    Apology,
    SelfReport,
    Breach,
    Exposure,
    Personnel,
    PolicePossessive,
    Investigator,
    Arrest,
    OtherAgency,
    SelfMarker,
    NotInvolved,
    Generic,
    StatsNoun,
    Supplier,
    Litigation,
    Compensation,
    Reprimand,
    Enforcement,
    Charge,
    Revised,
    Hypothetical,
    Affected,
    Comparison,
    Recipient,
    AreaWord,
    EmailCtx,
    Advice,
    Officers,
    FineWord,
}

pub static CUES: LazyLock<Lex<Cue>> = LazyLock::new(|| {
    use Cue::*;
    let pairs: Vec<(&str, Cue)> = vec![
        ("fined", Penalty), ("fine of", Penalty), ("monetary penalty", Penalty), ("penalty notice", Penalty),
        ("fantastic of", Penalty), ("penalty of", Penalty), ("been fined", Penalty), ("reprimand", Reprimand),
        ("reprimanded", Reprimand), ("reprimands", Reprimand), ("enforcement notice", Enforcement),
        ("apologised", Apology), ("apologized", Apology), ("apologises", Apology), ("apologizes", Apology),
        ("apology", Apology), ("deeply sorry", Apology), ("very sorry", Apology), ("we are sorry", Apology),
        ("referred itself", SelfReport), ("reported itself", SelfReport), ("self-referred", SelfReport),
        ("reports itself", SelfReport), ("refers itself", SelfReport), ("has admitted", SelfReport), ("admitted", SelfReport),
        ("admission", SelfReport), ("has confirmed", SelfReport), ("confirmed that its", SelfReport),
        ("breach", Breach), ("breaches", Breach), ("data breach", Breach), ("leak", Breach), ("leaked", Exposure),
        ("leaks", Breach), ("hack", Breach), ("hacked", Exposure), ("ransomware", Breach), ("cyber attack", Breach),
        ("cyber-attack", Breach), ("cyberattack", Breach), ("unauthorised access", Breach), ("unauthorized access", Breach),
        ("information breach", Breach), ("seashore", Breach), ("security breach", Breach), ("data incident", Breach),
        ("exposed", Exposure), ("stolen", Exposure), ("taken", Exposure), ("accessed", Exposure), ("published", Exposure),
        ("released", Exposure), ("disclosed", Exposure), ("revealed", Exposure), ("deleted", Exposure), ("lost", Exposure),
        ("wiped", Exposure), ("compromised", Exposure), ("posted", Exposure), ("uploaded", Exposure), ("dumped", Exposure),
        ("dumps", Exposure), ("at risk", Exposure), ("caught up", Exposure), ("in the wrong hands", Exposure),
        ("in criminal hands", Exposure), ("recorded", Exposure), ("obtained", Exposure), ("downloaded", Exposure),
        ("shared", Exposure), ("handed", Exposure), ("passed", Exposure), ("losing", Exposure), ("deletion", Exposure),
        ("unavailable", Exposure), ("missing", Exposure), ("disappeared", Exposure), ("sent", Exposure), ("emailed", Exposure),
        ("mishandling", Exposure), ("wrongly", Exposure), ("in error", Exposure), ("by mistake", Exposure), ("mistakenly", Exposure),
        ("officers and staff", Personnel), ("officers and workers", Personnel), ("officers and help workers", Personnel),
        ("officers and employees", Personnel), ("police officers", Personnel), ("its officers", Personnel), ("its staff", Personnel),
        ("its workforce", Personnel), ("entire workforce", Personnel), ("its personnel", Personnel), ("every officer", Personnel),
        ("officers' ", Personnel), ("officers’", Personnel), ("police staff", Personnel), ("its employees", Personnel),
        ("serving members", Personnel), ("its members", Personnel), ("officers, trainees", Personnel), ("officers, recruits", Personnel),
        ("its own workforce", Personnel), ("personnel files", Personnel), ("personnel records", Personnel), ("officers and civilian staff", Personnel),
        ("member of staff", Personnel), ("officers", Officers), ("staff", Officers), ("workforce", Officers),
        ("officer", Officers), ("employees", Officers), ("personnel", Officers), ("arrest records", Affected), ("fine", FineWord),
        ("fines", FineWord), ("charge", Arrest), ("charges", Arrest), ("rank-and-file", Affected),
        ("its systems", PolicePossessive), ("its system", PolicePossessive), ("its network", PolicePossessive), ("its server", PolicePossessive),
        ("its servers", PolicePossessive),
        ("the force's", PolicePossessive), ("the power's", PolicePossessive), ("the department's", PolicePossessive),
        ("the service's", PolicePossessive), ("the constabulary's", PolicePossessive), ("police data", PolicePossessive),
        ("police files", PolicePossessive), ("police records", PolicePossessive), ("police evidence", PolicePossessive),
        ("police archives", PolicePossessive), ("police systems", PolicePossessive), ("police database", PolicePossessive),
        ("its files", PolicePossessive), ("its data", PolicePossessive), ("its website", PolicePossessive),
        ("its own website", PolicePossessive), ("its public website", PolicePossessive), ("its information", PolicePossessive),
        ("police identity cards", PolicePossessive), ("warrant cards", PolicePossessive), ("ID badges", PolicePossessive),
        ("police data breach", PolicePossessive), ("its database", PolicePossessive), ("its computer", PolicePossessive),
        ("police personnel", PolicePossessive), ("police officers'", PolicePossessive), ("police pay", PolicePossessive),
        ("investigating", Investigator), ("investigate", Investigator), ("investigation into", Investigator),
        ("inquiries into", Investigator), ("probe into", Investigator), ("investigating after", Investigator),
        ("are investigating", Investigator), ("is investigating", Investigator), ("made enquiries", Investigator),
        ("arrested", Arrest), ("detained", Arrest), ("charged", Arrest), ("on suspicion", Arrest), ("arrest", Arrest),
        ("held on suspicion", Arrest), ("raided", Arrest), ("cybercrime squad", Arrest), ("Cyber Crime Unit", Arrest),
        ("National Crime Agency", OtherAgency), ("NCA", OtherAgency), ("FBI", OtherAgency), ("Information Commissioner", OtherAgency),
        ("ICO", OtherAgency), ("regulator", OtherAgency), ("watchdog", OtherAgency), ("Action Fraud", OtherAgency),
        ("its own", SelfMarker), ("internal investigation", SelfMarker), ("how the data", SelfMarker), ("how its", SelfMarker),
        ("not involved", NotInvolved), ("no police systems", NotInvolved), ("no police records", NotInvolved),
        ("no police data", NotInvolved), ("not been referred to the police", NotInvolved), ("not referred to the police", NotInvolved),
        ("not a police matter", NotInvolved), ("not responsible", NotInvolved), ("sent by the council", NotInvolved),
        ("no police involvement", NotInvolved), ("police were not", NotInvolved),
        ("range from", Generic), ("ranged from", Generic), ("typically", Generic), ("most common", Generic),
        ("commonly", Generic), ("one of the most common", Generic), ("kinds of", Generic), ("types of", Generic),
        ("data breaches", StatsNoun), ("breaches since", StatsNoun), ("incidents since", StatsNoun), ("breaches over", StatsNoun),
        ("breaches in three years", StatsNoun), ("breaches in the past", StatsNoun), ("figures obtained", StatsNoun),
        ("figures released", StatsNoun), ("figures show", StatsNoun), ("according to figures", StatsNoun),
        ("supplier", Supplier), ("suppliers", Supplier), ("contractor", Supplier), ("contractors", Supplier),
        ("third-party", Supplier), ("third party", Supplier), ("vendor", Supplier), ("outsourced", Supplier),
        ("company that makes", Supplier), ("company that produces", Supplier), ("firm that makes", Supplier),
        ("company which makes", Supplier), ("outside supplier", Supplier), ("provider", Supplier), ("badge maker", Supplier),
        ("ID card printer", Supplier), ("data processor", Supplier), ("organization that makes", Supplier),
        ("organisation that makes", Supplier), ("outside company", Supplier), ("IT firm", Supplier), ("software company", Supplier),
        ("group action", Litigation), ("class action", Litigation), ("legal action", Litigation), ("lawsuit", Litigation),
        ("to sue", Litigation), ("suing", Litigation), ("sue", Litigation), ("claimants", Litigation), ("legal proceedings", Litigation),
        ("began legal action", Litigation), ("High Court", Litigation), ("accepted liability", Litigation),
        ("compensation", Compensation), ("damages", Compensation), ("payout", Compensation), ("pay-out", Compensation),
        ("charged with", Charge), ("now put the number", Revised), ("revised", Revised), ("later found", Revised),
        ("taking the total to", Revised), ("the figure grew", Revised), ("put the figure", Revised), ("has risen to", Revised),
        ("could have faced", Hypothetical), ("would have been", Hypothetical), ("could each have been", Hypothetical),
        ("could have been fined", Hypothetical), ("might have faced", Hypothetical), ("had it not", Hypothetical),
        ("up to £", Hypothetical), ("could face", Hypothetical), ("may face", Hypothetical), ("intended to impose", Hypothetical),
        ("notice of intent", Hypothetical), ("would have faced", Hypothetical),
        ("affected", Affected), ("impacted", Affected), ("involved", Affected), ("concerned", Affected), ("warned", Affected),
        ("notified", Affected), ("told", Affected), ("contacted", Affected), ("written to", Affected), ("details", Affected),
        ("information", Affected), ("data", Affected), ("personal", Affected), ("particulars", Affected), ("names", Affected),
        ("covered", Affected), ("listed", Affected), ("identifying", Affected), ("named", Affected), ("files of", Affected),
        ("included", Affected), ("contained", Affected), ("held", Affected), ("exposing", Affected), ("disclosed", Affected),
        ("recorded", Affected), ("captured", Affected), ("deleted", Affected), ("lost", Affected), ("stolen", Affected),
        ("leaked", Affected), ("exposed", Affected), ("published", Affected), ("released", Affected), ("recipients", Affected),
        ("far larger", Comparison), ("far bigger", Comparison), ("much larger", Comparison), ("much bigger", Comparison),
        ("same week as", Comparison), ("not the only", Comparison), ("similar", Comparison), ("days after", Comparison),
        ("posted to", Recipient), ("sent to", Recipient), ("meant for", Recipient), ("intended for", Recipient),
        ("destined for", Recipient), ("passed to", Recipient), ("handed to", Recipient), ("delivered to", Recipient),
        ("force area", AreaWord), ("police area", AreaWord), ("policing area", AreaWord),
        ("email", EmailCtx), ("e-mail", EmailCtx), ("emailed", EmailCtx), ("BCC", EmailCtx), ("inbox", EmailCtx),
        ("\"To\"", EmailCtx), ("CC", EmailCtx), ("recipients", EmailCtx), ("message", EmailCtx),
        ("no further action", Advice),
    ];
    Lex::new(&pairs, true)
});
