//! Hostile text in pages: markup, quotes and script URLs from articles, feeds, query
//! parameters and paths come out as inert text on every page.

use breachwatch::config::Config;
use breachwatch::model::{Development, DevelopmentKind, Evidence, Figure, Incident};

use super::{incident, put, seeded_store, source};
use crate::helpers::*;

/// Markup, both quote kinds and an ampersand, as an article or a feed could carry them.
const HOSTILE: &str = r#"<script>alert('x')</script> "q" & 'y' <img src=x onerror=alert(1)>"#;

/// `HOSTILE` as askama escapes it.
const HOSTILE_ESCAPED: &str = "&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#34;q&#34; &#38; &#39;y&#39; &#60;img src=x onerror=alert(1)&#62;";

/// Link targets that must never become links: scripts and data, also spelt the ways a
/// browser still reads as those schemes.
const SCRIPT_URLS: [&str; 4] = [
    "javascript:alert('src')",
    " JaVa\tScRiPt:alert(2)",
    "data:text/html,<script>alert(3)</script>",
    "vbscript:msgbox(4)",
];

/// An incident whose every piece of article text is hostile, with two forces (one with a
/// hostile id) and sources that link to scripts.
fn hostile_incident() -> Incident {
    let mut inc = incident(
        "kent-2024-02-hhhhhh",
        "kent",
        HOSTILE,
        "2024-02-01T09:00:00+00:00",
        "2024-02-03T09:00:00+00:00",
    );
    inc.forces.push(r#"x"><script>alert(5)</script>"#.into());
    inc.force_names = vec![format!("Kent {HOSTILE}"), format!("Other {HOSTILE}")];
    inc.supplier = Some(format!("Supplier {HOSTILE}"));
    for (i, url) in SCRIPT_URLS.iter().enumerate() {
        let mut s = source(
            url,
            &format!("Headline {i} {HOSTILE}"),
            "2024-02-02T09:00:00+00:00",
        );
        s.outlet = format!("Outlet {i} {HOSTILE}");
        inc.sources.push(s);
    }
    inc.timeline.push(Development {
        date: None,
        kind: DevelopmentKind::Fine,
        amount_minor: Some(100),
        currency: Some(HOSTILE.into()),
        url: SCRIPT_URLS[0].into(),
        sentence: format!("Timeline {HOSTILE}"),
    });
    inc.figures.push(Figure {
        url: SCRIPT_URLS[2].into(),
        sentence: format!("Figure {HOSTILE}"),
        ..inc.figures[0].clone()
    });
    inc.evidence.push(Evidence {
        field: HOSTILE.into(),
        value: HOSTILE.into(),
        url: SCRIPT_URLS[1].into(),
        sentence: format!("Evidence {HOSTILE}"),
    });
    inc.conflicts.push(format!("Conflict {HOSTILE}"));
    inc
}

/// Checks a rendered page holds nothing live from the data: no script or image element, no
/// event-handler attribute, every link http(s) or relative, the hostile text escaped in the
/// source and shown as it was written in the document.
fn assert_inert(body: &str, what: &str) {
    let doc = scraper::Html::parse_document(body);
    let all = scraper::Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        // The incident page's own correction script (a constant of the crate, no attributes)
        // is the one script allowed.
        let own_script = name == "script"
            && el.value().attrs().count() == 0
            && el.inner_html().contains("breachwatch-admin-token")
            && !el.inner_html().contains(HOSTILE);
        assert!(
            own_script || !matches!(name, "script" | "img" | "iframe" | "object" | "embed"),
            "{what}: a <{name}> element came through"
        );
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{what}: <{name} {attr}={value:?}> came through"
            );
            if attr == "href" || attr == "src" || attr == "action" {
                let v = value.trim_start().to_ascii_lowercase();
                assert!(
                    v.starts_with('/')
                        || v.starts_with("http://")
                        || v.starts_with("https://")
                        || (name == "link" && v == "data:,"),
                    "{what}: <{name} {attr}={value:?}> is not an http(s) or relative link"
                );
            }
        }
    }
    let own_script = usize::from(body.contains("breachwatch-admin-token"));
    assert!(
        body.matches("<script").count() == own_script,
        "{what}: raw <script in the source"
    );
    assert!(
        body.contains(HOSTILE_ESCAPED),
        "{what}: the hostile text is not escaped as expected"
    );
    let shown = doc.root_element().text().collect::<String>();
    let in_attrs = doc
        .select(&all)
        .any(|el| el.value().attrs().any(|(_, v)| v.contains(HOSTILE)));
    assert!(
        shown.contains(HOSTILE) || in_attrs,
        "{what}: the hostile text is not shown as written"
    );
}

