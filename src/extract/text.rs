//! Sentence splitting with byte offsets into the document.

/// One sentence of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the sentence's first character in the document.
    pub start: usize,
    /// Byte offset just past the sentence.
    pub end: usize,
    /// Index of the paragraph (non-blank line) holding it.
    pub paragraph: usize,
    /// The sentence is (part of) the title.
    pub is_title: bool,
}

const ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "no", "co", "inc", "ltd", "jr", "sr", "vs", "etc", "gov", "lt",
    "col", "sgt", "insp", "supt", "det", "con", "cllr", "prof", "rev", "gen", "capt", "cpl", "ch",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "dept", "fig", "est", "u.s", "d.c", "e.g", "i.e", "a.m", "p.m",
];

/// Whether the word before a period is an abbreviation, an initial or a dotted acronym.
fn is_abbrev(before: &str) -> bool {
    // last word before the period
    let w: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if w.is_empty() {
        return false;
    }
    let lw = w.to_lowercase();
    if ABBREVS.contains(&lw.as_str()) {
        return true;
    }
    // single initial ("J. Smith") or dotted acronym ("U.S.")
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        return true;
    }
    w.contains('.')
}

/// Split `doc` into sentences. The title (everything before the first "\n\n") is one sentence.
pub fn split(doc: &str, title_len: usize) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0usize;
    let mut pos = 0usize;
    for text in doc.split('\n') {
        let start = pos;
        pos += text.len() + 1;
        if text.trim().is_empty() {
            continue;
        }
        let line = Line {
            doc,
            start,
            text,
            paragraph,
            is_title: start < title_len,
        };
        line.split_into(&mut out);
        paragraph += 1;
    }
    out
}

/// One non-blank line of the document: a paragraph.
struct Line<'a> {
    doc: &'a str,
    /// Byte offset of the line in the document.
    start: usize,
    text: &'a str,
    paragraph: usize,
    is_title: bool,
}

impl Line<'_> {
    /// Pushes the sentence at line bytes `s..e`, trimmed, unless it is blank.
    fn push(&self, s: usize, e: usize, out: &mut Vec<Sentence>) {
        let (s, e) = (self.start + s, self.start + e);
        let seg = &self.doc[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        let (s2, e2) = (s + lead, e - trail);
        if e2 > s2 {
            out.push(Sentence {
                start: s2,
                end: e2,
                paragraph: self.paragraph,
                is_title: self.is_title,
            });
        }
    }

    /// Splits the line at sentence ends: '.', '!' or '?' (and closing quotes) before a space
    /// and a capital, a digit or an opening quote, except after an abbreviation.
    fn split_into(&self, out: &mut Vec<Sentence>) {
        let line = self.text;
        let bytes = line.as_bytes();
        let mut seg_start = 0usize;
        let mut i = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'.' || b == b'!' || b == b'?' {
                // skip closing quotes/brackets
                let mut j = i + 1;
                while j < bytes.len() {
                    let rest = &line[j..];
                    if rest.starts_with('"') || rest.starts_with('\'') || rest.starts_with(')') {
                        j += 1;
                    } else if rest.starts_with('”') || rest.starts_with('’') {
                        j += '”'.len_utf8();
                    } else {
                        break;
                    }
                }
                if j < bytes.len() && bytes[j] == b' ' {
                    // next non-space char
                    let mut k = j;
                    while k < bytes.len() && bytes[k] == b' ' {
                        k += 1;
                    }
                    let next = line[k..].chars().next();
                    let starts_new = match next {
                        Some(c) => {
                            c.is_uppercase()
                                || c.is_ascii_digit()
                                || c == '"'
                                || c == '“'
                                || c == '‘'
                                || c == '\''
                        }
                        None => false,
                    };
                    if starts_new && !(b == b'.' && is_abbrev(&line[seg_start..i])) {
                        self.push(seg_start, j, out);
                        seg_start = k;
                        i = k;
                        continue;
                    }
                }
            }
            i += 1;
        }
        if seg_start < line.len() {
            self.push(seg_start, line.len(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        let doc = "Title here\n\nMr. Smith said it. The force (PSNI) agreed! Was it 9.5 m? Yes.\nNew para.";
        let s = split(doc, 10);
        let texts: Vec<&str> = s.iter().map(|x| &doc[x.start..x.end]).collect();
        assert_eq!(
            texts,
            vec![
                "Title here",
                "Mr. Smith said it.",
                "The force (PSNI) agreed!",
                "Was it 9.5 m?",
                "Yes.",
                "New para."
            ]
        );
        assert!(s[0].is_title);
        assert!(!s[1].is_title);
        assert_eq!(s[5].paragraph, 2);
    }

    #[test]
    fn handles_quotes_and_initials() {
        let doc = "T\n\nHe said: “It was wrong.” The ICO agreed. J. Edwards spoke. Washington, D.C. police said.";
        let s = split(doc, 1);
        let texts: Vec<&str> = s.iter().map(|x| &doc[x.start..x.end]).collect();
        assert_eq!(texts[1], "He said: “It was wrong.”");
        assert_eq!(texts[2], "The ICO agreed.");
        assert_eq!(texts[3], "J. Edwards spoke.");
    }
}
