//! HTML pages decoded by the character set they declare, the way browsers do: a byte-order
//! mark first, then the `charset` of the `Content-Type` header, then a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` in the first 1,024 bytes, then an XML declaration's
//! `encoding`; with none, UTF-8 when the bytes are valid UTF-8, else windows-1252 (what a
//! browser assumes for an undeclared Western page). A windows-1252 page keeps its `£` and
//! curly quotes. Feeds are not decoded here: feed-rs reads their bytes itself.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into a page a `<meta>` declaration counts (the HTML standard's prescan).
const PRESCAN: usize = 1024;

/// The page as text, and the encoding it was read with.
pub fn decode(body: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    let encoding = Encoding::for_bom(body)
        .map(|(e, _)| e)
        .or_else(|| content_type.and_then(header_charset))
        .or_else(|| declared_in(&body[..body.len().min(PRESCAN)]))
        .unwrap_or_else(|| {
            if std::str::from_utf8(body).is_ok() {
                UTF_8
            } else {
                WINDOWS_1252
            }
        });
    // A page cannot really be UTF-16 when it declares so in ASCII (HTML standard): such a
    // declaration means UTF-8.
    let encoding = if Encoding::for_bom(body).is_none()
        && (encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        UTF_8
    } else {
        encoding
    };
    let (text, used, _) = encoding.decode(body);
    (text.into_owned(), used)
}

/// The `charset` parameter of a `Content-Type` value, if it names an encoding.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

/// An encoding declared in a page's first bytes: `<meta charset=...>`, `<meta
/// http-equiv="Content-Type" content="...; charset=...">`, or `<?xml ... encoding="..."?>`.
fn declared_in(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("<meta") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        if let Some(found) = attribute_charset(tag) {
            return Some(found);
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    if let Some(decl) = text.strip_prefix("<?xml") {
        let decl = &decl[..decl.find("?>").unwrap_or(decl.len())];
        if let Some(at) = decl.find("encoding") {
            let value = decl[at + "encoding".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start();
            let quote = value.chars().next()?;
            let value = value[1..].split(quote).next()?;
            return Encoding::for_label(value.as_bytes());
        }
    }
    None
}

/// The charset a `<meta ...>` tag's text declares, if any.
fn attribute_charset(tag: &str) -> Option<&'static Encoding> {
    let at = tag.find("charset")?;
    let value = tag[at + "charset".len()..].trim_start().strip_prefix('=')?;
    let value = value.trim_start().trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
        .unwrap_or(value.len());
    Encoding::for_label(&value.as_bytes()[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "£5m" with curly quotes, as windows-1252 writes it.
    const CP1252: &[u8] = b"<p>\x93A \xa35m fine\x94, it said</p>";

    fn page(meta: &str, body: &[u8]) -> Vec<u8> {
        let mut out =
            format!("<!doctype html><html><head>{meta}<title>t</title></head><body>").into_bytes();
        out.extend_from_slice(body);
        out.extend_from_slice(b"</body></html>");
        out
    }

    #[test]
    fn a_windows_1252_page_keeps_its_pound_sign_and_quotes() {
        let want = "\u{201c}A \u{a3}5m fine\u{201d}, it said";
        for (meta, header) in [
            ("<meta charset=\"windows-1252\">", None),
            (
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
                None,
            ),
            ("", Some("text/html; charset=windows-1252")),
            ("", None),
        ] {
            let (text, _) = decode(&page(meta, CP1252), header);
            assert!(text.contains(want), "{meta} {header:?}: {text}");
        }
    }

    #[test]
    fn the_header_wins_over_meta_and_a_bom_over_both() {
        let body = page("<meta charset=\"windows-1252\">", "£".as_bytes());
        let (text, used) = decode(&body, Some("text/html; charset=\"utf-8\""));
        assert_eq!(used, UTF_8);
        assert!(text.contains('£'));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(page("", "é".as_bytes()));
        let (text, used) = decode(&bom, Some("text/html; charset=windows-1252"));
        assert_eq!(used, UTF_8);
        assert!(text.contains('é') && !text.starts_with('\u{feff}'));
    }

    #[test]
    fn undeclared_pages_are_utf8_when_they_can_be() {
        let (text, used) = decode(&page("", "naïve — “quoted”".as_bytes()), None);
        assert_eq!(used, UTF_8);
        assert!(text.contains("naïve — “quoted”"));
        let (_, used) = decode(b"", None);
        assert_eq!(used, UTF_8);
    }

    #[test]
    fn odd_declarations_are_handled_like_browsers() {
        // Unknown labels are ignored; UTF-16 declared in ASCII means UTF-8.
        let (_, used) = decode(&page("<meta charset=\"klingon\">", b"x"), None);
        assert_eq!(used, UTF_8);
        let (_, used) = decode(&page("<meta charset=utf-16>", b"x"), None);
        assert_eq!(used, UTF_8);
        let (_, used) = decode(
            b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><html/>",
            None,
        );
        assert_eq!(used, WINDOWS_1252);
        let (_, used) = decode(&page("<META CHARSET=Shift_JIS>", b"x"), None);
        assert_eq!(used, encoding_rs::SHIFT_JIS);
        // A declaration past the first 1,024 bytes does not count.
        let late = page(
            &format!("{}<meta charset=\"windows-1252\">", " ".repeat(1100)),
            "é".as_bytes(),
        );
        assert_eq!(decode(&late, None).1, UTF_8);
    }
}
