//! The syntax of `network!` declarations, parsed with error recovery: a mistake in one layer is
//! reported and parsing resumes at the next layer, so several mistakes show at once.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::buffer::Cursor;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{braced, bracketed, parenthesized, Attribute, Generics, Ident, Token, Type, Visibility};

use crate::ctxt::{did_you_mean, Errors};

/// Everything inside one `network! { .. }`.
pub struct NetworkInput {
    /// The path to the facade crate (`$crate` from the trampoline).
    pub krate: TokenStream,
    /// The declarations, in order; failed ones keep what is needed for a fallback.
    pub decls: Vec<Decl>,
}

/// `block` or `model`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    /// A reusable piece with no input of its own.
    Block,
    /// A complete network with an input shape.
    Model,
}

/// One `[attrs] [vis] block|model Name<..> { entries }`.
pub struct Decl {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub kind: DeclKind,
    pub kind_span: Span,
    pub name: Ident,
    pub generics: Generics,
    /// `None` when the body did not parse: only a fallback is emitted.
    pub body: Option<Body>,
}

/// A braced list of named entries.
#[derive(Clone)]
pub struct Body {
    pub entries: Vec<Entry>,
    pub span: Span,
    /// Whether the braces held no tokens at all (so "no layers" is not an echo of a parse error).
    pub empty: bool,
}

/// `name: item`, or an unnamed structure (`residual { .. } shortcut { .. }`, `concat { .. }`).
#[derive(Clone)]
pub struct Entry {
    pub name: Option<Ident>,
    /// A tuple struct's field (`#[derive(ModelCost)]`): named by its index, which no `Ident`
    /// can hold. `None` in `network!`.
    pub index: Option<usize>,
    pub item: Item,
    /// First and last token of the entry, to point errors at the whole entry.
    pub first: Span,
    pub last: Span,
    /// The name in layer paths when it differs from `name` (a repeated name, numbered by
    /// [`crate::names`]).
    pub rename: Option<String>,
    /// The name this entry repeats, when it applies the same module again (see
    /// [`crate::names`]).
    pub reuses: Option<String>,
}

/// How parallel branches merge.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MergeKind {
    Concat,
    Add,
    Mul,
    /// `matmul { .. }`: the matrix product of the branches, left to right.
    MatMul,
}

/// What an entry contains.
#[derive(Clone)]
pub enum Item {
    /// A layer value: `Conv2d::new(64, 3).stride(2)`, `LeakyReLU::new(0.1)`, `MY_LAYER`; the
    /// expression's tokens as written (rustc checks them where they are emitted).
    Layer(TokenStream),
    /// A costed type: `BasicBlock<64, 1>`, `ReLU`, `other_crate::Block`.
    Block(Type),
    /// `[item; count]`.
    Repeat { item: Box<Item>, count: TokenStream },
    /// `(item, item, ..)`: a sequence named `0`, `1`, ...
    Tuple(Vec<Item>),
    /// `{ name: item, .. }`: an inline sequence.
    Seq(Body),
    /// `residual { .. } [shortcut { .. }]`.
    Residual { body: Body, shortcut: Option<Body> },
    /// `concat { .. }`, `add { .. }`, `mul { .. }`, `matmul { .. }`.
    Parallel { merge: MergeKind, branches: Body },
    /// `if cond { .. } [else { .. } | else if ..]`: a const condition picks the layers.
    If {
        cond: TokenStream,
        then: Body,
        otherwise: Option<Box<Item>>,
    },
}

const STRUCTURE_KEYWORDS: &[&str] = &["residual", "concat", "add", "mul", "matmul"];
const DECL_KEYWORDS: &[&str] = &["block", "model"];

impl NetworkInput {
    /// Parses the trampoline's `[$crate] decls..`, recording every error in `errors`.
    pub fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<NetworkInput> {
        let krate;
        bracketed!(krate in input);
        let krate: TokenStream = krate.parse()?;
        let mut decls = Vec::new();
        if input.is_empty() {
            errors.at(
                Span::call_site(),
                "network! is empty: declare a `model Name { .. }` or a `block Name { .. }`",
            );
        }
        while !input.is_empty() {
            if let Some(decl) = parse_decl(input, errors) {
                decls.push(decl);
            }
        }
        Ok(NetworkInput { krate, decls })
    }
}

