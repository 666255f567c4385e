//! trybuild UI tests: every error a user can make is pinned with its message and span.
//!
//! The `.stderr` files are written for the stable rustc installed here (1.95); messages and
//! spans can change between compiler versions. Regenerate them with
//! `TRYBUILD=overwrite cargo test --all-features --test compiletest` (and once more without
//! `--all-features` for `tests/ui/features/default`), then review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    // A pass test makes trybuild build (not only check) the cases, which evaluates budgets on
    // generic instances.
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/assert/*.rs");
    cases.compile_fail("tests/ui/budget/*.rs");
    cases.compile_fail("tests/ui/builder/*.rs");
    cases.compile_fail("tests/ui/overflow/*.rs");
    cases.compile_fail("tests/ui/shape/*.rs");
    cases.compile_fail("tests/ui/syntax/*.rs");
    cases.compile_fail("tests/ui/derive/*.rs");
    cases.compile_fail("tests/ui/sequence/*.rs");
    cases.compile_fail("tests/ui/graph/*.rs");
    cases.compile_fail("tests/ui/llm/*.rs");
    cases.compile_fail("tests/ui/device/*.rs");
    // rustc lists some implementors of `ModelCost` in a missing-impl error; the zoo adds many.
    if cfg!(feature = "zoo") {
        cases.compile_fail("tests/ui/features/zoo/*.rs");
    } else {
        cases.compile_fail("tests/ui/features/default/*.rs");
    }
}
