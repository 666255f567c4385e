//! `const_assert!`: any `bool` const condition, checked in a `const _` item. A comparison
//! (`==`, `!=`, `<`, `<=`, `>`, `>=`) at the top of the condition is checked by
//! `check_comparison`, whose failure shows both values
//! (`const_assert!(Net::MACS == 56_510_401) failed: 56,510,400 != 56,510,401`); anything else
//! (`a && b`, a `const fn` call, a block) by `assert!` as before, through the facade's
//! `macro_rules!` form.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::parse::{ParseStream, Parser};
use syn::{BinOp, Expr};

use crate::ctxt::Errors;
use crate::expand::spanned_call;

/// `const_assert!` on `proc_macro2` tokens: `[$crate] (condition [,])`.
///
/// The condition comes in the parentheses the facade put around the user's tokens, and goes out
/// in that same group to `stringify!` and to the `assert!` form: a group passed on untouched
/// keeps the user's spacing (`Net::MACS`, where tokens rebuilt here would print `Net :: MACS`).
pub fn const_assert(input: TokenStream, errors: &mut Errors) -> TokenStream {
    let parser = |stream: ParseStream| -> syn::Result<(TokenStream, Group)> {
        let krate;
        syn::bracketed!(krate in stream);
        let krate = krate.parse()?;
        let condition: Group = stream.parse()?;
        if condition.delimiter() != Delimiter::Parenthesis {
            return Err(syn::Error::new(condition.span(), "expected `(condition)`"));
        }
        Ok((krate, condition))
    };
    let Some((krate, group)) = errors.ok(parser.parse2(input)) else {
        return TokenStream::new();
    };
    let mut tokens: Vec<TokenTree> = group.stream().into_iter().collect();
    if matches!(tokens.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        tokens.pop();
    }
    if tokens.is_empty() {
        errors.at(
            group.span(),
            "expected a const condition, as in `const_assert!(A::MACS < B::MACS)`",
        );
        return TokenStream::new();
    }
    let first = tokens.first().map_or_else(Span::call_site, TokenTree::span);
    let last = tokens.last().map_or_else(Span::call_site, TokenTree::span);
    let condition: TokenStream = tokens.into_iter().collect();
    let (lhs, op, rhs, variant) = match syn::parse2::<Expr>(condition) {
        Ok(Expr::Binary(binary)) => match comparison(&binary.op) {
            Some(variant) => (binary.left, binary.op, binary.right, variant),
            None => return plain(&krate, &group),
        },
        _ => return plain(&krate, &group),
    };
    let variant = format_ident!("{}", variant);
    let message = quote! {
        ::core::concat!("const_assert!(", ::core::stringify! #group, ") failed")
    };
    // The operands bound once (as `assert_eq!` does), the comparison made where their type is
    // concrete, both values passed on for the message. In the block's tail, whose type the
    // const fixes, so that a literal operand is not taken for an unconstrained one
    // (`clippy::default_numeric_fallback`); the locals are hygienic, so the operands may name
    // the user's own `lhs`.
    let l = syn::Ident::new("lhs", Span::mixed_site());
    let r = syn::Ident::new("rhs", Span::mixed_site());
    let check = spanned_call(
        first,
        last,
        quote!(__nncost::check_comparison),
        quote!(#l #op #r, #l, #r, __nncost::Comparison::#variant, #message),
    );
    quote! {
        const _: () = {
            use #krate::__private as __nncost;
            match (#lhs, #rhs) {
                (#l, #r) => #check,
            }
        };
    }
}

/// The `Comparison` variant of a comparison operator.
fn comparison(op: &BinOp) -> Option<&'static str> {
    match op {
        BinOp::Eq(_) => Some("Eq"),
        BinOp::Ne(_) => Some("Ne"),
        BinOp::Lt(_) => Some("Lt"),
        BinOp::Le(_) => Some("Le"),
        BinOp::Gt(_) => Some("Gt"),
        BinOp::Ge(_) => Some("Ge"),
        _ => None,
    }
}

/// Any other condition (or tokens that are not an expression syn reads without its `full`
/// feature, such as a block), as `const_assert!` always checked it: through the facade's
/// `macro_rules!` form, so behaviour and errors stay what they were.
fn plain(krate: &TokenStream, condition: &Group) -> TokenStream {
    let condition = condition.stream();
    quote! {
        #krate::__private::const_assert_plain! { #condition }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: TokenStream) -> String {
        let mut errors = Errors::default();
        let out = const_assert(input, &mut errors);
        errors.emit(out).to_string()
    }

    #[test]
    fn a_comparison_is_checked_with_both_values() {
        let out = expand(quote!([::nncost](Net::MACS * 10 == 56_510_401)));
        assert!(out.contains("check_comparison"), "{out}");
        assert!(out.contains("Comparison :: Eq"), "{out}");
        assert!(
            out.contains("match (Net :: MACS * 10 , 56_510_401)"),
            "{out}"
        );
    }

    #[test]
    fn other_conditions_keep_assert() {
        for input in [
            quote!([::nncost](A::MACS < B::MACS && B::MACS < C::MACS)),
            quote!([::nncost](is_small(A::MACS))),
            quote!([::nncost](A::OK,)),
        ] {
            let out = expand(input);
            assert!(out.contains("const_assert_plain !"), "{out}");
            assert!(!out.contains("check_comparison"), "{out}");
        }
    }

    #[test]
    fn a_trailing_comma_is_allowed_and_nothing_is_an_error() {
        assert!(expand(quote!([::nncost](A::MACS < 10,))).contains("check_comparison"));
        assert!(expand(quote!([::nncost](A::<1, 2>::MACS < 10))).contains("check_comparison"));
        assert!(expand(quote!([::nncost]())).contains("expected a const condition"));
        assert!(expand(quote!([::nncost] A < B)).contains("compile_error"));
    }
}
