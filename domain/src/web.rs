//! Pure rules about requests and responses that every feature shares: which client address a
//! request comes from (behind trusted reverse proxies, IPv6 grouped by /64), which `next=`
//! paths may be followed after a redirect, the public origin that absolute links are built
//! from, and how a text cell of a CSV export is written so that a spreadsheet never runs it as
//! a formula.

use std::net::IpAddr;

/// One trusted proxy network: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `::1/128`, or a bare address (a single host).
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| format!("not an IP address: {a:?}"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("not a prefix length 0-{max}: {p:?}"))?,
            None => max,
        };
        Ok(Cidr { addr, prefix })
    }

    /// Whether `ip` lies in this network (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - self.prefix as u32).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - self.prefix as u32).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`); empty
/// by default, so the header is ignored unless the operator names the proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<Cidr>);

impl TrustedProxies {
    /// A list separated by commas or spaces; empty means none.
    pub fn parse(s: &str) -> Result<TrustedProxies, String> {
        s.split([',', ' '])
            .filter(|p| !p.trim().is_empty())
            .map(Cidr::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client address of a request from `peer` with these `X-Forwarded-For` header
    /// values: the peer itself unless it is a trusted proxy; otherwise the right-most address
    /// of the chain that is not a trusted proxy (addresses further left were written by the
    /// client and prove nothing). A malformed entry stops the walk at the last good address.
    pub fn client_addr(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly `[v6]`, `[v6]:port` or `v4:port`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sa) = hop.parse::<std::net::SocketAddr>() {
        return Some(canonical(sa.ip()));
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<IpAddr>().ok())
        .map(canonical)
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The key under which a client is counted: an IPv4 address as is, an IPv6 address by its
/// /64 network (one subscriber usually holds a whole /64 and can change addresses at will).
pub fn client_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The path to go on to after a sign-in or language switch: only a same-site absolute path
/// made of safe characters (letters, digits and `/-._~?=&%+,;:@!#`), else `/`. Tabs, line
/// breaks, backslashes and `//` are what browsers turn into another site.
pub fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| is_safe_path(n))
        .map(str::to_string)
        .unwrap_or_else(|| "/".into())
}

fn is_safe_path(n: &str) -> bool {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/-._~?=&%+,;:@!#".contains(c);
    n.starts_with('/')
        && !n.starts_with("//")
        && n.len() <= 2048
        && n.chars().all(safe)
        && !n.to_ascii_lowercase().starts_with("/%2f")
        && !n.to_ascii_lowercase().starts_with("/%5c")
}

/// The public origin of the portal (`PORTAL_PUBLIC_URL`, e.g. `https://portal.example.cn`):
/// every absolute link (a certificate's verification address, a calendar feed) is built from
/// it, and the cross-site check compares a browser's `Origin` with it. It is configured, never
/// taken from a request's `Host`, which the client writes (issue 25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicOrigin {
    scheme: &'static str,
    /// Host and port as written (lowercase), e.g. `portal.example.cn` or `127.0.0.1:3000`.
    authority: String,
}

impl PublicOrigin {
    /// `http://host[:port]` or `https://host[:port]`, with at most a trailing `/`: no path,
    /// query, fragment or user name.
    pub fn parse(s: &str) -> Result<PublicOrigin, String> {
        let s = s.trim();
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| format!("expected http://host or https://host, got {s:?}"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => "http",
            "https" => "https",
            _ => return Err(format!("the scheme must be http or https: {s:?}")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
        let host_ok = !authority.is_empty()
            && authority.len() <= 260
            && authority.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            })
            && !authority.starts_with(':');
        if !host_ok {
            return Err(format!(
                "expected an origin without path, query or user (http://host[:port]): {s:?}"
            ));
        }
        Ok(PublicOrigin { scheme, authority })
    }

