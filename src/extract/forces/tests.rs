//! The mention finder on whole sentences: UK forces, bodies outside the UK, departments the
//! gazetteer does not know, homonyms and agencies.

use std::collections::BTreeSet;

use super::find_mentions;

/// The ids of each mention in `text`, in document order.
fn ids_per_mention(text: &str) -> Vec<Vec<String>> {
    find_mentions(text)
        .into_iter()
        .map(|m| m.ids.into_iter().collect())
        .collect()
}

/// Every id mentioned in `text`.
fn mentioned_ids(text: &str) -> BTreeSet<String> {
    find_mentions(text)
        .into_iter()
        .flat_map(|m| m.ids)
        .collect()
}

fn id_set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn uk_force_table() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Officers of the Metropolitan Police were told.",
            &["metropolitan"],
        ),
        (
            "Scotland Yard said the police officers were safe.",
            &["metropolitan"],
        ),
        ("The Met said its officers were warned.", &["metropolitan"]),
        ("MPs criticised the police over the breach.", &[]),
        (
            "The MPS said its police officers were affected.",
            &["metropolitan"],
        ),
        (
            "South Wales Police said officers were affected.",
            &["south-wales"],
        ),
        (
            "New South Wales Police said officers charged a man.",
            &["au-new-south-wales-police-force"],
        ),
        (
            "Heddlu De Cymru said police data was exposed.",
            &["south-wales"],
        ),
        (
            "Heddlu Gogledd Cymru apologised to officers.",
            &["north-wales"],
        ),
        (
            "Avon and Somerset Police apologised.",
            &["avon-and-somerset"],
        ),
        (
            "Devon and Cornwall Police apologised.",
            &["devon-and-cornwall"],
        ),
        (
            "Norfolk and Suffolk police released data.",
            &["norfolk", "suffolk"],
        ),
        (
            "Norfolk and Suffolk Constabularies statement",
            &["norfolk", "suffolk"],
        ),
        (
            "The two East Anglian constabularies share a department.",
            &["norfolk", "suffolk"],
        ),
        (
            "Surrey and Sussex police were reprimanded.",
            &["surrey", "sussex"],
        ),
        (
            "Larger Manchester Police officers were hit.",
            &["greater-manchester"],
        ),
        (
            "The UK's third largest police force covers ten boroughs.",
            &["greater-manchester"],
        ),
        (
            "The UK’s third largest police power covers ten boroughs.",
            &["greater-manchester"],
        ),
        (
            "Britain's largest force was keen to stress the police view.",
            &["metropolitan"],
        ),
        (
            "Northern Ireland's police service is now working on it.",
            &["northern-ireland"],
        ),
        (
            "Scotland's national force fined after breach by police.",
            &["police-scotland"],
        ),
        (
            "The PSNI said officers were at risk.",
            &["northern-ireland"],
        ),
        (
            "Cumbria's police, fire and crime commissioner said.",
            &["cumbria"],
        ),
        ("Cumbrian cops accidentally publish pay.", &["cumbria"]),
        (
            "The Royal Ulster Constabulary files were lost by police.",
            &["northern-ireland"],
        ),
        (
            "Strathclyde Police records were lost.",
            &["police-scotland"],
        ),
        (
            "British Transport Police said officers' data leaked.",
            &["btp"],
        ),
        (
            "Beds, Cambs and Herts police share a privacy notice.",
            &["bedfordshire", "cambridgeshire", "hertfordshire"],
        ),
        (
            "The Metropolitan Police Federation said police officers were furious.",
            &[],
        ),
        (
            "The Greater Manchester Police Federation chair spoke for police.",
            &[],
        ),
        (
            "The Scottish Police Federation contacted her about police data.",
            &[],
        ),
        (
            "Dyfed-Powys Police said its officers were fine.",
            &["dyfed-powys"],
        ),
        ("the DPP said police had charged him", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(mentioned_ids(text), id_set(want), "text: {text}");
    }
}

