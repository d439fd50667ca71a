//! The client's address: the peer's, unless the peer is a proxy the operator trusts, in which case
//! the last address in `X-Forwarded-For` that is not itself a trusted proxy. A forwarded header
//! from anyone else is ignored (it is whatever the client wrote).

use std::net::IpAddr;

use axum::http::HeaderMap;
use entry_core::policy::IpAllowList;

/// Where requests may come from through a proxy.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
    list: Option<IpAllowList>,
}

impl TrustedProxies {
    /// Proxies by address or CIDR block; none by default.
    pub fn new(entries: &[String]) -> Result<TrustedProxies, entry_core::policy::PolicyError> {
        Ok(TrustedProxies { list: (!entries.is_empty()).then(|| IpAllowList::new(entries)).transpose()? })
    }

    fn trusts(&self, ip: &str) -> bool {
        self.list.as_ref().is_some_and(|l| l.allows(ip))
    }

    /// The client address of a request from `peer` with `headers`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> String {
        let peer = peer.to_canonical().to_string();
        if !self.trusts(&peer) {
            return peer;
        }
        let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        let hops: Vec<String> = forwarded.flat_map(|v| v.split(',').map(|h| h.trim().to_string())).collect();
        hops.into_iter().rev().filter(|h| h.parse::<IpAddr>().is_ok()).find(|h| !self.trusts(h)).unwrap_or(peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.7".parse().unwrap());
        let none = TrustedProxies::default();
        assert_eq!(none.client_ip("198.51.100.1".parse().unwrap(), &headers), "198.51.100.1");
        let proxies = TrustedProxies::new(&["10.0.0.0/8".into()]).unwrap();
        assert_eq!(proxies.client_ip("10.0.0.5".parse().unwrap(), &headers), "203.0.113.9");
        assert_eq!(proxies.client_ip("198.51.100.1".parse().unwrap(), &headers), "198.51.100.1", "not a proxy");
        assert_eq!(proxies.client_ip("10.0.0.5".parse().unwrap(), &HeaderMap::new()), "10.0.0.5");
        assert_eq!(proxies.client_ip("::ffff:10.0.0.5".parse().unwrap(), &headers), "203.0.113.9");
    }
}
