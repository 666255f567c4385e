//! `moe(experts = E, top_k = k) { gate: .., experts: .., shared_expert: .., shared_expert_gate: .. }`:
//! a mixture of experts, parsed, checked and expanded here (`ast`, `valid` and `expand` call in).
//!
//! The parts are named entries whose names say their role, Hugging Face's names:
//! the router `gate` (or `router`), the expert `experts` (or `expert`), and optionally the
//! shared expert `shared_expert` (or `shared_experts`, `shared`) and its gate
//! `shared_expert_gate` (or `shared_gate`).

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{parenthesized, Ident, Token};

use crate::ast::{is_comma, tokens_before, Body, Entry, Item};
use crate::ctxt::{did_you_mean, Errors};

/// A parsed `moe(..) { .. }`.
#[derive(Clone)]
pub struct Moe {
    /// The `moe` keyword, where a bad `experts`/`top_k` is reported.
    pub keyword: Span,
    /// The closing span of the settings, for the same.
    pub settings_end: Span,
    /// `E`, a `u64` const expression.
    pub experts: TokenStream,
    /// `k`, a `u64` const expression.
    pub top_k: TokenStream,
    /// The router.
    pub router: Entry,
    /// One expert.
    pub expert: Entry,
    /// The shared expert, if any.
    pub shared: Option<Entry>,
    /// The shared expert's gate, if any.
    pub shared_gate: Option<Entry>,
}

/// The roles, each with the names that give it (the first is the one messages suggest).
const ROLES: [(&str, &[&str]); 4] = [
    ("router", &["gate", "router"]),
    ("expert", &["experts", "expert"]),
    (
        "the shared expert",
        &["shared_expert", "shared_experts", "shared"],
    ),
    (
        "the shared expert's gate",
        &["shared_expert_gate", "shared_gate"],
    ),
];

const SETTINGS: &[&str] = &["experts", "top_k"];
const EXAMPLE: &str =
    "moe(experts = 8, top_k = 2) { gate: Linear::new(8).bias(false), experts: MyExpert }";

/// Whether the input starts `moe(..) {` (a call `moe(..)` not followed by a brace is a layer
/// value, someone's `const fn moe`).
pub fn starts(input: ParseStream) -> bool {
    let fork = input.fork();
    match fork.call(Ident::parse_any) {
        Ok(word) if word == "moe" => {}
        _ => return false,
    }
    matches!(fork.parse::<TokenTree>(), Ok(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis)
        && fork.peek(syn::token::Brace)
}

/// Parses `moe(experts = E, top_k = k) { entries }`.
pub fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let keyword = input.call(Ident::parse_any)?.span();
    let content;
    let paren = parenthesized!(content in input);
    let settings = parse_settings(&content);
    // After an error, the rest of the settings is skipped (not reported as unexpected).
    let _ = content.parse::<TokenStream>();
    let (experts, top_k) = settings?;
    let body = crate::entry::parse_body(input, errors)?;
    let (Some(experts), Some(top_k)) = (experts, top_k) else {
        return Err(syn::Error::new(
            keyword,
            format!("a mixture of experts needs `experts = E` and `top_k = k`, as in `{EXAMPLE}`"),
        ));
    };
    let mut parts: [Option<Entry>; 4] = [None, None, None, None];
    for entry in body.entries {
        let Some(name) = entry.name.clone() else {
            errors.at(
                entry.first,
                "the parts of a `moe` are named by their role: `gate` (the router), `experts`, and optionally `shared_expert` and `shared_expert_gate`",
            );
            continue;
        };
        let word = name.to_string();
        let Some(role) = ROLES
            .iter()
            .position(|(_, names)| names.contains(&word.as_str()))
        else {
            let all: Vec<&str> = ROLES
                .iter()
                .flat_map(|(_, names)| names.iter().copied())
                .collect();
            let hint = match did_you_mean(&word, &all) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "the parts of a `moe` are `gate` (the router, one score per expert), `experts` (one expert, costed E times), and optionally `shared_expert` (run on every token) and `shared_expert_gate` (its sigmoid gate)".to_owned(),
            };
            errors.at(
                name.span(),
                format!("unknown part `{word}` of a mixture of experts\nhelp: {hint}"),
            );
            continue;
        };
        if parts[role].is_some() {
            let (what, names) = ROLES[role];
            errors.at(
                name.span(),
                format!(
                    "`{word}` is a second {what}: a mixture has one (named `{}`)",
                    names.join("` or `")
                ),
            );
            continue;
        }
        parts[role] = Some(entry);
    }
    let [router, expert, shared, shared_gate] = parts;
    let (Some(router), Some(expert)) = (router, expert) else {
        return Err(syn::Error::new(
            body.span,
            format!("a mixture of experts needs a router `gate` and an expert `experts`, as in `{EXAMPLE}`"),
        ));
    };
    if shared_gate.is_some() && shared.is_none() {
        return Err(syn::Error::new(
            body.span,
            "`shared_expert_gate` gates a shared expert: add `shared_expert: ..`",
        ));
    }
    Ok(Item::Moe(Box::new(Moe {
        keyword,
        settings_end: paren.span.close(),
        experts,
        top_k,
        router,
        expert,
        shared,
        shared_gate,
    })))
}

