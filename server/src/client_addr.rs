//! Who the client is, by address, for rate limits and the records that keep an address
//! (consent proof, login attempts). Without `TRUSTED_PROXIES` it is the connection's peer.
//! With it, a request whose peer is a trusted proxy is followed back through the
//! proxies' own headers — `Forwarded: for=…` (RFC 7239) or else `X-Forwarded-For` — from
//! the nearest hop outwards, skipping trusted addresses: the first address not in the
//! list is the client. A header from anyone else is ignored, so a client cannot pick its
//! own address.
use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, Request};
use ipnet::IpNet;

/// Parses `TRUSTED_PROXIES`: addresses or CIDR ranges, separated by commas or spaces
/// (`10.0.0.0/8, 127.0.0.1, ::1`).
pub fn parse_trusted(list: &str) -> Result<Vec<IpNet>, String> {
    list.split([',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "TRUSTED_PROXIES: \"{item}\" is not an address or range like 10.0.0.0/8"
                    )
                })
        })
        .collect()
}

/// The client's address for a request from `peer` with `headers`.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_for(headers);
    // Nearest hop last: walk back while the hop is one of our proxies.
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = hop else {
            // An obfuscated or unreadable hop: stop at the last address we could trust.
            break;
        };
        client = *ip;
        if !is_trusted(ip) {
            break;
        }
    }
    canonical(client)
}

/// The hops a `Forwarded` header names (`for=`), or else those of `X-Forwarded-For`, in
/// order (client first). `None` for a hop that is not an address ("unknown", "_hidden").
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<Option<IpAddr>> = headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(value))
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(parse_node)
        .collect()
}

/// `192.0.2.60`, `"192.0.2.60:4711"`, `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn parse_node(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value.rsplit_once(':')?.0.parse().ok()
}

/// IPv4 addresses seen as IPv6 (`::ffff:1.2.3.4`) compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Puts the client's address ([`app::context::ClientAddr`]) in every request's extensions.
pub async fn resolve_client(
    State(trusted): State<Arc<Vec<IpNet>>>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = client_addr(peer, req.headers(), &trusted);
        req.extensions_mut()
            .insert(app::context::ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
                value.parse().expect("value"),
            );
        }
        map
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(client_addr(ip("198.51.100.7"), &h, &[]), ip("198.51.100.7"));
    }

    #[test]
    fn a_trusted_proxy_is_followed_to_the_first_untrusted_hop() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1").expect("list");
        // The client put a made-up address in front; our proxies appended the real one.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.5")]);
        assert_eq!(
            client_addr(ip("127.0.0.1"), &h, &trusted),
            ip("203.0.113.9")
        );
        // An untrusted peer's header is ignored.
        assert_eq!(
            client_addr(ip("198.51.100.7"), &h, &trusted),
            ip("198.51.100.7")
        );
        // Without a header the proxy itself is all we know.
        assert_eq!(
            client_addr(ip("10.1.2.3"), &HeaderMap::new(), &trusted),
            ip("10.1.2.3")
        );
        // Several header lines count as one list.
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-for", "10.0.0.5"),
        ]);
        assert_eq!(
            client_addr(ip("127.0.0.1"), &h, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_reads_ports_and_ipv6() {
        let trusted = parse_trusted("::1 10.0.0.0/8").expect("list");
        let h = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.5:80",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            client_addr(ip("::1"), &h, &trusted),
            ip("2001:db8:cafe::17")
        );
        let hidden = headers(&[("forwarded", "for=_hidden, for=10.0.0.5")]);
        assert_eq!(client_addr(ip("::1"), &hidden, &trusted), ip("10.0.0.5"));
    }

    #[test]
    fn mapped_ipv4_addresses_match_ipv4_ranges() {
        let trusted = parse_trusted("127.0.0.0/8").expect("list");
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_addr(ip("::ffff:127.0.0.1"), &h, &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_bad_list_is_one_clear_sentence() {
        let err = parse_trusted("10.0.0.0/8, proxy.local").expect_err("bad");
        assert!(err.contains("\"proxy.local\""), "{err}");
    }
}
