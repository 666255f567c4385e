//! Entries and items of a declaration's body: `name: item`, `name: src -> item`, `_: Block`,
//! unnamed structures, and every item form (layers, types, repeats, tuples, groups, merges,
//! joins of named tensors, conditions), parsed with error recovery.

use proc_macro2::{Span, TokenStream};
use syn::buffer::Cursor;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{braced, bracketed, parenthesized, Attribute, Ident, Token, Type};

use crate::ast::{
    is_brace_group, last_span, tokens_before, Body, Entry, Item, MergeKind, Modes,
    STRUCTURE_KEYWORDS,
};
use crate::ctxt::{did_you_mean, Errors};
use crate::signature::{parse_sources, parse_tensor_ref, peek_sources, string_label};

/// Parses `{ entries }`.
pub fn parse_body(input: ParseStream, errors: &mut Errors) -> syn::Result<Body> {
    let content;
    let brace = braced!(content in input);
    let empty = content.is_empty();
    let entries = parse_entries(&content, errors);
    Ok(Body {
        entries,
        span: brace.span.join(),
        empty,
    })
}

/// Parses comma-separated entries, recovering at the next entry after an error.
pub fn parse_entries(input: ParseStream, errors: &mut Errors) -> Vec<Entry> {
    let mut entries = Vec::new();
    while !input.is_empty() {
        match parse_entry(input, errors) {
            Ok(entry) => entries.push(entry),
            Err(e) => {
                errors.push(e);
                skip_to_next_entry(input);
                continue;
            }
        }
        if input.is_empty() {
            break;
        }
        if input.peek(Token![,]) {
            let _ = input.parse::<Token![,]>();
            continue;
        }
        let previous = entries
            .last()
            .and_then(|e| e.name.as_ref())
            .map(|n| format!(" after `{n}`"));
        if starts_entry(input.cursor()) {
            errors.at(
                input.span(),
                format!(
                    "expected `,` between layers{}",
                    previous.unwrap_or_default()
                ),
            );
        } else {
            errors.at(
                input.span(),
                format!(
                    "unexpected tokens{}: expected `,` and the next `name: layer`",
                    previous.unwrap_or_default()
                ),
            );
            skip_to_next_entry(input);
        }
    }
    entries
}

/// Whether the cursor is at `name:`, `#[`, or an unnamed structure keyword followed by `{`.
fn starts_entry(cursor: Cursor) -> bool {
    if let Some((punct, _)) = cursor.punct() {
        return punct.as_char() == '#';
    }
    if let Some((_, next)) = cursor.literal() {
        // `4: layer`, a numbered entry.
        return next.punct().is_some_and(|(p, after)| {
            p.as_char() == ':' && after.punct().is_none_or(|(p, _)| p.as_char() != ':')
        });
    }
    let Some((ident, next)) = cursor.ident() else {
        return false;
    };
    if ident == "if" {
        return true;
    }
    if let Some((punct, after)) = next.punct() {
        let is_path =
            punct.as_char() == ':' && after.punct().is_some_and(|(p, _)| p.as_char() == ':');
        return punct.as_char() == ':' && !is_path;
    }
    next.group(proc_macro2::Delimiter::Brace).is_some()
        && STRUCTURE_KEYWORDS.contains(&ident.to_string().as_str())
}

