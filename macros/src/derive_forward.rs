//! `#[nncost(forward(..))]`: the order in which a derived struct's forward pass applies its
//! fields, written independently of the order they are declared in (Hugging Face declares
//! `LlamaDecoderLayer`'s fields `self_attn, mlp, input_layernorm, post_attention_layernorm`).
//!
//! ```text
//! forward(residual(input_layernorm, self_attn), residual(post_attention_layernorm, mlp))
//! forward(conv1, dropout, conv2, dropout, activation, pool, flatten: Flatten, linear1, ..)
//! forward(mul((gate_proj, act_fn), up_proj), down_proj)
//! ```
//!
//! A step is a field (`conv1`), a range of fields in declaration order (`conv1..=bn2`), a layer
//! with no field (`flatten: Flatten`), steps in a row (`(gate_proj, act_fn)`, for a branch), or
//! a group over steps, as the struct-level groups: `residual(steps.., shortcut = step,
//! after(..))`, `concat(branch, branch, .., after(..))`, `add(..)`, `mul(..)`, `matmul(..)`.
//! Groups nest. A field named twice is the same module applied again (see [`crate::names`]);
//! every costed field must appear.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitInt, Token};

use crate::ast::{parse_item, Body, Entry, Item, MergeKind};
use crate::ctxt::Errors;
use crate::derive_attr::in_parens;
use crate::derive_groups::{is_after, parse_after, parse_range, FieldEntries, FieldRange};

/// `forward(..)` on the struct.
pub struct Forward {
    pub steps: Vec<Step>,
    /// The `forward` key.
    pub span: Span,
}

/// One step of the forward pass.
pub enum Step {
    /// `field` or `first..=last`.
    Fields(FieldRange),
    /// `name: item`: a layer with no field of its own.
    Layer(Box<Entry>),
    /// `(step, step, ..)`: steps in a row.
    Seq(Vec<Step>),
    /// `residual(steps.., shortcut = step, after(..))`.
    Residual {
        body: Vec<Step>,
        shortcut: Option<Box<Step>>,
        after: Vec<Entry>,
        first: Span,
        last: Span,
    },
    /// `concat(branch, branch, .., after(..))`, `add`, `mul`, `matmul`.
    Parallel {
        merge: MergeKind,
        branches: Vec<Step>,
        after: Vec<Entry>,
        first: Span,
        last: Span,
    },
}

const GROUPS: &[&str] = &["residual", "concat", "add", "mul", "matmul"];

/// Parses the inside of `forward(..)`.
pub fn parse_forward(content: ParseStream, errors: &mut Errors) -> syn::Result<Vec<Step>> {
    let mut steps = Vec::new();
    while !content.is_empty() {
        steps.push(parse_step(content, errors)?);
        if !content.is_empty() {
            expect_comma(content)?;
        }
    }
    Ok(steps)
}

fn expect_comma(content: ParseStream) -> syn::Result<()> {
    content.parse::<Token![,]>().map(|_| ()).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected `,` between the steps of the forward pass",
        )
    })
}

fn parse_step(input: ParseStream, errors: &mut Errors) -> syn::Result<Step> {
    if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let steps = parse_forward(&content, errors)?;
        if steps.is_empty() {
            return Err(
                content.error("an empty `()` has no steps: list them, as in `(gate_proj, act_fn)`")
            );
        }
        return Ok(Step::Seq(steps));
    }
    if input.peek(LitInt) {
        return Ok(Step::Fields(parse_range(input)?));
    }
    let fork = input.fork();
    let word = fork.call(Ident::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a field (`conv1`), a range of fields (`conv1..=bn2`), a layer with no field (`flatten: Flatten`), steps in a row (`(a, b)`) or a group (`residual(..)`, `concat(..)`, `add(..)`, `mul(..)`, `matmul(..)`)",
        )
    })?;
    if fork.peek(syn::token::Paren) && GROUPS.contains(&word.to_string().as_str()) {
        return parse_group(input, errors);
    }
    if fork.peek(Token![:]) && !fork.peek(Token![::]) {
        let name = input.call(Ident::parse_any)?;
        let first = name.span();
        input.parse::<Token![:]>()?;
        let start = input.cursor();
        let item = parse_item(input, errors)?;
        let last = crate::ast::last_span(start, input.cursor());
        return Ok(Step::Layer(Box::new(Entry {
            name: Some(name.unraw()),
            label: None,
            item,
            first,
            last,
            rename: None,
            reuses: None,
            splice: None,
            sources: Vec::new(),
            modes: crate::ast::Modes::default(),
        })));
    }
    Ok(Step::Fields(parse_range(input)?))
}

