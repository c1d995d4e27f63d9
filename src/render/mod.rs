//! Terminal tables and CSV for the command line: incidents (`incident.rs`), trends
//! (`trend.rs`) and explanations (`explanation.rs`). Only `cli` uses it.
//!
//! Titles, outlets, URLs, sentences and force names come from articles on the web (or, for
//! `incidents`/`show` against a running service, from its JSON): they are untrusted. Every
//! piece of such text goes through [`terminal_text`] before it reaches a terminal, so an
//! article cannot move the cursor, retitle the window, hide text or reorder it with bidi
//! overrides. CSV cells go through [`crate::export::csv_text`] instead (formula injection).

mod explanation;
mod incident;
mod trend;

pub use explanation::explanation_table;
pub use incident::{incident_text, incidents_csv, incidents_table, sources_csv};
pub use trend::{trends_csv, trends_table};

/// `s` made safe to print on a terminal, as one line.
///
/// Removed: escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`, DCS/SOS/PM/APC
/// strings up to ST, and two-character `ESC x` sequences), their 8-bit C1 forms (U+009B CSI,
/// U+009D OSC, U+0090/U+0098/U+009E/U+009F strings), every other C0/C1 control and DEL,
/// and the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F,
/// U+202A–U+202E, U+2066–U+2069). Tabs, newlines, carriage returns, vertical tabs and form
/// feeds become one space per run; the result is trimmed.
pub fn terminal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // Whether the last character written stands for a line break or tab: spaces next to it
    // join it.
    let mut in_break = false;
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                in_break = true;
                continue;
            }
            ' ' if in_break => continue,
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // Other escape sequences (`ESC 7`, `ESC c`, `ESC ( B`): intermediates, final.
                Some('\u{20}'..='\u{7e}') => {
                    while chars
                        .next_if(|c| matches!(c, '\u{20}'..='\u{2f}'))
                        .is_some()
                    {}
                    chars.next_if(|c| matches!(c, '\u{30}'..='\u{7e}'));
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_invisible_control(c) => {}
            c => out.push(c),
        }
        in_break = false;
    }
    out.trim().to_string()
}

/// C0 and C1 controls, DEL, and the bidi formatting characters.
fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Skips the rest of a control sequence: parameter and intermediate bytes, then the final
/// byte (`@` to `~`). Stops early at anything else, which is left to the caller's loop.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{20}'..='\u{3f}' => {
                chars.next();
            }
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to and including its terminator:
/// BEL, ST (`ESC \` or U+009C). An unterminated string runs to the end of the text.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// The ids of vocabulary values (data types, units, development kinds...) as they serialise,
/// joined by `, `.
fn joined_ids<T: serde::Serialize>(values: &[T]) -> String {
    values
        .iter()
        .map(|value| {
            serde_json::to_value(value)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The id of one vocabulary value (see [`joined_ids`]).
fn id_of<T: serde::Serialize>(value: &T) -> String {
    joined_ids(std::slice::from_ref(value))
}

/// `text` cut to at most `max_chars` characters, the last one then `…`.
fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max_chars - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole_and_line_breaks_become_one_space() {
        for (hostile, shown) in [
            ("a\u{1b}[2Jb", "ab"),
            ("a\u{1b}[38;5;196mred\u{1b}[0m", "ared"),
            ("title\u{1b}]0;owned\u{7} rest", "title rest"),
            (
                "link \u{1b}]8;;https://x.example\u{1b}\\here\u{1b}]8;;\u{1b}\\",
                "link here",
            ),
            ("a\u{9b}31mb\u{9d}0;t\u{9c}c", "abc"),
            ("a\u{1b}(Bb\u{1b}7c", "abc"),
            ("one\r\ntwo\tthree\n\n four", "one two three four"),
            ("x\u{202e}evil\u{202c}y\u{2066}z\u{200f}", "xevilyz"),
            ("bell\u{7}del\u{7f}nul\u{0}c1\u{85}", "belldelnulc1"),
            ("  Ünïcode stays  ", "Ünïcode stays"),
            ("unterminated \u{1b}]0;title", "unterminated"),
            ("trailing escape \u{1b}", "trailing escape"),
        ] {
            assert_eq!(terminal_text(hostile), shown, "{hostile:?}");
        }
    }
}
