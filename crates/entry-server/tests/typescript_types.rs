//! The TypeScript declarations of what crosses between the browser, entry-server and an app's
//! backend are generated from the server's Rust definitions (ts-rs follows their serde
//! attributes): this test renders them and fails when `npm/src/server-types.ts` differs.
//! `ENTRY_BLESS=1 cargo test -p entry-server --test typescript_types` writes the file.

mod common;

use entry_server::{
    AssertionClaims, AttemptCreated, AttemptPurpose, AttemptRequest, Confirmation, Decided, LivenessClaim,
};
use ts_rs::{Config, TS};

fn declare<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().map(|d| format!("{d}\n")).unwrap_or_default();
    format!("{docs}export {}\n", T::decl(cfg))
}

fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let declarations = [
        // The page and the server.
        declare::<AttemptRequest>(&cfg),
        declare::<AttemptPurpose>(&cfg),
        declare::<AttemptCreated>(&cfg),
        declare::<Decided>(&cfg),
        // The app's backend.
        declare::<AssertionClaims>(&cfg),
        declare::<LivenessClaim>(&cfg),
        declare::<Confirmation>(&cfg),
    ];
    let mut ts = String::from(
        "// Generated from entry-server's Rust types by `ENTRY_BLESS=1 cargo test -p entry-server --test\n\
         // typescript_types`. Do not edit: change the Rust definition (its serde attributes decide the shape).\n\
         import type { CapturePolicy, ChallengeAction, EntryUser, LivenessMode, UseCase } from './core-types.js';\n\n",
    );
    ts.push_str(&declarations.join("\n"));
    ts
}

#[test]
fn the_typescript_types_are_generated_from_the_server() {
    let path = common::workspace().join("npm/src/server-types.ts");
    let expected = render();
    if std::env::var_os("ENTRY_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is out of date: run ENTRY_BLESS=1 cargo test -p entry-server --test typescript_types",
        path.display()
    );
}