/// After an error, skips at least one token, up to just after a `,` that starts a new entry
/// (or what looks like an entry with a mistake of its own: `: layer` without a name, or a
/// layer type without one, `ReLU,`).
fn skip_to_next_entry(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if let proc_macro2::TokenTree::Punct(p) = &tt {
                if p.as_char() == ','
                    && (next.eof() || starts_entry(next) || starts_bad_entry(next))
                {
                    return Ok(((), next));
                }
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Whether the cursor is at `: ..` (a missing name) or at an identifier alone before `,` or the
/// end (a missing name, or a missing `: layer`).
fn starts_bad_entry(cursor: Cursor) -> bool {
    if let Some((punct, after)) = cursor.punct() {
        let path = after.punct().is_some_and(|(p, _)| p.as_char() == ':');
        return punct.as_char() == ':' && !path;
    }
    match cursor.ident() {
        Some((_, next)) => next.eof() || next.punct().is_some_and(|(p, _)| p.as_char() == ','),
        None => false,
    }
}

fn parse_entry(input: ParseStream, errors: &mut Errors) -> syn::Result<Entry> {
    let attrs = input.call(Attribute::parse_outer)?;
    let modes = parse_modes(&attrs, errors);
    let start = input.cursor();
    let first = input.span();
    if is_structure_start(input) || input.peek(Token![if]) {
        let item = if input.peek(Token![if]) {
            parse_if(input, errors)?
        } else {
            parse_structure(input, errors)?
        };
        let last = last_span(start, input.cursor());
        return Ok(Entry {
            modes,
            ..Entry::plain(None, item, first, last)
        });
    }
    if input.peek(Ident::peek_any) && input.peek2(syn::token::Brace) {
        let word = input.fork().call(Ident::parse_any)?;
        if word == "shortcut" {
            return Err(syn::Error::new(
                word.span(),
                "`shortcut { .. }` must follow a `residual { .. }` group",
            ));
        }
        if let Some(keyword) = did_you_mean(&word.to_string(), STRUCTURE_KEYWORDS) {
            return Err(syn::Error::new(
                word.span(),
                format!("unknown group `{word}`\nhelp: did you mean `{keyword} {{ .. }}`? (a named sub-sequence is `{word}: {{ .. }}`)"),
            ));
        }
    }
    if input.peek(Token![_]) {
        // `_: Block`: spliced in, its layers named as if they stood here.
        let underscore = input.parse::<Token![_]>()?;
        if !input.peek(Token![:]) || input.peek(Token![::]) {
            return Err(syn::Error::new(
                underscore.span,
                "expected `_: Block`, which splices a block's layers in under their own names",
            ));
        }
        return Ok(Entry {
            splice: Some(underscore.span),
            ..entry_after_name(input, errors, modes, (start, first))?
        });
    }
    if input.peek(syn::LitInt) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
        // `4: Conv2d::new(..)`: a numbered entry, as `nn.Sequential` numbers its modules.
        let number: syn::LitInt = input.parse()?;
        let index = number.base10_parse::<usize>().map_err(|_| {
            syn::Error::new(
                number.span(),
                "an entry's number is a plain integer, as in `4: Conv2d::new(64, 3)`",
            )
        })?;
        return Ok(Entry {
            label: Some(index.to_string()),
            ..entry_after_name(input, errors, modes, (start, first))?
        });
    }
    if input.peek(syn::LitStr) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
        // `"block1-0": ..`: a name no identifier can hold, taken as it is written.
        let literal: syn::LitStr = input.parse()?;
        let label = string_label(&literal)?;
        return Ok(Entry {
            label: Some(label),
            ..entry_after_name(input, errors, modes, (start, first))?
        });
    }
    let name: Ident = input.call(Ident::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a layer name, as in `conv1: Conv2d::new(64, 3)`",
        )
    })?;
    if starts_layer_value(input, &name) {
        let word = name.to_string();
        return Err(syn::Error::new(
            name.span(),
            format!(
                "expected a layer name before `{word}`: each entry is `name: layer`\nhelp: name it, as in `{}: {word}..`",
                word.to_lowercase()
            ),
        ));
    }
    if !input.peek(Token![:]) || input.peek(Token![::]) {
        return Err(syn::Error::new(
            input.span(),
            format!(
                "expected `:` after the layer name `{name}`, as in `{name}: Conv2d::new(64, 3)`"
            ),
        ));
    }
    Ok(Entry {
        name: Some(name.unraw()),
        ..entry_after_name(input, errors, modes, (start, first))?
    })
}

