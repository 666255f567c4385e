//! trybuild UI tests: every error a user can make is pinned with its message and span.
//!
//! The `.stderr` files are written for the stable rustc installed here (1.95); messages and
//! spans can change between compiler versions. Regenerate them with
//! `TRYBUILD=overwrite cargo test --test compiletest` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    // A pass test makes trybuild build (not only check) the cases, which evaluates budgets on
    // generic instances.
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/budget/*.rs");
    cases.compile_fail("tests/ui/shape/*.rs");
    cases.compile_fail("tests/ui/syntax/*.rs");
}
