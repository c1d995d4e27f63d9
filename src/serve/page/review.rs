//! The review queue (`/review`): what most needs a person (see [`crate::query::review`]),
//! each with its reason, a link to the incident or the article, and the `explain` command.

use askama::Template;

use crate::model::Article;
use crate::query::review::{Rejected, ReviewItem};

use super::{filters, render_page, Link};

/// `article` as a [`Rejected`] when the extractor turns it down now (what `explain` would
/// say of it), for [`crate::query::review::collect`].
pub fn judge(article: &Article) -> Option<Rejected> {
    let e = crate::explain::explain_article(article, false);
    (!e.relevant).then(|| Rejected {
        url: article.url.clone(),
        title: article.title.clone(),
        text: article.text.clone(),
        published: e.published,
        reason: e.reason,
        rejected_by: e.rejected_by.map(str::to_string),
    })
}

/// The queue, for `templates/review.html`.
#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage<'a> {
    title: &'a str,
    active: &'a str,
    rows: Vec<Row<'a>>,
    recent: usize,
}

/// One item: the item, and the article's URL as a link where it may be one.
struct Row<'a> {
    item: &'a ReviewItem,
    article: Link,
    day: String,
}

/// The review queue page; `recent` is how many recent articles were looked at.
pub fn review_page(items: &[ReviewItem], recent: usize) -> String {
    render_page(&ReviewPage {
        title: "Review queue",
        active: "review",
        recent,
        rows: items
            .iter()
            .map(|item| Row {
                item,
                article: Link::new(&item.url, item.title.clone()),
                day: item
                    .published
                    .map(|p| p.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::review::{explain_command, Concern};

    #[test]
    fn items_show_their_reason_and_hostile_urls_are_not_links() {
        let item = ReviewItem {
            concern: Concern::NearMiss,
            incident: None,
            title: "<b>Police</b> hacked".into(),
            url: "javascript:alert(1)".into(),
            published: None,
            reason: "rejected (x), yet it says: \"<script>\"".into(),
            explain: explain_command("javascript:alert(1)"),
        };
        let page = review_page(&[item], 1000);
        assert!(page.contains("near miss"), "{page}");
        assert!(page.contains("&#60;script&#62;"), "escaped: {page}");
        assert!(!page.contains("href=\"javascript"));
        assert!(page.contains("breachwatch explain &#39;javascript:alert(1)&#39;"));
    }
}