/// The rest of an entry after its name (`_`, a number, a string or an identifier), from the
/// `:`: its sources and item, unnamed; `at` is where the entry began (cursor and span).
fn entry_after_name(
    input: ParseStream,
    errors: &mut Errors,
    modes: Modes,
    at: (Cursor, Span),
) -> syn::Result<Entry> {
    input.parse::<Token![:]>()?;
    let sources = if peek_sources(input) {
        parse_sources(input)?
    } else {
        Vec::new()
    };
    let item = parse_item(input, errors)?;
    let last = last_span(at.0, input.cursor());
    Ok(Entry {
        sources,
        modes,
        ..Entry::plain(None, item, at.1, last)
    })
}

/// The attributes an entry may carry: doc comments, and the modes `#[train_only]`, `#[frozen]`
/// and `#[shared]`.
fn parse_modes(attrs: &[Attribute], errors: &mut Errors) -> Modes {
    let mut modes = Modes::default();
    for attr in attrs {
        let path = attr.path();
        let slot = if path.is_ident("doc") {
            continue;
        } else if path.is_ident("train_only") {
            &mut modes.train_only
        } else if path.is_ident("frozen") {
            &mut modes.frozen
        } else if path.is_ident("shared") {
            &mut modes.shared
        } else {
            let name = path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let hint = match did_you_mean(&name, &["train_only", "frozen", "shared"]) {
                Some(known) => format!("did you mean `#[{known}]`?"),
                None => "an entry takes doc comments, `#[train_only]` (an auxiliary head counted for its weights only), `#[frozen]` (parameters with requires_grad = False) and `#[shared]` (a repeat of one module)".to_owned(),
            };
            errors.spanned(attr, format!("unknown attribute on a layer\nhelp: {hint}"));
            continue;
        };
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            errors.spanned(attr, "this attribute takes no arguments");
            continue;
        }
        if slot.is_some() {
            errors.spanned(attr, "duplicate attribute");
            continue;
        }
        *slot = Some(syn::spanned::Spanned::span(path));
    }
    modes
}

/// Whether `first` (just parsed as a would-be layer name) rather starts a layer without a name:
/// a path (`Conv2d::new`), a call, generics (`Block<64>`), a method call, or a CamelCase type
/// alone (`ReLU,`).
fn starts_layer_value(input: ParseStream, first: &Ident) -> bool {
    if input.peek(Token![::])
        || input.peek(syn::token::Paren)
        || input.peek(Token![<])
        || input.peek(Token![.])
        || input.peek(Token![!])
    {
        return true;
    }
    let camel = first
        .to_string()
        .trim_start_matches("r#")
        .starts_with(|c: char| c.is_ascii_uppercase());
    camel && (input.is_empty() || input.peek(Token![,]))
}

/// `if cond { entries } [else if .. | else { entries }]`. The condition is any `bool` const
/// expression (const generics included); it is read up to the brace that opens the layers.
fn parse_if(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let keyword = input.parse::<Token![if]>()?;
    let cond_tokens = tokens_before(input, is_brace_group)?;
    if cond_tokens.is_empty() {
        return Err(syn::Error::new(
            keyword.span,
            "expected a condition after `if`, as in `if T != 1 { .. }`",
        ));
    }
    let cond = cond_tokens;
    if !input.peek(syn::token::Brace) {
        return Err(input.error("expected `{` with the layers used when the condition holds"));
    }
    let then = parse_body(input, errors)?;
    let otherwise = if input.peek(Token![else]) {
        input.parse::<Token![else]>()?;
        if input.peek(Token![if]) {
            Some(Box::new(parse_if(input, errors)?))
        } else if input.peek(syn::token::Brace) {
            Some(Box::new(Item::Seq(parse_body(input, errors)?)))
        } else {
            return Err(input.error("expected `{` or `if` after `else`"));
        }
    } else {
        None
    };
    Ok(Item::If {
        cond,
        then,
        otherwise,
    })
}

