//! Procedural macros of [nncost](https://docs.rs/nncost). Use them through the `nncost` crate:
//! its `network!`, `assert_budget!` and `const_assert!` pass the path of `nncost` itself, so they keep working
//! when the dependency is renamed.
//!
//! Layout (as thiserror and serde_derive): `ast` and `attr` parse, `valid` checks, `names`
//! numbers repeated layer names, `expand` generates code; `ctxt` collects every error with
//! `syn::Error::combine`.
//! `const_assert!` (in `assert`) splits a top-level comparison so that a failure shows both values.
//! `#[derive(ModelCost)]` reads its attributes in `derive_attr` (struct-level groups in
//! `derive_groups`, the forward order in `derive_forward`) and maps the struct onto the same
//! declaration model in `derive`, so both macros share checks and code generation; it takes the
//! path of `nncost` from `#[nncost(crate = ..)]` (default `::nncost`). `check` decides which
//! generic models are evaluated where they are defined.
//! The mixture-of-experts form `moe(..) { .. }` is parsed, checked and expanded in `moe`; the
//! token input `tokens = T, cached = P`, shared with the derive, in `input`.
//!
//! No input makes a macro panic: the `fuzz` test module (tests only) feeds all four macros
//! mutated and random token streams, 125,000 in every test run and millions on demand.

mod assert;
mod ast;
mod attr;
mod check;
mod ctxt;
mod derive;
mod derive_attr;
mod derive_forward;
mod derive_groups;
mod device_budget;
mod entry;
mod expand;
#[cfg(test)]
mod fuzz;
mod input;
mod moe;
mod names;
mod signature;
mod valid;
mod wiring;

use proc_macro::TokenStream;
use syn::parse::{ParseStream, Parser};

/// Implementation of `nncost::network!`; call that instead.
#[doc(hidden)]
#[proc_macro]
pub fn network_impl(input: TokenStream) -> TokenStream {
    network(input.into()).into()
}

/// Implementation of `nncost::assert_budget!`; call that instead.
#[doc(hidden)]
#[proc_macro]
pub fn assert_budget_impl(input: TokenStream) -> TokenStream {
    assert_budget(input.into()).into()
}

/// Implementation of `nncost::const_assert!`; call that instead.
#[doc(hidden)]
#[proc_macro]
pub fn const_assert_impl(input: TokenStream) -> TokenStream {
    const_assert(input.into()).into()
}

/// `#[derive(ModelCost)]`: costs a struct, field by field. Use it through `nncost`
/// (`use nncost::prelude::*;`), whose docs describe the attributes (section "Deriving").
// `module` is burn's attribute: `#[module(skip)]` fields are skipped here too.
#[proc_macro_derive(ModelCost, attributes(layer, nncost, module))]
pub fn derive_model_cost(input: TokenStream) -> TokenStream {
    derive::derive(input.into()).into()
}

/// `network!` on `proc_macro2` tokens: generated code plus every error found, never a panic.
fn network(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let mut errors = ctxt::Errors::default();
    let parser = |stream: ParseStream| ast::NetworkInput::parse(stream, &mut errors);
    let parsed = parser.parse2(input);
    let out = match errors.ok(parsed) {
        Some(mut parsed) => {
            for body in parsed.decls.iter_mut().filter_map(|d| d.body.as_mut()) {
                names::assign(body);
            }
            expand::network(&parsed, &mut errors)
        }
        None => proc_macro2::TokenStream::new(),
    };
    errors.emit(out)
}

/// `const_assert!` on `proc_macro2` tokens: `[$crate] (condition)`.
fn const_assert(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let mut errors = ctxt::Errors::default();
    let out = assert::const_assert(input, &mut errors);
    errors.emit(out)
}

/// `assert_budget!` on `proc_macro2` tokens: `[$crate] Type: figure <= limit, ..`.
fn assert_budget(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let mut errors = ctxt::Errors::default();
    let parser = |stream: ParseStream| -> syn::Result<proc_macro2::TokenStream> {
        let krate;
        syn::bracketed!(krate in stream);
        let krate: proc_macro2::TokenStream = krate.parse()?;
        let ty: syn::Type = stream.parse()?;
        let colon = stream.parse::<syn::Token![:]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `:` after the model type, as in `assert_budget!(ResNet18: macs <= 2G)`",
            )
        })?;
        let budgets = attr::parse_budgets(stream, &mut errors);
        if budgets.is_empty() && errors.is_empty() {
            return Err(syn::Error::new(
                colon.span,
                "expected at least one limit after `:`, as in `assert_budget!(ResNet18: macs <= 2G)`",
            ));
        }
        Ok(expand::assert_budget(&krate, &ty, &budgets))
    };
    let out = parser.parse2(input);
    let out = errors.ok(out).unwrap_or_default();
    errors.emit(out)
}