/// The texts of every element matching `selector`.
fn texts(body: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

#[tokio::test]
async fn hostile_article_text_is_escaped_on_the_dashboard_and_incident_page() {
    let (_dir, store) = seeded_store();
    put(&store, &[hostile_incident()]);
    let app = spawn_app(store, Config::empty()).await;

    // The dashboard: the list, the filter menu and the charts carry titles and force names.
    let dash = get(app.addr, "/").await;
    assert_eq!(dash.status, 200);
    assert_inert(&dash.body, "dashboard");
    assert!(texts(&dash.body, "#incidents td.title a").contains(&HOSTILE.to_string()));
    let force_links = texts(&dash.body, "#incidents td a[href^='/?force=']");
    assert!(
        force_links.contains(&format!("Other {HOSTILE}")),
        "{force_links:?}"
    );
    assert!(dash
        .body
        .contains(r#"<a href="/?force=x%22%3E%3Cscript%3Ealert%285%29%3C%2Fscript%3E">"#));
    let options = texts(&dash.body, "select[name=force] option");
    assert!(options.contains(&format!("Other {HOSTILE}")), "{options:?}");
    let svg_text = texts(&dash.body, "#trends svg text, .grid3 svg text");
    assert!(
        svg_text.iter().any(|t| t.starts_with("Other <script>")),
        "the hostile force name is not shown in a chart: {svg_text:?}"
    );

    // The incident page: title, forces, supplier, sources, timeline, figures, evidence,
    // conflicts; script URLs shown as text.
    let page = get(app.addr, "/incidents/kent-2024-02-hhhhhh").await;
    assert_eq!(page.status, 200);
    assert_inert(&page.body, "incident page");
    assert_eq!(texts(&page.body, "h1"), [HOSTILE]);
    assert_eq!(
        texts(&page.body, "title"),
        [format!("{HOSTILE} · breachwatch")]
    );
    let sources = texts(&page.body, "#sources td");
    for i in 0..SCRIPT_URLS.len() {
        assert!(
            sources.contains(&format!("Headline {i} {HOSTILE}")),
            "headline {i} missing: {sources:?}"
        );
    }
    // Only the one https source is a link among the sources.
    let links: Vec<String> = {
        let doc = scraper::Html::parse_document(&page.body);
        let sel = scraper::Selector::parse("#sources a").unwrap();
        doc.select(&sel)
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(links, ["https://news.example/kent-2024-02-hhhhhh"]);
    for section in ["#timeline", "#figures", "#evidence", "#conflicts"] {
        let text = texts(&page.body, section).concat();
        assert!(
            text.contains(HOSTILE),
            "{section} does not show the text: {text}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hostile_query_parameters_and_paths_are_escaped_in_pages() {
    let (_dir, store) = seeded_store();
    let app = spawn_app(store, Config::empty()).await;

    // Filters are written back into the form.
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", HOSTILE)
        .append_pair(
            "until",
            &format!("2023\"><script>alert(6)</script>{HOSTILE}"),
        )
        .finish();
    let dash = get(app.addr, &format!("/?{query}")).await;
    assert_eq!(dash.status, 200);
    assert_inert(&dash.body, "dashboard with hostile filters");
    let doc = scraper::Html::parse_document(&dash.body);
    let value = |name: &str| {
        let sel = scraper::Selector::parse(&format!("input[name={name}]")).unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .map(str::to_string)
    };
    assert_eq!(value("q").as_deref(), Some(HOSTILE));
    assert_eq!(
        value("until"),
        Some(format!("2023\"><script>alert(6)</script>{HOSTILE}"))
    );

    // A filter that cannot be understood is named in the error line.
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("data_type", HOSTILE)
        .finish();
    let dash = get(app.addr, &format!("/?{query}")).await;
    assert_eq!(dash.status, 200);
    assert!(!dash.body.contains("<script"));
    let error = texts(&dash.body, "p.err");
    assert_eq!(error.len(), 1, "{error:?}");
    assert!(
        error[0].starts_with("unknown data type")
            && error[0].contains("<script>alert('x')</script>"),
        "{error:?}"
    );

    // A 404 names the id it could not find.
    let id: String = url::form_urlencoded::byte_serialize(HOSTILE.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let missing = get(app.addr, &format!("/incidents/{id}")).await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("text/html"));
    let doc = scraper::Html::parse_document(&missing.body);
    assert!(doc
        .select(&scraper::Selector::parse("script").unwrap())
        .next()
        .is_none());
    assert!(!missing.body.contains("<script"));
    assert!(texts(&missing.body, "section.card p")[0].contains("<script>alert('x')</script>"));
    app.stop().await;
}

#[tokio::test]
async fn hostile_source_names_and_errors_are_escaped_on_the_sources_page() {
    let (_dir, store) = temp_store();
    let config = Config::from_toml(&format!(
        "[[source]]\nid = \"alpha\"\nname = {name}\nkind = \"feed\"\nurl = \"https://alpha.example/feed.xml?a=1&b=2\"\n",
        name = toml::Value::String(HOSTILE.into()),
    ))
    .unwrap();
    let state = breachwatch::model::SourceState {
        consecutive_failures: 1,
        last_error: Some(format!("HTTP 500: {HOSTILE}")),
        ..Default::default()
    };
    store.put_source_state("alpha", &state).unwrap();
    let app = spawn_app(store, config).await;

    let page = get(app.addr, "/sources").await;

    assert_eq!(page.status, 200);
    assert_inert(&page.body, "sources page");
    assert_eq!(texts(&page.body, "#source-health strong"), [HOSTILE]);
    assert_eq!(
        texts(&page.body, "#source-health .err"),
        [format!("HTTP 500: {HOSTILE}")]
    );
    assert!(page.body.contains(
        r#"<a href="https://alpha.example/feed.xml?a=1&#38;b=2" rel="noopener noreferrer">"#
    ));
    app.stop().await;
}