#[test]
fn us_and_other() {
    let cases: &[(&str, &[&str])] = &[
        (
            "The Dallas Police Department said files were deleted.",
            &["us-dallas-police-department"],
        ),
        (
            "The LAPD said officers were affected.",
            &["us-los-angeles-police-department"],
        ),
        (
            "The Los Angeles Police Department said data was taken.",
            &["us-los-angeles-police-department"],
        ),
        (
            "The Metropolitan Police Department in Washington, DC confirmed access.",
            &["us-dc-metropolitan-police-department"],
        ),
        (
            "Washington's Metropolitan Police Department was hit.",
            &["us-dc-metropolitan-police-department"],
        ),
        (
            "Suffolk County police on Long Island said the FBI helped.",
            &["us-suffolk-county-police-department"],
        ),
        (
            "The Las Vegas Metropolitan Police Department said.",
            &["us-las-vegas-metropolitan-police-department"],
        ),
        (
            "Cook County Sheriff's Office said records leaked.",
            &["us-cook-county-sheriffs-office"],
        ),
        (
            "The Los Angeles Police Protective League said officers were angry.",
            &[],
        ),
        (
            "Victoria Police said the data of officers leaked.",
            &["au-victoria-police"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(mentioned_ids(text), id_set(want), "text: {text}");
    }
}

#[test]
fn separate_mentions_kept_apart() {
    let v = ids_per_mention("Humberside Police lost disks meant for Cleveland Police.");
    assert_eq!(v.len(), 2);
}

#[test]
fn world_bodies_by_name_alias_and_place() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Detectives of the Phoenix Police Department said records leaked.",
            &["us-phoenix-police-department"],
        ),
        (
            "Phoenix police said the officers' files were copied.",
            &["us-phoenix-police-department"],
        ),
        (
            "A Phoenix PD spokesperson said officers were told.",
            &["us-phoenix-police-department"],
        ),
        (
            "The NYPD said the officers' names were posted.",
            &["us-new-york-city-police-department"],
        ),
        (
            "The New York Police Department said officers were told.",
            &["us-new-york-city-police-department"],
        ),
        (
            "Deputies of the Maricopa County Sheriff's Office were named in the files.",
            &["us-maricopa-county-sheriffs-office"],
        ),
        (
            "Harris County Sheriff Jane Roe said deputies' data leaked.",
            &["us-harris-county-sheriffs-office"],
        ),
        (
            "The LASD said deputies and other officers were warned.",
            &["us-los-angeles-county-sheriffs-department"],
        ),
        (
            "The Los Angeles County Sheriff's Office told deputies and officers.",
            &["us-los-angeles-county-sheriffs-department"],
        ),
        (
            "Officers of the Sûreté du Québec were affected.",
            &["ca-surete-du-quebec"],
        ),
        (
            "The OPP said officers' records were exposed.",
            &["ca-ontario-provincial-police"],
        ),
        (
            "The Toronto Police Department said officers were told.",
            &["ca-toronto-police-service"],
        ),
        (
            "An Garda Síochána said officers' data was exposed.",
            &["ie-an-garda-siochana"],
        ),
        (
            "A Garda spokesman said officers were told.",
            &["ie-an-garda-siochana"],
        ),
        (
            "The Politie said officers' names were leaked.",
            &["nl-national-police"],
        ),
        (
            "The Guardia Civil said its officers' files were copied.",
            &["es-civil-guard"],
        ),
        (
            "Queensland Police said officers were affected.",
            &["au-queensland-police-service"],
        ),
        (
            "The Australian Federal Police said officers' data leaked.",
            &["au-australian-federal-police"],
        ),
        (
            "The national police force of the country said officers were told.",
            &[],
        ),
        ("Federal Police officers in the capital were told.", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(mentioned_ids(text), id_set(want), "text: {text}");
    }
}

