//! Sums of money: "£750,000", "$4 million", "EUR 5.6m".

use std::sync::LazyLock;

use regex::Regex;

use super::multiplier_of_suffix;

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(US\$|£|\$|€|GBP\s?|USD\s?|EUR\s?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?(?:k|m|bn|million|billion|thousand)(?-u:\b))?").unwrap()
});

/// A sum of money stated in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// The amount in minor units (pence, cents).
    pub minor_units: u64,
    /// `GBP`, `EUR` or `USD`.
    pub currency: &'static str,
    /// Byte offset of the amount in the sentence.
    pub start: usize,
    /// Byte offset just past the amount in the sentence.
    pub end: usize,
}

/// Sums of money in a sentence, in order.
pub fn money_in(s: &str) -> Vec<Money> {
    let mut out = Vec::new();
    for c in MONEY.captures_iter(s) {
        let m = c.get(0).unwrap();
        let symbol = c.get(1).unwrap().as_str().trim().to_ascii_uppercase();
        let currency = match symbol.as_str() {
            "£" | "GBP" => "GBP",
            "€" | "EUR" => "EUR",
            _ => "USD",
        };
        let value: f64 = c
            .get(2)
            .unwrap()
            .as_str()
            .replace(',', "")
            .parse()
            .unwrap_or(0.0);
        let multiplier = c
            .get(3)
            .map(|x| multiplier_of_suffix(x.as_str()))
            .unwrap_or(1.0);
        out.push(Money {
            minor_units: (value * multiplier * 100.0).round() as u64,
            currency,
            start: m.start(),
            end: m.end(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_three_currencies_and_forms() {
        let m = money_in("fined £750,000, or £5.6m, and $4 million");
        let v: Vec<(u64, &str)> = m.iter().map(|x| (x.minor_units, x.currency)).collect();
        assert_eq!(
            v,
            vec![
                (75_000_000, "GBP"),
                (560_000_000, "GBP"),
                (400_000_000, "USD")
            ]
        );
    }
}
