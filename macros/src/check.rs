//! Definition-time checks of generic models.
//!
//! A concrete model is evaluated by a `const _` item next to it, so `cargo check` reports its
//! shape errors and budgets with no use of it. A generic model's consts are evaluated only for
//! the instances used, and only by `cargo build`: a burn model `Model<B: Backend>` whose consts
//! nothing reads would never be checked. When nothing the cost depends on mentions the type's
//! generic parameters (no layer, costed type, input, batch, dtype, budget or output does), the
//! model is evaluated once, at its definition, through a non-generic stand-in with the same
//! structure; every instance then reads that one evaluation. A model whose cost depends on its
//! parameters is checked for each instance used, as before.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::GenericParam;

use crate::ast::{Body, Decl, Entry, Item};
use crate::attr::{DeclAttrs, Limit};

/// Whether `decl` is generic and its cost depends on none of its generic parameters, so that
/// it can be evaluated at its definition.
pub fn independent(decl: &Decl, attrs: &DeclAttrs, body: &Body) -> bool {
    if decl.generics.params.is_empty() {
        return false;
    }
    let mut names: Vec<String> = decl
        .generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Type(t) => t.ident.to_string(),
            GenericParam::Const(c) => c.ident.to_string(),
            GenericParam::Lifetime(l) => l.lifetime.ident.to_string(),
        })
        .collect();
    // `Self` and the type's own name (`Model::<B>::HIDDEN`) stand for the generic type too.
    names.push("Self".to_owned());
    names.push(decl.name.to_string());
    let mut streams: Vec<TokenStream> = Vec::new();
    for entry in &body.entries {
        entry_tokens(entry, &mut streams);
    }
    if let Some((dims, _)) = &attrs.input {
        streams.extend(dims.iter().map(ToTokens::to_token_stream));
    }
    if let Some((dims, _)) = &attrs.output {
        streams.extend(dims.iter().map(ToTokens::to_token_stream));
    }
    if let Some((batch, _)) = &attrs.batch {
        streams.push(batch.to_token_stream());
    }
    if let Some(dtype) = &attrs.dtype {
        streams.extend(dtype.weights.iter().cloned());
        streams.extend(dtype.activations.iter().cloned());
    }
    for budget in &attrs.budgets {
        if let Limit::Expr(expr) = &budget.limit {
            streams.push(expr.to_token_stream());
        }
    }
    !streams.iter().any(|stream| mentions(stream, &names))
}

/// Every token stream of `entry` that ends up in the model's structure.
fn entry_tokens(entry: &Entry, out: &mut Vec<TokenStream>) {
    item_tokens(&entry.item, out);
}

fn item_tokens(item: &Item, out: &mut Vec<TokenStream>) {
    match item {
        Item::Layer(tokens) => out.push(tokens.clone()),
        Item::Block(ty) => out.push(ty.to_token_stream()),
        Item::Repeat { item, count } => {
            item_tokens(item, out);
            out.push(count.clone());
        }
        Item::Spread(item) => item_tokens(item, out),
        Item::Join { dim, .. } => out.extend(dim.iter().cloned()),
        Item::Tuple(items) => items.iter().for_each(|i| item_tokens(i, out)),
        Item::Seq(body) | Item::Parallel { branches: body, .. } => {
            body.entries.iter().for_each(|e| entry_tokens(e, out));
        }
        Item::Residual { body, shortcut } => {
            body.entries.iter().for_each(|e| entry_tokens(e, out));
            if let Some(shortcut) = shortcut {
                shortcut.entries.iter().for_each(|e| entry_tokens(e, out));
            }
        }
        Item::If {
            cond,
            then,
            otherwise,
        } => {
            out.push(cond.clone());
            then.entries.iter().for_each(|e| entry_tokens(e, out));
            if let Some(otherwise) = otherwise {
                item_tokens(otherwise, out);
            }
        }
    }
}

/// Whether `tokens` contain one of `names` as an identifier (or a lifetime's name), at any depth.
fn mentions(tokens: &TokenStream, names: &[String]) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => names.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions(&group.stream(), names),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::NetworkInput;
    use crate::attr::parse_decl_attrs;
    use crate::ctxt::Errors;
    use quote::quote;
    use syn::parse::Parser;

    fn check(tokens: TokenStream) -> bool {
        let mut errors = Errors::default();
        let parser = |input: syn::parse::ParseStream| NetworkInput::parse(input, &mut errors);
        let parsed = parser.parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
        let decl = &parsed.decls[0];
        let attrs = parse_decl_attrs(&decl.attrs, &mut errors);
        independent(decl, &attrs, decl.body.as_ref().unwrap_or_else(|| panic!()))
    }

    #[test]
    fn generic_parameters_unused_by_the_cost_allow_a_definition_check() {
        assert!(check(quote!([::nncost]
            #[input(1, 28, 28)]
            model Net<B: Backend> { conv: Conv2d::new(8, 3), relu: ReLU }
        )));
        assert!(!check(quote!([::nncost]
            #[input(1, 28, 28)]
            model Net<const C: u64> { conv: Conv2d::new(C, 3) }
        )));
        assert!(!check(quote!([::nncost]
            #[input(C, 28, 28)]
            model Net<const C: u64> { conv: Conv2d::new(8, 3) }
        )));
        assert!(!check(quote!([::nncost]
            #[input(3, 28, 28)]
            model Net<B> { block: Block<B>, fc: Linear::new(10) }
        )));
        assert!(!check(quote!([::nncost]
            #[input(3, 28, 28)]
            #[budget(macs <= LIMIT * N)]
            model Net<const N: u64> { fc: Linear::new(10) }
        )));
        assert!(!check(quote!([::nncost]
            #[input(3)]
            model Net<T> { s: { a: if T::X { fc: Linear::new(10) } } }
        )));
        // Not generic: the concrete check applies instead.
        assert!(!check(quote!([::nncost]
            #[input(3)]
            model Net { fc: Linear::new(10) }
        )));
    }
}
