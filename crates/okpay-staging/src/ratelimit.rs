//! Who may try a password how often: the decision table below. Each bucket is a count of
//! attempts kept in the database (`store::throttle`), so servers over one database share
//! it and a restart keeps it.
//!
//! | attempt                         | counted per                | limit per window (`Config`)      | while that bucket is full              |
//! |---------------------------------|----------------------------|----------------------------------|----------------------------------------|
//! | sign-in from a known device     | that device                | `failed_login_limit`             | that device waits, nobody else         |
//! | sign-in from any other client   | account and client address | `failed_login_limit`             | that address waits for that account    |
//! |                                 | account                    | `failed_login_limit_per_account` | new devices wait for that account      |
//! |                                 | client address             | `failed_login_limit_per_address` | new devices there wait for any account |
//! | registration                    | client address             | `register_limit_per_address`     | that address waits to register         |
//!
//! An attempt is counted in all the buckets of its row before the password is hashed
//! (check and count are one step), so parallel requests cannot pass a check together. A
//! right password takes the sign-in's count back and empties the client's own bucket (the
//! first of its row); a wrong one stays counted until the window passes, as does every
//! registration. A known device presents the token (`X-Device-Token`) the server handed it
//! on an earlier successful sign-in to the same account: other clients' failures never
//! lock it out (OWASP ASVS V2.2, NIST SP 800-63B 5.2.2). The client address is the TCP
//! peer's ([`client_address`]); `X-Forwarded-For` is never read.

use crate::config::Config;
use crate::secrets;
use crate::store::throttle::Bucket;
use std::net::IpAddr;

/// What a bucket counts attempts per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Per {
    Device,
    AccountAndAddress,
    Account,
    Address,
}

/// Which configured limit a bucket has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Failures,
    FailuresPerAccount,
    FailuresPerAddress,
    Registrations,
}

/// The kinds of attempt, the rows of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    KnownDevice,
    OtherClient,
    Registration,
}

/// The table: the buckets each kind of attempt is counted in, the client's own first.
const TABLE: &[(Kind, &[(Per, Limit)])] = &[
    (Kind::KnownDevice, &[(Per::Device, Limit::Failures)]),
    (
        Kind::OtherClient,
        &[
            (Per::AccountAndAddress, Limit::Failures),
            (Per::Account, Limit::FailuresPerAccount),
            (Per::Address, Limit::FailuresPerAddress),
        ],
    ),
    (Kind::Registration, &[(Per::Address, Limit::Registrations)]),
];

/// One attempt to be counted.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    /// A sign-in to `account` (normalised login) from `address` ([`client_address`]);
    /// `known_device` is the fingerprint of the account's device token it presented.
    SignIn {
        account: &'a str,
        address: &'a str,
        known_device: Option<&'a str>,
    },
    Register {
        address: &'a str,
    },
}

impl Attempt<'_> {
    fn kind(&self) -> Kind {
        match self {
            Attempt::SignIn {
                known_device: Some(_),
                ..
            } => Kind::KnownDevice,
            Attempt::SignIn { .. } => Kind::OtherClient,
            Attempt::Register { .. } => Kind::Registration,
        }
    }

    /// What the attempt is counted per, as the text of its bucket key.
    fn subject(&self, per: Per) -> String {
        match (per, self) {
            (
                Per::Device,
                Attempt::SignIn {
                    known_device: Some(device),
                    ..
                },
            ) => (*device).to_owned(),
            (
                Per::AccountAndAddress,
                Attempt::SignIn {
                    account, address, ..
                },
            ) => format!("{account}\0{address}"),
            (Per::Account, Attempt::SignIn { account, .. }) => (*account).to_owned(),
            (Per::Address, Attempt::SignIn { address, .. } | Attempt::Register { address }) => {
                (*address).to_owned()
            }
            // Not a combination of the table.
            _ => String::new(),
        }
    }
}

/// The configured limits, in the units the buckets use.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    failures: u32,
    failures_per_account: u32,
    failures_per_address: u32,
    login_window_ms: i64,
    registrations: u32,
    register_window_ms: i64,
}

impl Limits {
    pub fn new(config: &Config) -> Limits {
        Limits {
            failures: config.failed_login_limit,
            failures_per_account: config.failed_login_limit_per_account,
            failures_per_address: config.failed_login_limit_per_address,
            login_window_ms: crate::clock::duration_ms(config.failed_login_window),
            registrations: config.register_limit_per_address,
            register_window_ms: crate::clock::duration_ms(config.register_window),
        }
    }

