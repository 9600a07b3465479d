//! Bodies and answers below the level of [`super::Client`]: a multipart upload body, a CSV
//! export read as a spreadsheet with either list separator would, and a raw HTTP exchange for
//! requests the HTTP client cannot write (a forged `Host`, odd request lines), and the tip ids a
//! queue page links to.

use std::time::Duration;

/// A `multipart/form-data` body with one file field `file` named `name`: (content type, body).
pub fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "PORTALBOUNDARY7";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A CSV export read as a spreadsheet set to the list separator `sep` would: every row.
pub fn csv_rows(body: &str, sep: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
        .collect()
}

/// A CSV export with its quoting undone: its rows, cells joined by `,`, one row a line (to
/// look for a row's cells in it).
pub fn csv_plain(body: &str) -> String {
    csv_rows(body, b',')
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sends `request` (a whole HTTP/1.1 request as written on the wire, e.g. with a forged
/// `Host` or an odd request line) to the server at `base` over a plain TCP connection and
/// returns everything it answers before closing or going quiet for `secs`. An empty answer
/// means the connection was closed without one.
pub fn raw_http(base: &str, request: &[u8], secs: u64) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(secs)))
        .unwrap();
    stream.write_all(request).expect("send");
    let mut answer = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                // One answer is enough: stop once its headers and declared body are in.
                let text = String::from_utf8_lossy(&answer);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end].lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    });
                    if length.is_some_and(|n| answer.len() >= end + 4 + n) {
                        break;
                    }
                }
            }
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The ids of the tips linked from the joint office's queue page (`/leads/tips`), in order.
pub fn tip_ids(queue_page: &str) -> Vec<i64> {
    queue_page
        .split("href=\"/leads/tips/")
        .skip(1)
        .filter_map(|chunk| chunk.split('"').next()?.parse().ok())
        .collect()
}
