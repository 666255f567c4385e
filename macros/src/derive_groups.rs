//! The struct-level groups of `#[derive(ModelCost)]`: `residual(conv1..=bn2, shortcut =
//! downsample, after(..))`, `concat(a, b..=c)`, `add(..)`, `mul(..)`, `matmul(..)` over ranges of
//! fields in declaration order; their syntax, and the entries they become. (`forward(..)`, in
//! [`crate::derive_forward`], nests the same groups over steps.)

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitInt, Token};

use crate::ast::{parse_entries, Body, Entry, Item, MergeKind};
use crate::ctxt::{did_you_mean, Errors};
use crate::derive_attr::{duplicate, in_parens};

/// A structure over fields: `residual(conv1..=bn2, shortcut = downsample)`, `concat(a, b..=c)`.
pub struct Group {
    pub kind: GroupKind,
    /// `after(name: item, ..)`: layers that run after the merge (a ReLU after a residual add).
    pub after: Vec<Entry>,
    /// The group's keyword and its parenthesized list, to point errors at the whole group.
    pub first: Span,
    pub last: Span,
}

pub enum GroupKind {
    /// `body(x) + shortcut(x)`; no shortcut is the identity.
    Residual {
        body: FieldRange,
        shortcut: Option<FieldRange>,
    },
    /// Branches on the same input, merged.
    Parallel {
        merge: MergeKind,
        branches: Vec<FieldRange>,
    },
}

impl GroupKind {
    /// The keyword, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            GroupKind::Residual { .. } => "residual",
            GroupKind::Parallel { merge, .. } => match merge {
                MergeKind::Concat => "concat",
                MergeKind::Add => "add",
                MergeKind::Mul => "mul",
                MergeKind::MatMul => "matmul",
                MergeKind::Sub => "sub",
                MergeKind::Div => "div",
            },
        }
    }

    /// Every part of the group: a residual's body and shortcut, or the branches.
    pub fn parts(&self) -> Vec<&FieldRange> {
        match self {
            GroupKind::Residual { body, shortcut } => {
                std::iter::once(body).chain(shortcut.as_ref()).collect()
            }
            GroupKind::Parallel { branches, .. } => branches.iter().collect(),
        }
    }
}

/// `field` or `first..=last` (named fields, or indices of a tuple struct).
pub struct FieldRange {
    pub start: FieldRef,
    pub end: Option<FieldRef>,
}

/// A field named in a group.
pub struct FieldRef {
    /// The field's name (without `r#`) or index.
    pub name: String,
    pub span: Span,
}

/// What the groups need from the struct's fields.
pub trait FieldEntries {
    /// The costed fields `range` names, in declaration order (errors recorded).
    fn resolve(&self, range: &FieldRange, errors: &mut Errors) -> Option<Vec<usize>>;
    /// The entries of field `index`: its `before(..)` layers, the field, its `after(..)` layers.
    fn entries(&self, index: usize) -> Vec<Entry>;
}

/// `residual(body, shortcut = range, after(..))` after its keyword.
pub fn parse_residual_group(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
) -> syn::Result<Group> {
    let example = "residual(conv1..=bn2, shortcut = downsample)";
    let ((body, shortcut, after), parens) = in_parens(input, key, example, |content| {
        parse_residual(content, errors)
    })?;
    Ok(Group {
        kind: GroupKind::Residual { body, shortcut },
        after,
        first: key.span(),
        last: parens,
    })
}

