//! The login flow, once for every place it runs: what an attempt is for ([`AttemptRequest`],
//! checked into an [`Attempt`]), what its capture decides ([`LoginFlow`]: who the face is, what to
//! store, what to audit, what counts towards a lockout, all in one [`LoginOutcome`]), and the
//! records it reads and writes ([`UserRecord`], [`EntryUser`]).
//!
//! Device mode runs it through [`DeviceLogin`] (keys, running attempt, [`LoginState`] kept in the
//! browser); a server applies the same outcomes to its database.

mod attempt;
mod device;
mod error;
mod flow;
mod state;
mod user;

pub use attempt::{
    identify_account, AgeRuleName, Attempt, AttemptRequest, CheckedDocument, DocumentInput, DocumentKind, Purpose,
};
pub use device::{CodedMessage, DeviceLogin, DeviceLoginConfig, FinishReport, Finished, SavedState};
pub use error::LoginError;
pub use flow::{Captured, LockoutChange, LoginFlow, LoginOutcome, LoginPolicy, StoreChange};
pub use state::{LoginState, StateChanges};
pub use user::{EntryUser, Timestamp, UserProfile, UserRecord};