    fn of(&self, limit: Limit) -> (u32, i64) {
        match limit {
            Limit::Failures => (self.failures, self.login_window_ms),
            Limit::FailuresPerAccount => (self.failures_per_account, self.login_window_ms),
            Limit::FailuresPerAddress => (self.failures_per_address, self.login_window_ms),
            Limit::Registrations => (self.registrations, self.register_window_ms),
        }
    }

    /// The buckets `attempt` is counted in, the client's own first.
    pub fn buckets(&self, attempt: &Attempt<'_>) -> Vec<Bucket> {
        let kind = attempt.kind();
        let row = TABLE
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[][..], |(_, row)| *row);
        row.iter()
            .map(|&(per, limit)| {
                let (count, window_ms) = self.of(limit);
                let text = format!("{limit:?}\0{per:?}\0{}", attempt.subject(per));
                Bucket {
                    key: secrets::sha256_hex(text.as_bytes()),
                    limit: count,
                    window_ms,
                }
            })
            .collect()
    }
}

/// The address a client is counted under: IPv4 as is, IPv6 by its /64 (one host usually
/// holds a whole /64), and one shared name when the server was not given the peer address.
pub fn client_address(addr: Option<IpAddr>) -> String {
    match addr {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn limits() -> Limits {
        Limits::new(&Config::default())
    }

    #[test]
    fn every_row_of_the_table_names_what_it_counts() {
        let attempts = [
            Attempt::SignIn {
                account: "a@b.cn",
                address: "127.0.0.2",
                known_device: Some("fp"),
            },
            Attempt::SignIn {
                account: "a@b.cn",
                address: "127.0.0.2",
                known_device: None,
            },
            Attempt::Register {
                address: "127.0.0.2",
            },
        ];
        for attempt in attempts {
            let (_, row) = TABLE
                .iter()
                .find(|(k, _)| *k == attempt.kind())
                .unwrap_or_else(|| panic!("no row for {attempt:?}"));
            for (per, _) in *row {
                assert!(!attempt.subject(*per).is_empty(), "{attempt:?} {per:?}");
            }
            assert_eq!(limits().buckets(&attempt).len(), row.len());
        }
    }

    #[test]
    fn buckets_follow_the_table() {
        let l = limits();
        let other = |account, address| Attempt::SignIn {
            account,
            address,
            known_device: None,
        };
        let a = l.buckets(&other("a@b.cn", "10.0.0.1"));
        let b = l.buckets(&other("a@b.cn", "10.0.0.2"));
        let c = l.buckets(&other("c@b.cn", "10.0.0.1"));
        assert_eq!(a.iter().map(|b| b.limit).collect::<Vec<_>>(), [5, 30, 20]);
        // Own bucket per pair; the account's shared across addresses, the address's across
        // accounts.
        assert!(a[0] != b[0] && a[0] != c[0]);
        assert_eq!(a[1], b[1]);
        assert_eq!(a[2], c[2]);
        let device = l.buckets(&Attempt::SignIn {
            account: "a@b.cn",
            address: "10.0.0.1",
            known_device: Some("fp"),
        });
        assert_eq!(device.len(), 1);
        assert!(!a.contains(&device[0]));
        // Registering from an address is not signing in from it.
        let register = l.buckets(&Attempt::Register {
            address: "10.0.0.1",
        });
        assert_eq!(register.len(), 1);
        assert_ne!(register[0].key, a[2].key);
        assert_eq!(register[0].window_ms, 600_000);
    }

    #[test]
    fn ipv6_clients_count_per_64() {
        let v6 = |last| {
            Some(IpAddr::V6(Ipv6Addr::new(
                0x2001, 0xdb8, 1, 2, 0, 0, 0, last,
            )))
        };
        assert_eq!(client_address(v6(1)), client_address(v6(2)));
        assert_eq!(client_address(v6(1)), "2001:db8:1:2::/64");
        let mapped = Ipv4Addr::new(192, 0, 2, 7).to_ipv6_mapped();
        assert_eq!(client_address(Some(IpAddr::V6(mapped))), "192.0.2.7");
        assert_eq!(client_address(None), "unknown");
    }
}