/// `concat(..)`, `add(..)`, `mul(..)` or `matmul(..)` over branches, after its keyword.
pub fn parse_branch_group(
    key: &Ident,
    input: ParseStream,
    errors: &mut Errors,
) -> syn::Result<Group> {
    let word = key.to_string();
    let merge = match word.as_str() {
        "concat" => MergeKind::Concat,
        "add" => MergeKind::Add,
        "mul" => MergeKind::Mul,
        _ => MergeKind::MatMul,
    };
    let example = format!("{word}(branch1, branch2..=branch2_relu)");
    let ((branches, after), parens) = in_parens(input, key, &example, |content| {
        let mut branches = Vec::new();
        let mut after = Vec::new();
        while !content.is_empty() {
            if is_after(content) {
                after = parse_after(content, errors)?;
            } else {
                branches.push(parse_range(content)?);
            }
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        Ok((branches, after))
    })?;
    if branches.len() < 2 {
        return Err(syn::Error::new(
            key.span(),
            format!("`{word}` merges parallel branches and needs at least two, as in `{example}`"),
        ));
    }
    Ok(Group {
        kind: GroupKind::Parallel { merge, branches },
        after,
        first: key.span(),
        last: parens,
    })
}

/// `body [, shortcut = range] [, after(entries)]`.
fn parse_residual(
    content: ParseStream,
    errors: &mut Errors,
) -> syn::Result<(FieldRange, Option<FieldRange>, Vec<Entry>)> {
    let body = parse_range(content)?;
    let mut shortcut = None;
    let mut after = Vec::new();
    while !content.is_empty() {
        content.parse::<Token![,]>()?;
        if content.is_empty() {
            break;
        }
        if is_after(content) {
            after = parse_after(content, errors)?;
            continue;
        }
        let word = content.call(Ident::parse_any)?;
        if word == "shortcut" && shortcut.is_some() {
            return Err(duplicate(&word));
        }
        if word != "shortcut" {
            let hint = match did_you_mean(&word.to_string(), &["shortcut", "after"]) {
                Some("after") => "did you mean `after`?",
                Some(_) => "did you mean `shortcut`?",
                None => "a residual is `residual(first..=last)`, with `shortcut = field` and `after(name: layer, ..)` if needed",
            };
            return Err(syn::Error::new(
                word.span(),
                format!("unexpected `{word}` in `residual(..)`\nhelp: {hint}"),
            ));
        }
        if !content.peek(Token![=]) {
            return Err(
                content.error("expected `=` after `shortcut`, as in `shortcut = downsample`")
            );
        }
        content.parse::<Token![=]>()?;
        shortcut = Some(parse_range(content)?);
    }
    Ok((body, shortcut, after))
}

/// Whether the stream is at `after(..)`.
pub(crate) fn is_after(content: ParseStream) -> bool {
    let fork = content.fork();
    matches!(fork.call(Ident::parse_any), Ok(word) if word == "after")
        && fork.peek(syn::token::Paren)
}

/// `after(name: item, ..)` in a group.
pub(crate) fn parse_after(content: ParseStream, errors: &mut Errors) -> syn::Result<Vec<Entry>> {
    let key = content.call(Ident::parse_any)?;
    let (entries, _) = in_parens(content, &key, "after(relu: ReLU)", |inner| {
        Ok(parse_entries(inner, errors))
    })?;
    if entries.is_empty() {
        return Err(syn::Error::new(
            key.span(),
            "`after` lists named layers, as in `after(relu: ReLU)`",
        ));
    }
    Ok(entries)
}

/// `field` or `first..=last`.
pub(crate) fn parse_range(input: ParseStream) -> syn::Result<FieldRange> {
    let start = parse_field_ref(input)?;
    if input.peek(Token![..=]) {
        input.parse::<Token![..=]>()?;
        let end = parse_field_ref(input)?;
        return Ok(FieldRange {
            start,
            end: Some(end),
        });
    }
    if input.peek(Token![..]) {
        return Err(input.error("write an inclusive range of fields, as in `conv1..=bn2`"));
    }
    Ok(FieldRange { start, end: None })
}

fn parse_field_ref(input: ParseStream) -> syn::Result<FieldRef> {
    if input.peek(LitInt) {
        let index: LitInt = input.parse()?;
        return Ok(FieldRef {
            name: index.base10_digits().to_owned(),
            span: index.span(),
        });
    }
    let ident = input.call(Ident::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a field name (or a tuple struct's field index)",
        )
    })?;
    Ok(FieldRef {
        name: ident.unraw().to_string(),
        span: ident.span(),
    })
}

/// The costed fields of each part of each group, in declaration order; `None` after an error.
pub fn group_members(
    fields: &impl FieldEntries,
    groups: &[Group],
    errors: &mut Errors,
) -> Option<Vec<Vec<Vec<usize>>>> {
    let mut ok = true;
    let mut out = Vec::new();
    for group in groups {
        let mut parts = Vec::new();
        for range in group.kind.parts() {
            match fields.resolve(range, errors) {
                Some(fields) => parts.push(fields),
                None => ok = false,
            }
        }
        out.push(parts);
    }
    ok.then_some(out)
}

/// A group as one unnamed entry (its layers are named as if they stood in the struct, as an
/// unnamed `residual { .. }` in `network!`).
pub fn group_entry(fields: &impl FieldEntries, group: &Group, parts: &[Vec<usize>]) -> Entry {
    let seq = |indices: &[usize]| Body {
        entries: indices.iter().flat_map(|&i| fields.entries(i)).collect(),
        span: group.first,
        empty: false,
    };
    let item = match &group.kind {
        GroupKind::Residual { .. } => Item::Residual {
            body: seq(parts.first().map_or(&[], Vec::as_slice)),
            shortcut: parts.get(1).map(|p| seq(p)),
        },
        GroupKind::Parallel { merge, .. } => Item::Parallel {
            merge: *merge,
            dim: None,
            branches: Body {
                entries: parts
                    .iter()
                    .map(|indices| {
                        let mut body = seq(indices);
                        if body.entries.len() == 1 {
                            // One field is a named branch; several are an unnamed sequence.
                            if let Some(only) = body.entries.pop() {
                                return only;
                            }
                        }
                        Entry {
                            name: None,
                            label: None,
                            item: Item::Seq(body),
                            first: group.first,
                            last: group.last,
                            rename: None,
                            reuses: None,
                            splice: None,
                            sources: Vec::new(),
                            modes: crate::ast::Modes::default(),
                        }
                    })
                    .collect(),
                span: group.first,
                empty: false,
            },
        },
    };
    Entry {
        name: None,
        label: None,
        item,
        first: group.first,
        last: group.last,
        rename: None,
        reuses: None,
        splice: None,
        sources: Vec::new(),
        modes: crate::ast::Modes::default(),
    }
}
