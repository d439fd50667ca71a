//! Policies an app sets: where the SDK may run (domains, IPs), how strict a match must be per use,
//! and when repeated failures lock an account.

mod access;
mod decision;
mod lockout;

pub use access::{DomainAllowList, IpAllowList, PolicyError};
pub use decision::{Decision, MatchPolicy, UseCase};
pub use lockout::{LockoutPolicy, LockoutTracker};
