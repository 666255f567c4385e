//! Named inputs and outputs of a declaration (`block Fpn(c3, c4, c5) -> (p3, p4, p5)`,
//! `model Clip(pixel_values: [3, 224, 224], input_ids: tokens(77)) -> (..)`) and references to
//! named tensors (`lat4`, `backbone.layer2`, `fpn.p3`).

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{bracketed, parenthesized, Ident, Lit, LitStr, Token};

use crate::ast::TensorRef;
use crate::ast::{is_comma, tokens_before, DeclKind, InputShape, InputSpec, OutputSpec, Signature};

/// Parses what may follow a declaration's generics: `(inputs)` and `-> outputs`.
pub fn parse_signature(input: ParseStream, kind: DeclKind) -> syn::Result<Signature> {
    let mut signature = Signature::default();
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        let mut inputs = Vec::new();
        while !content.is_empty() {
            inputs.push(parse_input(&content, kind)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>().map_err(|e| {
                syn::Error::new(e.span(), "expected `,` between inputs, as in `(x, skip)`")
            })?;
        }
        if inputs.is_empty() {
            return Err(input.error(
                "a declaration with `()` needs at least one input; leave the parentheses out for a single unnamed input",
            ));
        }
        // One phase for the whole model: at most one input declares the cache.
        if let Some(second) = inputs.iter().filter(|i| i.cached.is_some()).nth(1) {
            return Err(syn::Error::new(
                second.name.span(),
                "`cached = P` is the model's: declare it on one input",
            ));
        }
        signature.inputs = Some(inputs);
    }
    if input.peek(Token![->]) {
        input.parse::<Token![->]>()?;
        let mut outputs = Vec::new();
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            while !content.is_empty() {
                outputs.push(parse_output(&content)?);
                if content.is_empty() {
                    break;
                }
                content.parse::<Token![,]>().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "expected `,` between outputs, as in `-> (out, aux)`",
                    )
                })?;
            }
            if outputs.is_empty() {
                return Err(input.error("expected at least one output after `->`"));
            }
        } else {
            outputs.push(parse_output(input)?);
        }
        signature.outputs = Some(outputs);
    }
    Ok(signature)
}

/// `name`, or `name: [d, ..]` / `name: tokens(L)` on a model.
fn parse_input(input: ParseStream, kind: DeclKind) -> syn::Result<InputSpec> {
    let name = input.call(Ident::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            match kind {
                DeclKind::Model => {
                    "expected an input, as in `(image: [3, 224, 224], ids: tokens(77))`"
                }
                DeclKind::Block => "expected an input name, as in `block Fpn(c3, c4, c5)`",
            },
        )
    })?;
    if !input.peek(Token![:]) {
        return Ok(InputSpec {
            name,
            shape: None,
            cached: None,
        });
    }
    let mut cached = None;
    input.parse::<Token![:]>()?;
    let shape = if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let mut dims = Vec::new();
        while !content.is_empty() {
            let dim = tokens_before(&content, is_comma)?;
            if dim.is_empty() {
                return Err(content.error("expected a dim, as in `[3, 224, 224]`"));
            }
            dims.push(dim);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        if dims.is_empty() {
            return Err(input.error("an input needs at least one dim, as in `[3, 224, 224]`"));
        }
        InputShape::Dims(dims)
    } else {
        let word = input.fork().call(Ident::parse_any);
        match word {
            Ok(word) if word == "tokens" && input.peek2(syn::token::Paren) => {
                input.call(Ident::parse_any)?;
                let content;
                parenthesized!(content in input);
                let len = tokens_before(&content, is_comma)?;
                if len.is_empty() {
                    return Err(syn::Error::new(
                        word.span(),
                        "expected the sequence length, as in `tokens(77)`",
                    ));
                }
                if content.peek(Token![,]) {
                    content.parse::<Token![,]>()?;
                    let parsed = parse_cached(&content);
                    // After an error, the rest is skipped (not reported as unexpected).
                    let _ = content.parse::<TokenStream>();
                    cached = Some(parsed?);
                }
                InputShape::Tokens(len)
            }
            _ => {
                return Err(input.error(format!(
                    "expected the shape of `{name}`: the dims of one sample in brackets (`{name}: [3, 224, 224]`) or `{name}: tokens(L)` for L token ids"
                )))
            }
        }
    };
    Ok(InputSpec {
        name,
        shape: Some(shape),
        cached,
    })
}

/// `cached = P` after a token input's length.
fn parse_cached(content: ParseStream) -> syn::Result<TokenStream> {
    const FORM: &str = "after the length only `cached = P` may follow: one step over a KV cache of P positions, as in `tokens(1, cached = 4096)`";
    let key = content
        .call(Ident::parse_any)
        .map_err(|e| syn::Error::new(e.span(), FORM))?;
    if key != "cached" {
        let hint = match crate::ctxt::did_you_mean(&key.to_string(), &["cached"]) {
            Some(_) => format!("{FORM}\nhelp: did you mean `cached`?"),
            None => FORM.to_owned(),
        };
        return Err(syn::Error::new(key.span(), hint));
    }
    if !content.peek(Token![=]) {
        return Err(syn::Error::new(key.span(), FORM));
    }
    content.parse::<Token![=]>()?;
    let value: TokenStream = content.parse()?;
    if value.is_empty() {
        return Err(
            content.error("expected the positions already in the KV cache, as in `cached = 4096`")
        );
    }
    Ok(value)
}