/// Whether the tokens ahead open a group: `residual {`, `concat {`, `concat(dim = -1) {`, ..
fn is_structure_start(input: ParseStream) -> bool {
    let fork = input.fork();
    match fork.call(Ident::parse_any) {
        Ok(word) if STRUCTURE_KEYWORDS.contains(&word.to_string().as_str()) => {
            if fork.peek(syn::token::Brace) {
                return true;
            }
            // Options in parentheses, then the branches.
            fork.peek(syn::token::Paren)
                && fork
                    .step(|cursor| match cursor.token_tree() {
                        Some((_, next)) => Ok(((), next)),
                        None => Err(cursor.error("end")),
                    })
                    .is_ok()
                && fork.peek(syn::token::Brace)
        }
        _ => false,
    }
}

/// Whether the tokens ahead are a join of named tensors: `add(a, b)` not followed by `{`.
fn is_join_start(input: ParseStream) -> bool {
    let fork = input.fork();
    match fork.call(Ident::parse_any) {
        Ok(word) if merge_kind(&word.to_string()).is_some() => {
            fork.peek(syn::token::Paren) && !is_structure_start(input)
        }
        _ => false,
    }
}

fn merge_kind(word: &str) -> Option<MergeKind> {
    match word {
        "concat" => Some(MergeKind::Concat),
        "add" => Some(MergeKind::Add),
        "mul" => Some(MergeKind::Mul),
        "sub" => Some(MergeKind::Sub),
        "div" => Some(MergeKind::Div),
        "matmul" => Some(MergeKind::MatMul),
        _ => None,
    }
}

/// `dim = expr`: the only option a merge takes (concat's dim); the tokens of `expr`.
fn parse_dim_option(input: ParseStream, keyword: &Ident) -> syn::Result<TokenStream> {
    let key = input.call(Ident::parse_any)?;
    input.parse::<Token![=]>()?;
    let dim = tokens_before(input, crate::ast::is_comma)?;
    if key != "dim" {
        return Err(syn::Error::new(
            key.span(),
            format!("unknown setting `{key}` of `{keyword}`\nhelp: `concat` takes `dim = d` (the dim to join, negative from the end); `add`, `mul` and `matmul` take none"),
        ));
    }
    if keyword != "concat" {
        return Err(syn::Error::new(
            key.span(),
            format!("`{keyword}` takes no `dim`: only `concat` joins along a dim"),
        ));
    }
    if dim.is_empty() {
        return Err(syn::Error::new(
            key.span(),
            "expected the dim after `dim =`, as in `concat(dim = -1)`",
        ));
    }
    Ok(dim)
}

fn parse_structure(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let keyword = input.call(Ident::parse_any)?;
    let mut dim = None;
    if input.peek(syn::token::Paren) {
        let content;
        parenthesized!(content in input);
        dim = Some(parse_dim_option(&content, &keyword)?);
        if !content.is_empty() {
            return Err(content.error("expected `)` after the dim"));
        }
    }
    let body = parse_body(input, errors)?;
    let merge = match keyword.to_string().as_str() {
        "residual" => {
            if dim.is_some() {
                return Err(syn::Error::new(
                    keyword.span(),
                    "a `residual` takes no settings",
                ));
            }
            let shortcut = if input.peek(Ident::peek_any) && input.peek2(syn::token::Brace) {
                let word = input.fork().call(Ident::parse_any)?;
                if word == "shortcut" {
                    input.call(Ident::parse_any)?;
                    Some(parse_body(input, errors)?)
                } else {
                    None
                }
            } else {
                None
            };
            if body.empty {
                errors.at(
                    body.span,
                    "a `residual` group needs at least one layer in its body",
                );
            }
            return Ok(Item::Residual { body, shortcut });
        }
        word => merge_kind(word).unwrap_or(MergeKind::Mul),
    };
    // One repeated branch is as many branches as copies: `add { experts: [Expert; 4] }`.
    let repeated = body.entries.len() == 1 && matches!(body.entries[0].item, Item::Repeat { .. });
    if body.entries.len() < 2 && !repeated && (body.empty || body.entries.len() == 1) {
        errors.at(
            body.span,
            format!("`{keyword}` merges parallel branches and needs at least two of them (or one repeated, as in `{keyword} {{ experts: [Expert; 4] }}`)"),
        );
    }
    Ok(Item::Parallel {
        merge,
        dim,
        branches: body,
    })
}

