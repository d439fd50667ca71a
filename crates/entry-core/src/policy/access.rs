//! Domain and IP allow-lists.

use std::net::IpAddr;

/// A malformed allow-list entry, with the entry.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PolicyError {
    #[error("domain {0:?} is not a valid host name")]
    /// A domain entry that is not a host name.
    Domain(String),
    #[error("network {0:?} is not an IP address or CIDR block")]
    /// A network entry that is neither an address nor a CIDR block.
    Network(String),
}

/// Normalises a host name: trailing dot removed, IDN to ASCII (punycode), lower case.
fn normalise_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.');
    if host.is_empty() || host.contains(['/', ':', '@', ' ']) {
        return None;
    }
    idna::domain_to_ascii(host).ok().filter(|h| !h.is_empty())
}

/// The host of an origin (`https://a.example:8443`) or a bare host name.
fn host_of(origin_or_host: &str) -> Option<String> {
    let s = origin_or_host.trim();
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
    let host = if s.starts_with('[') { s } else { s.split(':').next().unwrap_or("") };
    normalise_host(host)
}

/// Exact hosts (`bank.example`) and wildcard subdomains (`*.bank.example`: any depth, not the apex).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainAllowList {
    exact: Vec<String>,
    suffixes: Vec<String>,
}

impl DomainAllowList {
    /// A list from host names (`bank.example`) and wildcards (`*.bank.example`).
    pub fn new<S: AsRef<str>>(entries: &[S]) -> Result<Self, PolicyError> {
        let mut list = DomainAllowList::default();
        for e in entries {
            let e = e.as_ref();
            match e.trim().strip_prefix("*.") {
                Some(rest) => list
                    .suffixes
                    .push(format!(".{}", normalise_host(rest).ok_or_else(|| PolicyError::Domain(e.into()))?)),
                None => list.exact.push(normalise_host(e).ok_or_else(|| PolicyError::Domain(e.into()))?),
            }
        }
        Ok(list)
    }

    /// Whether an origin or host is allowed.
    pub fn allows(&self, origin_or_host: &str) -> bool {
        let Some(host) = host_of(origin_or_host) else { return false };
        self.exact.contains(&host) || self.suffixes.iter().any(|s| host.ends_with(s.as_str()))
    }
}

/// IPv4 and IPv6 addresses and CIDR blocks. IPv4-mapped IPv6 addresses match IPv4 entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IpAllowList {
    networks: Vec<(IpAddr, u8)>,
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v) => (u32::from(v) as u128, 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    }
}

impl IpAllowList {
    /// A list from addresses and CIDR blocks, IPv4 or IPv6.
    pub fn new<S: AsRef<str>>(entries: &[S]) -> Result<Self, PolicyError> {
        let mut networks = Vec::new();
        for e in entries {
            let e = e.as_ref().trim();
            let bad = || PolicyError::Network(e.into());
            let (addr, prefix) = e.split_once('/').map_or((e, None), |(a, p)| (a, Some(p)));
            let ip = canonical(addr.parse::<IpAddr>().map_err(|_| bad())?);
            let width = bits(ip).1;
            let prefix = match prefix {
                None => width,
                Some(p) => p.parse::<u8>().ok().filter(|p| *p <= width).ok_or_else(bad)?,
            };
            networks.push((ip, prefix));
        }
        Ok(IpAllowList { networks })
    }

    /// True when `ip` is inside one of the networks (false for anything that is not an address).
    pub fn allows(&self, ip: &str) -> bool {
        let Ok(ip) = ip.trim().parse::<IpAddr>() else { return false };
        let (value, width) = bits(canonical(ip));
        self.networks.iter().any(|(net, prefix)| {
            let (net_value, net_width) = bits(*net);
            if net_width != width {
                return false;
            }
            let shift = width - prefix;
            shift == width || (net_value >> shift) == (value >> shift)
        })
    }
}

impl crate::CodedError for PolicyError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidConfiguration
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_exact_wildcard_case_and_idn() {
        let list = DomainAllowList::new(&["Bank.Example", "*.shop.example", "bücher.example"]).unwrap();
        assert!(list.allows("https://bank.example"));
        assert!(list.allows("BANK.EXAMPLE."));
        assert!(list.allows("https://bank.example:8443/login?x=1"));
        assert!(!list.allows("https://evil-bank.example"));
        assert!(!list.allows("https://bank.example.evil.com"));
        assert!(list.allows("https://a.shop.example"));
        assert!(list.allows("https://a.b.shop.example"));
        assert!(!list.allows("https://shop.example"), "a wildcard does not cover the apex");
        assert!(!list.allows("https://evilshop.example"));
        assert!(list.allows("https://xn--bcher-kva.example"));
        assert!(list.allows("https://BÜCHER.example"));
        assert!(!list.allows(""));
        assert_eq!(DomainAllowList::new(&["bad host/"]).unwrap_err(), PolicyError::Domain("bad host/".into()));
    }

    #[test]
    fn ip_cidr_v4_v6_and_mapped() {
        let list = IpAllowList::new(&["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"]).unwrap();
        assert!(list.allows("10.200.3.4"));
        assert!(!list.allows("11.0.0.1"));
        assert!(list.allows("192.168.1.7"));
        assert!(!list.allows("192.168.1.8"));
        assert!(list.allows("2001:db8:ffff::1"));
        assert!(!list.allows("2001:db9::1"));
        assert!(list.allows("::ffff:10.1.2.3"), "IPv4-mapped IPv6 matches the IPv4 block");
        assert!(!list.allows("not an ip"));
        assert!(IpAllowList::new(&["0.0.0.0/0"]).unwrap().allows("8.8.8.8"));
        assert!(IpAllowList::new(&["::/0"]).unwrap().allows("::1"));
        for bad in ["10.0.0.0/33", "2001:db8::/129", "10.0.0", "x/8"] {
            assert_eq!(IpAllowList::new(&[bad]).unwrap_err(), PolicyError::Network(bad.into()));
        }
    }
}
