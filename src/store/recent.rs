//! Articles newest first (`art/` read backwards), for the review queue's look at what was
//! lately turned down: its cost is the number read, not the number stored.

use crate::model::Article;

use super::encoding::from_json;
use super::view::{prefix_end, Order};
use super::{keys, Store, StoreError};

impl Store {
    /// Every stored article, the most recently stored first.
    pub fn articles_newest_first(&self) -> impl Iterator<Item = Result<Article, StoreError>> + '_ {
        let end = prefix_end(keys::ARTICLE);
        self.raw_range(keys::ARTICLE, end.as_deref(), Order::Reverse)
            .map(|r| {
                let (k, v) = r?;
                from_json(&k, &v)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::keyed_article;
    use super::super::WriteSet;
    use super::*;

    #[test]
    fn articles_come_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for key in ["a", "b", "c"] {
            let mut w = WriteSet::new();
            w.put_article(&keyed_article(key), store.next_seq().unwrap());
            store.apply(w).unwrap();
        }
        let keys: Vec<String> = store
            .articles_newest_first()
            .map(|a| a.unwrap().key)
            .collect();
        assert_eq!(keys, ["c", "b", "a"]);
    }
}
