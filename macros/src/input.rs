//! `tokens = T [, cached = P]`: the token input of a sequence model, as `network!`'s
//! `#[input(..)]` and the derive's `input(..)` write it (one parser for both).

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Expr, Ident, Token};

use crate::ast::last_span;
use crate::ctxt::did_you_mean;

/// What `tokens = T [, cached = P]` declares: the input is `[N, T]` token ids, and with `cached`
/// the model is costed as one step over a KV cache holding `P` positions.
pub struct TokenInput {
    /// `T`.
    pub len: Expr,
    /// `P`, if given.
    pub cached: Option<Expr>,
    /// The first and last span of `tokens = T`.
    pub spans: (Span, Span),
}

/// `tokens = T [, cached = P]` (the inside of `#[input(..)]`, or of the derive's `input(..)` with
/// `derive`), or `None` (consuming nothing of meaning) when the attribute lists dims.
pub fn token_input(input: ParseStream, derive: bool) -> syn::Result<Option<TokenInput>> {
    // How messages write the attribute, around `inside`.
    let attr = |inside: &str| {
        if derive {
            format!("`input({inside})`")
        } else {
            format!("`#[input({inside})]`")
        }
    };
    if !(input.peek(Ident::peek_any) && input.peek2(Token![=])) {
        input.parse::<proc_macro2::TokenStream>()?;
        return Ok(None);
    }
    let key = input.call(Ident::parse_any)?;
    if key != "tokens" {
        let hint = if key == "cached" {
            format!(
                "`cached = P` follows `tokens = T`, as in {}",
                attr("tokens = 1, cached = 4096")
            )
        } else {
            format!(
                "write the dims of one sample ({}) or `tokens = L` for a sequence of L token ids",
                attr("3, 224, 224")
            )
        };
        let name = if derive { "`input`" } else { "`#[input]`" };
        return Err(syn::Error::new(
            key.span(),
            format!("unknown {name} setting `{key}`\nhelp: {hint}"),
        ));
    }
    input.parse::<Token![=]>()?;
    let start = input.cursor();
    let len: Expr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the sequence length, as in `tokens = 128`",
        )
    })?;
    let last = last_span(start, input.cursor());
    let alone = || {
        syn::Error::new(
            input.span(),
            format!(
                "after `tokens = L` only `cached = P` may follow: the input is `[N, L]` token ids, as in {}, or one step over a KV cache of P positions, as in {}",
                attr("tokens = 128"),
                attr("tokens = 1, cached = 4096")
            ),
        )
    };
    let mut cached = None;
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
        if input.peek(Ident::peek_any) && input.peek2(Token![=]) {
            let key = input.call(Ident::parse_any)?;
            if key != "cached" {
                let hint = match did_you_mean(&key.to_string(), &["cached"]) {
                    Some(_) => "did you mean `cached`?",
                    None => "`cached = P` declares a step over a KV cache holding P positions",
                };
                let name = if derive { "`input`" } else { "`#[input]`" };
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown {name} setting `{key}`\nhelp: {hint}"),
                ));
            }
            input.parse::<Token![=]>()?;
            cached = Some(input.parse::<Expr>().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected the positions already in the KV cache, as in `cached = 4096`",
                )
            })?);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            }
        } else if !input.is_empty() {
            return Err(alone());
        }
    }
    if !input.is_empty() {
        return Err(alone());
    }
    Ok(Some(TokenInput {
        len,
        cached,
        spans: (key.span(), last),
    }))
}
