//! The TypeScript error codes are generated from the core's `ErrorCode`: this test renders them and
//! fails when `npm/src/error-codes.ts` differs (a code added or removed on one side only).
//! `ENTRY_BLESS=1 cargo test -p entry-core --test error_codes` writes the file.

mod common;

use entry_core::ErrorCode;

fn render() -> String {
    let mut ts = String::from(
        "// Generated from entry-core's `ErrorCode` (crates/entry-core/src/codes.rs) by\n\
         // `ENTRY_BLESS=1 cargo test -p entry-core --test error_codes`. Do not edit: change the Rust list.\n\n\
         /** Every failure the SDK reports, as a stable code a web developer can branch on. */\n\
         export const ErrorCode = {\n",
    );
    for code in ErrorCode::ALL {
        ts.push_str(&format!("  /** {} */\n  {}: '{}',\n", code.description(), code.as_str(), code.as_str()));
    }
    ts.push_str("} as const;\nexport type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];\n\n");
    ts.push_str("/** Codes where trying again (better light, another attempt, the network back) can succeed. */\n");
    ts.push_str("export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([\n");
    for code in ErrorCode::ALL.iter().filter(|c| c.is_retryable()) {
        ts.push_str(&format!("  ErrorCode.{},\n", code.as_str()));
    }
    ts.push_str("]);\n");
    ts
}

#[test]
fn the_typescript_error_codes_are_generated_from_the_core() {
    common::check_generated("npm/src/error-codes.ts", &render(), "error_codes");
}