/// `add(a, b)`, `concat(p3, p4, dim = 1)`: named tensors merged.
fn parse_join(input: ParseStream) -> syn::Result<Item> {
    let keyword = input.call(Ident::parse_any)?;
    let merge = merge_kind(&keyword.to_string()).unwrap_or(MergeKind::Add);
    let content;
    let paren = parenthesized!(content in input);
    let mut operands = Vec::new();
    let mut dim = None;
    while !content.is_empty() {
        if content.peek(Ident::peek_any) && content.peek2(Token![=]) && !content.peek2(Token![==]) {
            dim = Some(parse_dim_option(&content, &keyword)?);
        } else {
            if dim.is_some() {
                return Err(content.error("the `dim` comes after the tensors"));
            }
            operands.push(parse_tensor_ref(&content)?);
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if operands.len() < 2 {
        return Err(syn::Error::new(
            paren.span.join(),
            format!("`{keyword}(..)` merges at least two named tensors, as in `{keyword}(a, b)`"),
        ));
    }
    Ok(Item::Join {
        merge,
        dim,
        operands,
        span: keyword.span(),
    })
}

/// One item: a layer value, a costed type, `[item; n]`, `(item, ..)`, `{ .. }` or a structure
/// (also what `#[layer(..)]` holds on a derived struct's field).
pub fn parse_item(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    if input.peek(syn::token::Bracket) {
        let content;
        bracketed!(content in input);
        let item = parse_item(&content, errors)?;
        if !content.peek(Token![;]) {
            return Err(syn::Error::new(
                content.span(),
                "expected `;` and a repeat count, as in `[BasicBlock<64, 1>; 2]`",
            ));
        }
        let semi = content.parse::<Token![;]>()?;
        let count: TokenStream = content.parse()?;
        if count.is_empty() {
            return Err(syn::Error::new(
                semi.span,
                "expected a repeat count after `;`, as in `[BasicBlock<64, 1>; 2]`",
            ));
        }
        return Ok(Item::Repeat {
            item: Box::new(item),
            count,
        });
    }
    if input.peek(syn::token::Paren) {
        let content;
        let paren = parenthesized!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            if content.peek(Token![..]) {
                // `..[Rest; n]`: a repeat whose copies continue the tuple's numbering.
                let dots = content.parse::<Token![..]>()?;
                let rest = parse_item(&content, errors)?;
                if !matches!(rest, Item::Repeat { .. }) {
                    return Err(syn::Error::new(
                        dots.spans[0],
                        "`..` spreads a repeat into the tuple, as in `(First, ..[Rest; 5])`",
                    ));
                }
                if content.peek(Token![,]) {
                    content.parse::<Token![,]>()?;
                }
                if !content.is_empty() {
                    return Err(content.error(
                        "`..[item; n]` must be the tuple's last element (the copies after it would have no fixed index)",
                    ));
                }
                items.push(Item::Spread(Box::new(rest)));
                break;
            }
            items.push(parse_item(&content, errors)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        if items.is_empty() {
            return Err(syn::Error::new(
                paren.span.join(),
                "an empty `()` has no layers: list blocks as `(Block<1>, Block<2>)`",
            ));
        }
        return Ok(Item::Tuple(items));
    }
    if input.peek(syn::token::Brace) {
        let body = parse_body(input, errors)?;
        if body.empty {
            errors.at(
                body.span,
                "an empty `{}` has no layers\nhelp: a branch that passes its input on unchanged is `Identity`",
            );
        }
        return Ok(Item::Seq(body));
    }
    if is_structure_start(input) {
        return parse_structure(input, errors);
    }
    if is_join_start(input) {
        return parse_join(input);
    }
    if input.peek(Token![if]) {
        return parse_if(input, errors);
    }
    if crate::moe::starts(input) {
        return crate::moe::parse(input, errors);
    }
    parse_leaf(input)
}

/// A type (`BasicBlock<64, 1>`, `ReLU`) or a layer value (`Conv2d::new(64, 3)`, `MY_CONV`).
///
/// A path is a type unless it has call parentheses, or its last segment is a bare
/// SCREAMING_CASE name (a constant).
fn parse_leaf(input: ParseStream) -> syn::Result<Item> {
    let fork = input.fork();
    if let Ok(ty) = fork.parse::<Type>() {
        let ends = fork.is_empty() || fork.peek(Token![,]) || fork.peek(Token![;]);
        if ends && is_block_type(&ty) {
            input.parse::<Type>()?;
            return Ok(Item::Block(ty));
        }
    }
    let tokens = expression_tokens(input);
    if tokens.is_empty() {
        return Err(input.error(
            "expected a layer (`Conv2d::new(64, 3)`), a block type (`BasicBlock<64, 1>`), `[item; n]`, `(item, ..)` or `{ name: item, .. }`",
        ));
    }
    Ok(Item::Layer(tokens))
}

/// The tokens of a layer expression: everything up to a top-level `,` or `;`, or up to a
/// `name:` that starts the next entry (a missing comma, reported by the caller). Commas inside
/// brackets are inside groups already; a turbofish's `<..>` is tracked so that
/// `Foo::<1, 2>::new()` stays whole. Not parsing the expression keeps syn's `full` feature off.
fn expression_tokens(input: ParseStream) -> TokenStream {
    input
        .step(|cursor| {
            let mut rest = *cursor;
            let mut tokens = TokenStream::new();
            let mut angle_depth = 0usize;
            // `::` is a joint `:` followed by `:`; a `<` right after it opens a turbofish.
            let mut after_path_sep = false;
            let mut joint_colon = false;
            while let Some((tt, next)) = rest.token_tree() {
                if let proc_macro2::TokenTree::Punct(p) = &tt {
                    let c = p.as_char();
                    if angle_depth == 0 && (c == ',' || c == ';') {
                        break;
                    }
                    if c == '<' && (after_path_sep || angle_depth > 0) {
                        angle_depth += 1;
                    } else if c == '>' && angle_depth > 0 {
                        angle_depth -= 1;
                    }
                    after_path_sep = c == ':' && joint_colon;
                    joint_colon = c == ':' && p.spacing() == proc_macro2::Spacing::Joint;
                } else {
                    after_path_sep = false;
                    joint_colon = false;
                    if angle_depth == 0 && !tokens.is_empty() && starts_entry(rest) {
                        break;
                    }
                }
                tokens.extend([tt]);
                rest = next;
            }
            Ok((tokens, rest))
        })
        .unwrap_or_default()
}

fn is_block_type(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => {
            if path.qself.is_some() {
                return true;
            }
            let segments = &path.path.segments;
            if segments
                .iter()
                .any(|s| matches!(s.arguments, syn::PathArguments::Parenthesized(_)))
            {
                return false;
            }
            match segments.last() {
                Some(last) if last.arguments.is_none() => {
                    !is_screaming_case(&last.ident.to_string())
                }
                Some(_) => true,
                None => false,
            }
        }
        Type::Group(group) => is_block_type(&group.elem),
        _ => false,
    }
}

fn is_screaming_case(name: &str) -> bool {
    let name = name.trim_start_matches("r#");
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !SHORT_UPPERCASE_TYPES.contains(&name)
}

/// All-caps names that are types by convention (layer and block names), not constants.
pub const SHORT_UPPERCASE_TYPES: &[&str] = &[
    "GELU", "GRU", "LSTM", "RNN", "SELU", "CELU", "ELU", "PReLU", "MLP",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screaming_case_means_constant() {
        assert!(is_screaming_case("MY_CONV"));
        assert!(is_screaming_case("STEM"));
        assert!(!is_screaming_case("GELU"));
        assert!(!is_screaming_case("ReLU"));
        assert!(!is_screaming_case("Conv2d"));
    }
}