/// `tensor` or `tensor as label` (the label an identifier, an integer or a string).
fn parse_output(input: ParseStream) -> syn::Result<OutputSpec> {
    let tensor = parse_tensor_ref(input)?;
    let label = if input.peek(Token![as]) {
        let word = input.parse::<Token![as]>()?;
        let label = if input.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            (ident.to_string(), ident.span())
        } else if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            (lit.value(), lit.span())
        } else {
            match input.parse::<Lit>() {
                Ok(Lit::Int(int)) => (int.base10_digits().to_owned(), int.span()),
                _ => {
                    return Err(syn::Error::new(
                        word.span,
                        "expected the output's name after `as`, as in `p2 as \"0\"`",
                    ))
                }
            }
        };
        Some(label)
    } else {
        None
    };
    Ok(OutputSpec { tensor, label })
}

/// The path segment a string names (`"block1-0"`, `"inner_blocks.3"`): any text but an empty
/// one, an empty segment (`"a..b"`, `".a"`) or whitespace, which no path could show.
pub fn string_label(literal: &syn::LitStr) -> syn::Result<String> {
    let label = literal.value();
    if label.split('.').any(str::is_empty) || label.contains(char::is_whitespace) {
        return Err(syn::Error::new(
            literal.span(),
            format!("`{label:?}` cannot name a layer: a quoted name is a path segment (`\"block1-0\"`), or several joined by dots (`\"inner_blocks.3\"`), none empty and without spaces"),
        ));
    }
    Ok(label)
}

/// `name`, `name.inner`, `name.0`: a named tensor.
pub fn parse_tensor_ref(input: ParseStream) -> syn::Result<TensorRef> {
    let mut parts = Vec::new();
    if input.peek(Lit) {
        // A numbered entry (`3: ReLU`, as `nn.Sequential` numbers its modules) is read by its
        // number: `3`, or `3.1` for an element of it (lexed as one float).
        match input.parse::<Lit>() {
            Ok(Lit::Int(int)) if int.suffix().is_empty() => {
                parts.push((int.base10_digits().to_owned(), int.span()));
            }
            Ok(Lit::Float(float)) if float.suffix().is_empty() => {
                for digits in float.base10_digits().split('.') {
                    parts.push((digits.to_owned(), float.span()));
                }
            }
            // An entry named by a string (`"block1-0": ..`) is read by it, as one name.
            Ok(Lit::Str(text)) => parts.push((string_label(&text)?, text.span())),
            Ok(other) => return Err(syn::Error::new(
                other.span(),
                "expected the name of a tensor, as in `lat4`, `fpn.p3`, `3` (a numbered entry) or `\"block1-0\"` (an entry named by a string)",
            )),
            Err(e) => return Err(e),
        }
    } else {
        let first = input.call(Ident::parse_any).map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the name of a tensor, as in `lat4` or `fpn.p3`",
            )
        })?;
        parts.push((first.unraw().to_string(), first.span()));
    }
    while input.peek(Token![.]) && !input.peek(Token![..]) {
        input.parse::<Token![.]>()?;
        if input.peek(Ident::peek_any) {
            let part = input.call(Ident::parse_any)?;
            parts.push((part.unraw().to_string(), part.span()));
        } else {
            match input.parse::<Lit>() {
                // `a.0.1` lexes its `0.1` as one float: its parts are the digits.
                Ok(Lit::Int(int)) => parts.push((int.base10_digits().to_owned(), int.span())),
                Ok(Lit::Float(float)) => {
                    for digits in float.base10_digits().split('.') {
                        parts.push((digits.to_owned(), float.span()));
                    }
                }
                Ok(Lit::Str(text)) => parts.push((string_label(&text)?, text.span())),
                _ => {
                    return Err(syn::Error::new(
                        Span::call_site(),
                        "expected a name or an index after `.`, as in `fpn.p3` or `layer1.0`",
                    ))
                }
            }
        }
    }
    Ok(TensorRef { parts })
}

/// Whether the tokens ahead are `tensor ->` or `(tensor, ..) ->`: an entry's sources.
pub fn peek_sources(input: ParseStream) -> bool {
    let fork = input.fork();
    if fork.peek(syn::token::Paren) {
        return paren_sources(&fork).unwrap_or(false);
    }
    parse_tensor_ref(&fork).is_ok() && fork.peek(Token![->])
}

/// Whether `(tensor, ..)` follows, then `->`.
fn paren_sources(input: ParseStream) -> syn::Result<bool> {
    let content;
    parenthesized!(content in input);
    while !content.is_empty() {
        parse_tensor_ref(&content)?;
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(input.peek(Token![->]))
}

/// Parses `tensor ->` or `(tensor, ..) ->`.
pub fn parse_sources(input: ParseStream) -> syn::Result<Vec<TensorRef>> {
    let mut sources = Vec::new();
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        while !content.is_empty() {
            sources.push(parse_tensor_ref(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
    } else {
        sources.push(parse_tensor_ref(input)?);
    }
    input.parse::<Token![->]>()?;
    Ok(sources)
}