/// `residual(..)`, `concat(..)`, `add(..)`, `mul(..)`, `matmul(..)` over steps.
fn parse_group(input: ParseStream, errors: &mut Errors) -> syn::Result<Step> {
    let key = input.call(Ident::parse_any)?;
    let word = key.to_string();
    let example = if word == "residual" {
        "residual(norm, attn, shortcut = downsample)".to_owned()
    } else {
        format!("{word}(branch1, (branch2_conv, branch2_relu))")
    };
    let ((parts, shortcut, after), parens) = in_parens(input, &key, &example, |content| {
        let mut parts = Vec::new();
        let mut shortcut = None;
        let mut after = Vec::new();
        while !content.is_empty() {
            if is_after(content) {
                after = parse_after(content, errors)?;
            } else if word == "residual" && content.peek(Ident) && content.peek2(Token![=]) {
                let key = content.call(Ident::parse_any)?;
                if key != "shortcut" {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unexpected `{key} =` in `residual(..)`\nhelp: a residual lists its body's steps, then `shortcut = step` and `after(name: layer, ..)` if needed"),
                    ));
                }
                if shortcut.is_some() {
                    return Err(syn::Error::new(key.span(), "duplicate key `shortcut`"));
                }
                content.parse::<Token![=]>()?;
                shortcut = Some(Box::new(parse_step(content, errors)?));
            } else {
                parts.push(parse_step(content, errors)?);
            }
            if !content.is_empty() {
                expect_comma(content)?;
            }
        }
        Ok((parts, shortcut, after))
    })?;
    if word == "residual" {
        if parts.is_empty() {
            return Err(syn::Error::new(
                key.span(),
                format!("`residual` needs the steps of its body, as in `{example}`"),
            ));
        }
        return Ok(Step::Residual {
            body: parts,
            shortcut,
            after,
            first: key.span(),
            last: parens,
        });
    }
    if parts.len() < 2 {
        return Err(syn::Error::new(
            key.span(),
            format!("`{word}` merges parallel branches and needs at least two, as in `{example}`"),
        ));
    }
    let merge = match word.as_str() {
        "concat" => MergeKind::Concat,
        "add" => MergeKind::Add,
        "mul" => MergeKind::Mul,
        _ => MergeKind::MatMul,
    };
    Ok(Step::Parallel {
        merge,
        branches: parts,
        after,
        first: key.span(),
        last: parens,
    })
}

/// The entries of `steps`, in order; marks the fields used in `used`. `None` after an error.
pub fn entries(
    steps: &[Step],
    fields: &impl FieldEntries,
    used: &mut [bool],
    errors: &mut Errors,
) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let mut ok = true;
    for step in steps {
        match step_entries(step, fields, used, errors) {
            Some(entries) => out.extend(entries),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn step_entries(
    step: &Step,
    fields: &impl FieldEntries,
    used: &mut [bool],
    errors: &mut Errors,
) -> Option<Vec<Entry>> {
    let body = |entries: Vec<Entry>, span: Span| Body {
        entries,
        span,
        empty: false,
    };
    match step {
        Step::Fields(range) => {
            let indices = fields.resolve(range, errors)?;
            let mut out = Vec::new();
            for i in indices {
                if let Some(slot) = used.get_mut(i) {
                    *slot = true;
                }
                out.extend(fields.entries(i));
            }
            Some(out)
        }
        Step::Layer(entry) => Some(vec![(**entry).clone()]),
        Step::Seq(steps) => entries(steps, fields, used, errors),
        Step::Residual {
            body: steps,
            shortcut,
            after,
            first,
            last,
        } => {
            let main = entries(steps, fields, used, errors);
            let shortcut = match shortcut {
                Some(step) => Some(step_entries(step, fields, used, errors)?),
                None => None,
            };
            let item = Item::Residual {
                body: body(main?, *first),
                shortcut: shortcut.map(|s| body(s, *first)),
            };
            let mut out = vec![unnamed(item, *first, *last)];
            out.extend(after.iter().cloned());
            Some(out)
        }
        Step::Parallel {
            merge,
            branches,
            after,
            first,
            last,
        } => {
            let mut entries = Vec::new();
            let mut ok = true;
            for branch in branches {
                match step_entries(branch, fields, used, errors) {
                    // One named entry is a branch of its own; several are an unnamed sequence.
                    Some(mut one) if one.len() == 1 && one[0].name.is_some() => {
                        entries.append(&mut one);
                    }
                    Some(several) => {
                        entries.push(unnamed(Item::Seq(body(several, *first)), *first, *last));
                    }
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            let item = Item::Parallel {
                merge: *merge,
                dim: None,
                branches: body(entries, *first),
            };
            let mut out = vec![unnamed(item, *first, *last)];
            out.extend(after.iter().cloned());
            Some(out)
        }
    }
}

fn unnamed(item: Item, first: Span, last: Span) -> Entry {
    Entry {
        name: None,
        label: None,
        item,
        first,
        last,
        rename: None,
        reuses: None,
        splice: None,
        sources: Vec::new(),
        modes: crate::ast::Modes::default(),
    }
}
