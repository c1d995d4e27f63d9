//! The remote fallback: sled lets one process hold the database, so while `breachwatch run`
//! holds it, `incidents`, `show` and `trends` ask the running service's API instead
//! ([`get`]), at the address it left in the database directory ([`service_addr`]).
//!
//! A minimal blocking HTTP/1.1 GET: the CLI asks a running service on loopback, so no TLS,
//! redirects or proxies. (Only `fetch` may use reqwest, and its async client would need a
//! runtime here.)

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::serve::error::ErrorBody;

/// The most the CLI reads from the service: far above any real answer.
const MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// How long the CLI waits for the service's answer.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The file in the database directory where `run` writes the address it serves on.
pub const SERVICE_ADDR_FILE: &str = "breachwatch-service.addr";

/// Where the service holding the database at `db` listens: the address it wrote at start,
/// else `fallback` (the config's `listen`).
pub fn service_addr(db: &Path, fallback: &str) -> String {
    std::fs::read_to_string(db.join(SERVICE_ADDR_FILE))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// GETs `path_and_query` (e.g. `/api/incidents?force=kent`) from a running service at
/// `listen` and returns the body, for the CLI while `run` holds the database.
///
/// # Errors
///
/// When nothing answers within a few seconds, or the service answers with a non-2xx status
/// (the error carries its JSON `message`).
pub fn get(listen: &str, path_and_query: &str) -> Result<String> {
    get_within(listen, path_and_query, TIMEOUT)
}

/// POSTs the JSON `body` to `path` of a running service at `listen`, with `token` as its
/// bearer token (the analysts' corrections while `run` holds the database), and returns the
/// body of the answer.
///
/// # Errors
///
/// As [`get`]: nothing answers, or a non-2xx status (with the service's message).
pub fn post(listen: &str, path: &str, token: Option<&str>, body: &str) -> Result<String> {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{auth}Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    send(listen, "POST", path, &head, body.as_bytes(), TIMEOUT)
}

/// GETs `http://{authority}{path}` and returns the body of a 2xx answer, waiting at most
/// `timeout` for each read and write.
fn get_within(authority: &str, path: &str, timeout: Duration) -> Result<String> {
    send(authority, "GET", path, "", &[], timeout)
}

/// Sends `method` to `http://{authority}{path}` with the extra header lines `headers` (each
/// ending in CRLF) and `body`, and returns the body of a 2xx answer.
fn send(
    authority: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &[u8],
    timeout: Duration,
) -> Result<String> {
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let addrs: Vec<_> = authority
        .to_socket_addrs()
        .with_context(|| format!("{authority:?} is not an address like 127.0.0.1:8080"))?
        .collect();
    let mut last_error = None;
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout.min(Duration::from_secs(3))) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let Some(mut stream) = stream else {
        match last_error {
            Some(e) => bail!("the database is in use and no service answered on {authority}: {e}"),
            None => bail!("{authority:?} resolves to no address"),
        }
    };
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\nUser-Agent: breachwatch-cli\r\n{headers}Connection: close\r\n\r\n"
    )?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE_BYTES)
        .read_to_end(&mut raw)
        .with_context(|| format!("no complete answer from the service on {authority}"))?;
    let (status, body) = parse_response(&raw)?;
    let text = String::from_utf8(body).context("the service answered with invalid UTF-8")?;
    if !(200..300).contains(&status) {
        let message = serde_json::from_str::<ErrorBody>(&text)
            .map(|e| e.message)
            .unwrap_or_else(|_| text.trim().chars().take(200).collect());
        bail!("the service on {authority} answered {status}: {message}");
    }
    Ok(text)
}

/// Splits a raw HTTP/1.x response into status and (de-chunked) body.
fn parse_response(raw: &[u8]) -> Result<(u16, Vec<u8>)> {
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("the service's answer has no header end")?;
    let head = std::str::from_utf8(&raw[..head_end]).context("malformed response header")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("malformed status line {status_line:?}"))?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "transfer-encoding" && value.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            } else if name == "content-length" {
                length = value.parse::<usize>().ok();
            }
        }
    }
    let rest = &raw[head_end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(n) = length {
        if rest.len() < n {
            bail!("the service's answer was cut short");
        }
        rest[..n].to_vec()
    } else {
        rest.to_vec()
    };
    Ok((status, body))
}

/// The body of a `Transfer-Encoding: chunked` answer, its chunks joined.
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("malformed chunked body")?;
        let size_text = std::str::from_utf8(&data[..line_end])?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).context("malformed chunk size")?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            bail!("the service's answer was cut short");
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_content_length_response() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]";
        assert_eq!(parse_response(raw).unwrap(), (200, b"[]".to_vec()));
    }

    #[test]
    fn parses_a_chunked_response() {
        let raw = b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(raw).unwrap(), (404, b"abcde".to_vec()));
    }

    #[test]
    fn a_response_without_header_end_is_an_error() {
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