/// `experts = E, top_k = k`, in any order, each a `u64` const expression.
fn parse_settings(content: ParseStream) -> syn::Result<(Option<TokenStream>, Option<TokenStream>)> {
    let (mut experts, mut top_k) = (None, None);
    while !content.is_empty() {
        let key = content.call(Ident::parse_any).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `experts = E` or `top_k = k`, as in `{EXAMPLE}`"),
            )
        })?;
        let word = key.to_string();
        let slot = match word.as_str() {
            "experts" => &mut experts,
            "top_k" => &mut top_k,
            _ => {
                let hint = match did_you_mean(&word, SETTINGS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "a mixture takes `experts = E` (how many experts) and `top_k = k` (how many each token runs through)".to_owned(),
                };
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown `moe` setting `{word}`\nhelp: {hint}"),
                ));
            }
        };
        if !content.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!("`{word}` takes a value, as in `{word} = 2`"),
            ));
        }
        content.parse::<Token![=]>()?;
        let value = tokens_before(content, is_comma)?;
        if value.is_empty() {
            return Err(content.error(format!("expected a value for `{word}`")));
        }
        if slot.is_some() {
            return Err(syn::Error::new(
                key.span(),
                format!("`{word}` is given twice"),
            ));
        }
        *slot = Some(value);
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok((experts, top_k))
}

/// The `Node::Mixture` of `moe`; `entry` expands a part, `span` is for the structure's tokens.
///
/// The mixture is a struct literal, not a call to `Mixture::new`: the parts' entries hold
/// borrowed slices, which must stay one constant with the rest of the structure (a call's
/// arguments would be temporaries). The settings are checked by a call beside it.
pub fn expand(moe: &Moe, span: Span, mut entry: impl FnMut(&Entry) -> TokenStream) -> TokenStream {
    let (experts, top_k) = (&moe.experts, &moe.top_k);
    let router = entry(&moe.router);
    let expert = entry(&moe.expert);
    let optional = |part: Option<TokenStream>| match part {
        Some(part) => quote_spanned!(span=> ::core::option::Option::Some(#part)),
        None => quote_spanned!(span=> ::core::option::Option::None),
    };
    let shared = optional(moe.shared.as_ref().map(&mut entry));
    let gate = optional(moe.shared_gate.as_ref().map(&mut entry));
    // `top_k <= experts`, reported at `moe(..)`.
    let check = crate::expand::spanned_call(
        moe.keyword,
        moe.settings_end,
        quote!(__nncost::NncostMixture::check),
        quote!((#experts), (#top_k)),
    );
    quote_spanned! {span=> {
        #check;
        __nncost::NncostNode::Mixture(&__nncost::NncostMixture {
            experts: #experts,
            top_k: #top_k,
            router: #router,
            expert: #expert,
            shared: #shared,
            shared_gate: #gate,
        })
    }}
}

impl Moe {
    /// The parts present, in order: router, expert, shared expert, its gate.
    pub fn parts(&self) -> impl Iterator<Item = &Entry> {
        [
            Some(&self.router),
            Some(&self.expert),
            self.shared.as_ref(),
            self.shared_gate.as_ref(),
        ]
        .into_iter()
        .flatten()
    }

    /// The parts present, mutably (for naming the scopes inside them).
    pub fn parts_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        [
            Some(&mut self.router),
            Some(&mut self.expert),
            self.shared.as_mut(),
            self.shared_gate.as_mut(),
        ]
        .into_iter()
        .flatten()
    }
}

/// Checks every mixture in `body`, at any depth: each part, and every layer inside one, reads
/// the mixture's input (named tensors are not visible there), and the entry modes
/// (`#[frozen]`, ..) go on the mixture's own entry.
pub fn check_body(body: &Body, errors: &mut Errors) {
    for entry in &body.entries {
        check_item(&entry.item, errors);
    }
}

fn check_item(item: &Item, errors: &mut Errors) {
    match item {
        Item::Moe(moe) => {
            for part in moe.parts() {
                let modes = &part.modes;
                if let Some(span) = modes.train_only.or(modes.frozen).or(modes.shared) {
                    errors.at(
                        span,
                        "the parts of a `moe` run in the mixture's mode: put `#[train_only]`, `#[frozen]` or `#[shared]` on the mixture's entry",
                    );
                }
                check_reads(part, errors);
                check_item(&part.item, errors);
            }
        }
        Item::Repeat { item, .. } | Item::Spread(item) => check_item(item, errors),
        Item::Tuple(items) => items.iter().for_each(|i| check_item(i, errors)),
        other => other.for_each_body(&mut |body| check_body(body, errors)),
    }
}

const NO_NAMED_TENSORS: &str =
    "inside a `moe`, every part reads the mixture's input: named tensors are not visible here";

/// Reports an entry inside a mixture that reads named tensors.
fn check_reads(entry: &Entry, errors: &mut Errors) {
    if let Some(source) = entry.sources.first() {
        errors.at(source.span(), NO_NAMED_TENSORS);
    }
    check_item_reads(&entry.item, errors);
}

fn check_body_reads(body: &Body, errors: &mut Errors) {
    for entry in &body.entries {
        check_reads(entry, errors);
    }
}

fn check_item_reads(item: &Item, errors: &mut Errors) {
    match item {
        Item::Seq(body) | Item::Parallel { branches: body, .. } => check_body_reads(body, errors),
        Item::Residual { body, shortcut } => {
            check_body_reads(body, errors);
            if let Some(shortcut) = shortcut {
                check_body_reads(shortcut, errors);
            }
        }
        Item::If {
            then, otherwise, ..
        } => {
            check_body_reads(then, errors);
            if let Some(otherwise) = otherwise {
                check_item_reads(otherwise, errors);
            }
        }
        Item::Repeat { item, .. } | Item::Spread(item) => check_item_reads(item, errors),
        Item::Tuple(items) => items.iter().for_each(|i| check_item_reads(i, errors)),
        Item::Join { span, .. } => errors.at(*span, NO_NAMED_TENSORS),
        Item::Layer(_) | Item::Block(_) | Item::Moe(_) => {}
    }
}
