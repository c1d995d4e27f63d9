//! Numbers written in words: "two thousand", "a million", "two hundred and fifty".

use super::vocabulary::{MULTIPLIER_WORDS, NUMBER_WORDS, SMALL_COUNT_NOUNS, STOP_WORDS};

/// The value of a number word ("seven" -> 7).
fn word_value(w: &str) -> Option<u64> {
    if w.len() > 9 {
        return None;
    }
    NUMBER_WORDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(w))
        .map(|(_, v)| *v)
}

/// The value of a multiplier word ("thousand" -> 1,000).
fn multiplier_value(w: &str) -> Option<u64> {
    if w.len() > 8 {
        return None;
    }
    MULTIPLIER_WORDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(w))
        .map(|(_, v)| *v)
}

/// Numbers written in words ("two hundred and fifty"): (start, end, value) relative to `s`.
/// Small ones ("two forces") count only before a people or record noun.
pub fn spelled_numbers(s: &str) -> Vec<(usize, usize, u64)> {
    let mut out = Vec::new();
    let mut toks: Vec<(usize, usize, &str)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if c.is_alphabetic() {
            let st = i;
            while i < s.len() && s[i..].chars().next().is_some_and(|c| c.is_alphabetic()) {
                i += s[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
            }
            toks.push((st, i, &s[st..i]));
        } else {
            i += c.len_utf8();
        }
    }
    let mut k = 0;
    while k < toks.len() {
        let w = toks[k].2;
        let starts = word_value(w).is_some()
            || ((w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("half"))
                && toks
                    .get(k + 1)
                    .is_some_and(|t| multiplier_value(t.2).is_some()));
        if !starts {
            k += 1;
            continue;
        }
        let st = toks[k].0;
        let mut total: u64 = 0;
        let mut cur: u64 = 0;
        let mut had_mult = false;
        let mut end = toks[k].1;
        let mut j = k;
        while j < toks.len() {
            let t = toks[j].2;
            // tokens must be adjacent (space/hyphen separated)
            if j > k {
                let gap = &s[toks[j - 1].1..toks[j].0];
                if !(gap == " " || gap == "-") {
                    break;
                }
            }
            if let Some(v) = word_value(t) {
                cur += v;
            } else if t.eq_ignore_ascii_case("a") && j == k {
                cur = 1;
            } else if t.eq_ignore_ascii_case("half") && j == k {
                cur = 0;
                total += 0;
            } else if let Some(m) = multiplier_value(t) {
                had_mult = true;
                if m == 100 {
                    cur = cur.max(1) * 100;
                } else {
                    total += cur.max(1) * m;
                    cur = 0;
                }
            } else if t.eq_ignore_ascii_case("and")
                && j > k
                && had_mult
                && toks
                    .get(j + 1)
                    .is_some_and(|x| word_value(x.2).is_some_and(|v| v < 100))
                && !toks.get(j + 2).is_some_and(|x| {
                    multiplier_value(x.2).is_some() && s[toks[j + 1].1..x.0] == *" "
                })
            {
                // "two hundred and fifty"
            } else {
                break;
            }
            end = toks[j].1;
            j += 1;
        }
        let v = total + cur;
        // Small numbers ("two forces", "three years") count only before a people or record noun.
        // One describing word may come between ("eight sex offenders", "five serving
        // officers").
        let small_ok = v >= 2 && {
            let mut words = s[end..]
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase);
            let first = words.next().unwrap_or_default();
            SMALL_COUNT_NOUNS.contains(&first.as_str())
                || (!STOP_WORDS.contains(&first.as_str())
                    && words
                        .next()
                        .is_some_and(|w| SMALL_COUNT_NOUNS.contains(&w.as_str())))
        };
        if v > 0 && (had_mult || v >= 10 || small_ok) {
            out.push((st, end, v));
        }
        k = j.max(k + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_numbers_parse() {
        let w = spelled_numbers(
            "more than two thousand and ten thousand and a million and two hundred and fifty",
        );
        let v: Vec<u64> = w.iter().map(|x| x.2).collect();
        assert_eq!(v, vec![2_000, 10_000, 1_000_000, 250]);
    }
}
