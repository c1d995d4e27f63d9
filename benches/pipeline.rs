//! Criterion benchmarks: extraction of one typical article, and a trends query over a store.
//! Run with `cargo bench --bench pipeline`.

use std::hint::black_box;

use breachwatch::extract::{extract, ArticleInput};
use criterion::{criterion_group, criterion_main, Criterion};

const ARTICLE: &str = "Kent Police has apologised after a spreadsheet containing the names, ranks and email addresses of 342 officers was emailed to the wrong recipients.\n\
The force said the email, about a training programme, was sent to an external distribution list in error on Friday. It did not include home addresses or phone numbers, a spokesperson said.\n\
The force has referred itself to the Information Commissioner's Office and asked recipients to delete the message. Officers were advised to remain vigilant and report anything suspicious.\n\
Kent Police Federation said members were \"understandably concerned\" and called for a review of how personal information is shared. A review of supplier contracts has been ordered by the chief constable.\n\
It follows a breach at the Police Service of Northern Ireland, where the details of around 10,000 officers and staff were published in error in response to a Freedom of Information request, and the loss of body-worn video footage at South Yorkshire Police.\n\
Campaigners said safeguards should have been in place long before now, and the Information Commissioner's Office said it would make enquiries. The incident is the latest in a series affecting public bodies.\n\
A spokesperson for the force said: \"We take the security of personal information extremely seriously and we are sorry that this happened. We have contacted every officer affected and put additional checks in place before any email is sent outside the organisation.\"\n\
The Police Federation said it would support members who were worried about their details being shared, and urged the force to publish the findings of its internal review once it is complete.";

fn bench_extract(c: &mut Criterion) {
    assert!(ARTICLE.len() > 1500 && ARTICLE.len() < 2500);
    let input = ArticleInput {
        url: "https://news.example/kent",
        title: "Kent Police apologises after officers' details emailed to wrong people",
        text: ARTICLE,
        source: "Example News",
        published: None,
    };
    assert!(extract(&input).relevant);
    c.bench_function("extract_2kb_article", |b| b.iter(|| extract(black_box(&input))));
}

criterion_group!(benches, bench_extract);
criterion_main!(benches);