    /// The origin of a server listening on `addr` without a configured public URL.
    pub fn of_listen_addr(addr: std::net::SocketAddr) -> PublicOrigin {
        PublicOrigin {
            scheme: "http",
            authority: addr.to_string(),
        }
    }

    /// `scheme://authority`, as a browser writes it in `Origin`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{path}", self.scheme, self.authority)
    }

    /// The `webcal://` address of `path`, for calendar subscriptions.
    pub fn webcal(&self, path: &str) -> String {
        format!("webcal://{}{path}", self.authority)
    }

    /// Whether a browser's `Origin` header names this origin (case aside; a default port
    /// written out counts as the same).
    pub fn is_origin(&self, origin: &str) -> bool {
        let strip_default = |o: String| -> String {
            o.strip_suffix(if o.starts_with("https://") {
                ":443"
            } else {
                ":80"
            })
            .map(str::to_string)
            .unwrap_or(o)
        };
        strip_default(origin.trim().to_ascii_lowercase()) == strip_default(self.origin())
    }
}

/// A text cell of a CSV export, safe whichever list separator the spreadsheet reading it uses.
/// A cell that a spreadsheet would read as a formula (starting with `= + - @`, a tab or a
/// carriage return) gets a leading apostrophe; so does every such start after a `,` or `;`
/// or a line break inside the cell, because a spreadsheet set to the other separator (`;` is
/// common in Chinese and European settings) splits the cell there and reads what follows as a
/// cell of its own (`x;=1+1` would be `x` and `=1+1`). Quotes and spaces in front of the
/// start do not hide it. Quoting is left to the CSV writer, which quotes every cell.
pub fn csv_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    if s.starts_with(['\t', '\r']) {
        out.push('\'');
    }
    let mut cell_start = true;
    for c in s.chars() {
        if cell_start && matches!(c, '=' | '+' | '-' | '@') {
            out.push('\'');
        }
        out.push(c);
        cell_start = match c {
            ',' | ';' | '\n' | '\r' | '\t' => true,
            '"' | ' ' => cell_start,
            _ => false,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let local = TrustedProxies::parse("127.0.0.1/32, 10.0.0.0/8").unwrap();
        for (proxies, peer, xff, want) in [
            // Without trusted proxies the header is ignored.
            (&none, "127.0.0.1", vec!["203.0.113.9"], "127.0.0.1"),
            // From an untrusted peer it is ignored too.
            (&local, "198.51.100.7", vec!["203.0.113.9"], "198.51.100.7"),
            // The right-most untrusted hop is the client; what the client wrote to the left is not.
            (
                &local,
                "127.0.0.1",
                vec!["1.2.3.4, 203.0.113.9"],
                "203.0.113.9",
            ),
            (
                &local,
                "127.0.0.1",
                vec!["1.2.3.4, 203.0.113.9, 10.1.1.1"],
                "203.0.113.9",
            ),
            // Several header lines form one list.
            (
                &local,
                "127.0.0.1",
                vec!["1.2.3.4", "203.0.113.9"],
                "203.0.113.9",
            ),
            // No header: the proxy itself.
            (&local, "127.0.0.1", vec![], "127.0.0.1"),
            // Garbage stops the walk at the last good address.
            (&local, "127.0.0.1", vec!["evil, nonsense"], "127.0.0.1"),
            (
                &local,
                "127.0.0.1",
                vec!["[2001:db8::1]:443"],
                "2001:db8::1",
            ),
            (&local, "127.0.0.1", vec!["192.0.2.1:5555"], "192.0.2.1"),
            // Only proxies in the chain: the left-most.
            (&local, "127.0.0.1", vec!["10.0.0.5, 10.0.0.6"], "10.0.0.5"),
            (&local, "::ffff:127.0.0.1", vec!["192.0.2.8"], "192.0.2.8"),
        ] {
            assert_eq!(
                proxies.client_addr(ip(peer), &xff),
                ip(want),
                "{peer} {xff:?}"
            );
        }
    }

    #[test]
    fn proxy_lists_parse_or_say_why() {
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
        assert_eq!(
            TrustedProxies::parse(" 10.0.0.1 ,::1/128").unwrap().0.len(),
            2
        );
        for bad in ["10.0.0.0/33", "nonsense", "::1/129", "10.0.0.0/x"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
        let c = Cidr::parse("2001:db8::/32").unwrap();
        assert!(c.contains(ip("2001:db8:ffff::1")));
        assert!(!c.contains(ip("2001:db9::1")));
        assert!(!c.contains(ip("10.0.0.1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64() {
        assert_eq!(client_key(ip("203.0.113.9")), "203.0.113.9");
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1")),
            client_key(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            client_key(ip("2001:db8:1:2::1")),
            client_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }

    #[test]
    fn only_same_site_safe_paths_are_followed() {
        for (next, want) in [
            (Some("/leads/7?tab=files"), "/leads/7?tab=files"),
            (
                Some("/regulations/dazu-2021-6#art-3"),
                "/regulations/dazu-2021-6#art-3",
            ),
            (
                Some("/events?view=month&m=2026-11"),
                "/events?view=month&m=2026-11",
            ),
            (Some("/\t/evil.example"), "/"),
            (Some("//evil.example"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/%2F/evil.example"), "/"),
            (Some("/%5cevil.example"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("javascript:alert(1)"), "/"),
            (Some("/\n/evil.example"), "/"),
            (Some(" /leads"), "/"),
            (Some("/搜索"), "/"),
            (Some(""), "/"),
            (None, "/"),
        ] {
            assert_eq!(safe_next(next), want, "{next:?}");
        }
    }

    #[test]
    fn public_origins_are_origins_only() {
        for (s, want) in [
            (
                "https://Portal.Example.cn",
                Some("https://portal.example.cn"),
            ),
            ("http://127.0.0.1:3000/", Some("http://127.0.0.1:3000")),
            ("http://[::1]:8080", Some("http://[::1]:8080")),
            ("portal.example.cn", None),
            ("ftp://portal.example.cn", None),
            ("https://portal.example.cn/path", None),
            ("https://user@portal.example.cn", None),
            ("https://portal.example.cn?x=1", None),
            ("https://", None),
        ] {
            assert_eq!(
                PublicOrigin::parse(s).ok().map(|o| o.origin()),
                want.map(str::to_string),
                "{s}"
            );
        }
        let o = PublicOrigin::parse("https://portal.example.cn").unwrap();
        assert_eq!(o.url("/verify/ab"), "https://portal.example.cn/verify/ab");
        assert_eq!(
            o.webcal("/calendar/x.ics"),
            "webcal://portal.example.cn/calendar/x.ics"
        );
        assert!(o.is_origin("https://PORTAL.example.cn"));
        assert!(o.is_origin("https://portal.example.cn:443"));
        assert!(!o.is_origin("http://portal.example.cn"));
        assert!(!o.is_origin("https://evil.example"));
        assert!(!o.is_origin("null"));
        let local = PublicOrigin::of_listen_addr("127.0.0.1:3000".parse().unwrap());
        assert_eq!(local.origin(), "http://127.0.0.1:3000");
    }

    #[test]
    fn csv_text_cells_never_start_a_formula() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("大足区人民法院", "大足区人民法院"),
            ("", ""),
            // After any separator a spreadsheet may split at (issue 25).
            ("x;=1+1;@SUM(1)", "x;'=1+1;'@SUM(1)"),
            ("x,+1", "x,'+1"),
            ("第一行\n=cmd|' /C calc'!A0", "第一行\n'=cmd|' /C calc'!A0"),
            ("a;\" =1", "a;\" '=1"),
            ("a\r\n-2", "a\r\n'-2"),
            ("2026-11-01 a=b", "2026-11-01 a=b"),
        ] {
            assert_eq!(csv_text(cell), want, "{cell:?}");
        }
    }
}