#[test]
fn one_department_name_gives_one_id() {
    // a department the gazetteer does not know
    for text in [
        "The Greenvale Police Department said officers' files leaked.",
        "Officers of the Greenvale police department were told.",
        "A Greenvale PD spokesperson said officers were told.",
        "Greenvale's police department said officers were told.",
        "Ransomware Gang Hits Greenvale Police Department\n\nThe Greenvale Police Department said officers were told.",
    ] {
        assert_eq!(
            mentioned_ids(text),
            id_set(&["us-greenvale-police-department"]),
            "text: {text}"
        );
    }
    // named with and without its city
    assert_eq!(
        mentioned_ids("The Greenvale Metropolitan Police Department said officers were affected. The Metropolitan Police Department later apologised."),
        id_set(&["us-greenvale-metropolitan-police-department"])
    );
    assert_eq!(
        mentioned_ids("The Greenvale County Sheriff's Office said deputies were told. Greenvale County Sheriff John Doe apologised to officers."),
        id_set(&["us-greenvale-county-sheriffs-office"])
    );
    // a known department behind a headline's capitalised words
    assert_eq!(
        mentioned_ids("Hackers Leak Files Of Dallas Police Department Officers\n\nThe department said officers were told."),
        id_set(&["us-dallas-police-department"])
    );
    // a different city whose name ends like a known one stays itself
    assert_eq!(
        mentioned_ids("The North Miami Police Department said officers were told."),
        id_set(&["us-north-miami-police-department"])
    );
    // a police union is not the department
    assert_eq!(
        mentioned_ids(
            "The Greenvale Police Department Benevolent Association said officers were angry."
        ),
        id_set(&[])
    );
}

#[test]
fn county_and_city_departments_kept_apart() {
    let cases: &[(&str, &[&str])] = &[
        (
            "The Suffolk County Police Department in New York said officers were told.",
            &["us-suffolk-county-police-department"],
        ),
        (
            "Suffolk County police said officers were told.",
            &["us-suffolk-county-police-department"],
        ),
        (
            "Suffolk Police said officers' data was lost.",
            &["suffolk"],
        ),
        (
            "The Nassau County PD said officers were told.",
            &["us-nassau-county-police-department"],
        ),
        (
            "The Dallas County Sheriff's Office and the Dallas Police Department said officers were told.",
            &[
                "us-dallas-county-sheriffs-office",
                "us-dallas-police-department",
            ],
        ),
        (
            "The Miami-Dade Police Department said officers were told.",
            &["us-miami-dade-police-department"],
        ),
        (
            "Miami police said officers were told.",
            &["us-miami-police-department"],
        ),
        (
            "The Baltimore County Police Department said officers were told.",
            &["us-baltimore-county-police-department"],
        ),
        (
            "Baltimore police said officers were told.",
            &["us-baltimore-police-department"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(mentioned_ids(text), id_set(want), "text: {text}");
    }
}

#[test]
fn metropolitan_and_mpd_homonyms() {
    let cases: &[(&str, &[&str])] = &[
        (
            "The Metropolitan Police Department in Washington, DC said officers were told.",
            &["us-dc-metropolitan-police-department"],
        ),
        (
            "The MPD in Washington, D.C. said officers were told.",
            &["us-dc-metropolitan-police-department"],
        ),
        (
            "In Minneapolis, the MPD said officers were told.",
            &["us-minneapolis-police-department"],
        ),
        (
            "The Memphis Police Department said officers were told; MPD staff were warned.",
            &["us-memphis-police-department"],
        ),
        // no place to pick one of the several MPDs
        ("The MPD said officers were told.", &[]),
        // London's Met
        (
            "The Metropolitan Police said officers' data was lost.",
            &["metropolitan"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(mentioned_ids(text), id_set(want), "text: {text}");
    }
}

#[test]
fn agencies_count_only_alone() {
    assert_eq!(
        mentioned_ids("The Fresno Police Department said the FBI was helping officers."),
        id_set(&["us-fresno-police-department"])
    );
    assert_eq!(
        mentioned_ids("The FBI said the personal data of agents and police officers was stolen."),
        id_set(&["us-federal-bureau-of-investigation"])
    );
    assert_eq!(
        mentioned_ids(
            "Europol said officers from several forces were told; Dutch police led the inquiry."
        ),
        id_set(&["nl-national-police"])
    );
}