/// Parses one declaration; on an error, skips past its body and returns what it could.
fn parse_decl(input: ParseStream, errors: &mut Errors) -> Option<Decl> {
    let header =
        (|| -> syn::Result<(Vec<Attribute>, Visibility, DeclKind, Span, Ident, Generics)> {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis: Visibility = input.parse()?;
            let keyword: Ident = input.call(Ident::parse_any).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected `model Name { .. }` or `block Name { .. }`",
                )
            })?;
            let kind = match keyword.to_string().as_str() {
                "block" => DeclKind::Block,
                "model" => DeclKind::Model,
                other => {
                    let hint = match did_you_mean(other, DECL_KEYWORDS) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "network! declares `model Name { .. }` (with `#[input(..)]`) and `block Name { .. }`".to_owned(),
                };
                    return Err(syn::Error::new(
                        keyword.span(),
                        format!("expected `model` or `block`, found `{other}`\nhelp: {hint}"),
                    ));
                }
            };
            let name: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected the {} name after `{keyword}`", keyword),
                )
            })?;
            let mut generics: Generics = input.parse()?;
            generics.where_clause = input.parse()?;
            Ok((attrs, vis, kind, keyword.span(), name, generics))
        })();
    let (attrs, vis, kind, kind_span, name, generics) = match header {
        Ok(h) => h,
        Err(e) => {
            errors.push(e);
            skip_past(input, is_brace_group);
            return None;
        }
    };
    let body = if input.peek(syn::token::Brace) {
        let body = parse_body(input, errors);
        errors.ok(body)
    } else {
        errors.at(
            input.span(),
            format!("expected `{{` with the layers of `{name}`"),
        );
        skip_past(input, is_brace_group);
        None
    };
    Some(Decl {
        attrs,
        vis,
        kind,
        kind_span,
        name,
        generics,
        body,
    })
}

/// Whether `tt` is a `,`.
pub fn is_comma(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == ',')
}

/// Whether `tt` is a `{ .. }` group (a declaration's body, the layers after an `if`).
fn is_brace_group(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
}

/// Skips tokens up to and including the first top-level one that `stop` accepts, or to the end.
pub fn skip_past(input: ParseStream, stop: fn(&TokenTree) -> bool) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            if stop(&tt) {
                break;
            }
        }
        Ok(((), rest))
    });
}

/// Takes the top-level tokens before the first one that `stop` accepts (which stays), or all.
pub fn tokens_before(input: ParseStream, stop: fn(&TokenTree) -> bool) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if stop(&tt) {
                break;
            }
            tokens.extend([tt]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// Parses `{ entries }`.
fn parse_body(input: ParseStream, errors: &mut Errors) -> syn::Result<Body> {
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

/// The span of the last token tree between two cursors.
pub fn last_span(start: Cursor, end: Cursor) -> Span {
    let mut cursor = start;
    let mut last = start.span();
    while cursor != end {
        match cursor.token_tree() {
            Some((tt, next)) => {
                last = tt.span();
                cursor = next;
            }
            None => break,
        }
    }
    last
}

fn parse_entry(input: ParseStream, errors: &mut Errors) -> syn::Result<Entry> {
    let attrs = input.call(Attribute::parse_outer)?;
    for attr in &attrs {
        if !attr.path().is_ident("doc") {
            errors.spanned(attr, "only doc comments are allowed on a layer");
        }
    }
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
            name: None,
            index: None,
            item,
            first,
            last,
            rename: None,
            reuses: None,
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
    input.parse::<Token![:]>()?;
    let item = parse_item(input, errors)?;
    let last = last_span(start, input.cursor());
    Ok(Entry {
        name: Some(name.unraw()),
        index: None,
        item,
        first,
        last,
        rename: None,
        reuses: None,
    })
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

fn is_structure_start(input: ParseStream) -> bool {
    let fork = input.fork();
    match fork.call(Ident::parse_any) {
        Ok(word) => {
            fork.peek(syn::token::Brace) && STRUCTURE_KEYWORDS.contains(&word.to_string().as_str())
        }
        Err(_) => false,
    }
}

fn parse_structure(input: ParseStream, errors: &mut Errors) -> syn::Result<Item> {
    let keyword = input.call(Ident::parse_any)?;
    let body = parse_body(input, errors)?;
    let merge = match keyword.to_string().as_str() {
        "residual" => {
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
        "concat" => MergeKind::Concat,
        "add" => MergeKind::Add,
        "matmul" => MergeKind::MatMul,
        _ => MergeKind::Mul,
    };
    if body.entries.len() < 2 && (body.empty || body.entries.len() == 1) {
        errors.at(
            body.span,
            format!("`{keyword}` merges parallel branches and needs at least two of them"),
        );
    }
    Ok(Item::Parallel {
        merge,
        branches: body,
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
            errors.at(body.span, "an empty `{}` has no layers");
        }
        return Ok(Item::Seq(body));
    }
    if is_structure_start(input) {
        return parse_structure(input, errors);
    }
    if input.peek(Token![if]) {
        return parse_if(input, errors);
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
