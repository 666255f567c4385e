//! Checks on a parsed declaration that the parser cannot make alone.

use std::collections::HashMap;

use proc_macro2::Span;

use crate::ast::{Body, Decl, DeclKind, Entry, Item};
use crate::attr::DeclAttrs;
use crate::ctxt::Errors;

/// Checks `decl`, recording what is wrong in `local`.
pub fn check(decl: &Decl, attrs: &DeclAttrs, local: &mut Errors) {
    let name = &decl.name;
    match decl.kind {
        DeclKind::Model => {
            check_model_inputs(decl, attrs, local);
            if attrs.input.is_none() && !attrs.input_misspelt && decl.signature.inputs.is_none() {
                local.at(
                    decl.kind_span,
                    format!("model `{name}` needs an input shape\nhelp: add `#[input(3, 224, 224)]` (the dims of one sample) above it"),
                );
            }
        }
        DeclKind::Block => {
            for input in decl.signature.inputs.iter().flatten() {
                if input.shape.is_some() {
                    local.at(
                        input.name.span(),
                        format!("the inputs of block `{name}` take their shapes from where it is used\nhelp: write `{}` without a shape (a model's inputs have shapes)", input.name),
                    );
                }
            }
            let misplaced = [
                ("input", attrs.input.as_ref().map(|i| i.1)),
                ("batch", attrs.batch.as_ref().map(|b| b.1)),
                ("budget", attrs.budget_span),
                ("dtype", attrs.dtype.as_ref().map(|d| d.span)),
            ];
            for (attr, span) in misplaced {
                if let Some(span) = span {
                    let help = if attr == "dtype" {
                        "a block is counted at the dtypes of the model that contains it: declare them there, or declare it as a model".to_owned()
                    } else {
                        format!("declare it as `model {name}`, or use `nncost::assert_budget!` on a model that contains it")
                    };
                    local.at(
                        span,
                        format!(
                            "`#[{attr}]` belongs on a model, and `{name}` is a block\nhelp: {help}"
                        ),
                    );
                }
            }
        }
    }
    if let Some(body) = &decl.body {
        if body.empty {
            let what = if decl.kind == DeclKind::Model {
                "model"
            } else {
                "block"
            };
            local.at(
                body.span,
                format!("{what} `{name}` has no layers\nhelp: list its layers as `name: layer`, as in `{{ fc: Linear::new(10) }}`"),
            );
        }
        check_names(body, &name.to_string(), &mut HashMap::new(), local);
    }
}

/// A model's named inputs each have a shape, and replace `#[input(..)]`.
fn check_model_inputs(decl: &Decl, attrs: &DeclAttrs, local: &mut Errors) {
    let Some(inputs) = &decl.signature.inputs else {
        return;
    };
    if let Some((_, span)) = &attrs.input {
        local.at(
            *span,
            format!("model `{}` names its inputs in its signature, so `#[input]` is not needed\nhelp: give each input its shape there, as in `model {}(image: [3, 224, 224])`", decl.name, decl.name),
        );
    }
    for input in inputs {
        if input.shape.is_none() {
            local.at(
                input.name.span(),
                format!("model input `{0}` needs a shape\nhelp: `{0}: [3, 224, 224]` (the dims of one sample) or `{0}: tokens(L)` (L token ids)", input.name),
            );
        }
    }
}

/// Layer names must be unique among siblings; unnamed groups share their parent's names.
/// `scope` is the path of the enclosing entry (`Net.stage1`), for messages.
fn check_names(body: &Body, scope: &str, seen: &mut HashMap<String, Span>, errors: &mut Errors) {
    for entry in &body.entries {
        check_entry(entry, scope, seen, errors);
    }
}

fn check_entry(entry: &Entry, scope: &str, seen: &mut HashMap<String, Span>, errors: &mut Errors) {
    if let Some(span) = entry.splice {
        if matches!(entry.item, Item::Layer(_) | Item::Join { .. }) {
            errors.at(
                span,
                "`_:` splices a block's layers in under their own names, and a single layer has none\nhelp: name the layer, as in `conv: Conv2d::new(64, 3)`",
            );
        }
    }
    match &entry.name {
        Some(name) => {
            match seen.entry(name.to_string()) {
                std::collections::hash_map::Entry::Occupied(first) => errors.at(
                    name.span(),
                    format!("duplicate layer name `{}` in `{scope}`\nhelp: names make the layer paths in errors and summaries (`{scope}.{}`); rename one of them", first.key(), first.key()),
                ),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(name.span());
                }
            }
            check_item(&entry.item, &format!("{scope}.{name}"), errors);
        }
        None => match &entry.item {
            // An unnamed group's layers are named as if they stood in the parent.
            Item::Residual { body, shortcut } => {
                check_names(body, scope, seen, errors);
                if let Some(shortcut) = shortcut {
                    check_names(shortcut, scope, seen, errors);
                }
            }
            Item::Parallel { branches, .. } => check_names(branches, scope, seen, errors),
            Item::If { .. } => check_if(&entry.item, scope, seen, errors),
            other => check_item(other, scope, errors),
        },
    }
}

/// Checks the inside of a named item, which starts a new naming scope (`scope`, its path).
pub fn check_item(item: &Item, scope: &str, errors: &mut Errors) {
    match item {
        Item::Layer(_) | Item::Block(_) | Item::Join { .. } => {}
        Item::Repeat { item, .. } | Item::Spread(item) => check_item(item, scope, errors),
        Item::Tuple(items) => items.iter().for_each(|i| check_item(i, scope, errors)),
        Item::Seq(body) => check_names(body, scope, &mut HashMap::new(), errors),
        Item::Residual { body, shortcut } => {
            let mut seen = HashMap::new();
            check_names(body, scope, &mut seen, errors);
            if let Some(shortcut) = shortcut {
                check_names(shortcut, scope, &mut seen, errors);
            }
        }
        Item::Parallel { branches, .. } => {
            check_names(branches, scope, &mut HashMap::new(), errors);
        }
        Item::If { .. } => check_if(item, scope, &mut HashMap::new(), errors),
    }
}

/// Only one side of an `if` is used, so a name may appear on both sides, but not beside the `if`.
fn check_if(item: &Item, scope: &str, seen: &mut HashMap<String, Span>, errors: &mut Errors) {
    let mut names = HashMap::new();
    let mut side = Some(item);
    while let Some(current) = side {
        side = None;
        let body = match current {
            Item::If {
                then, otherwise, ..
            } => {
                side = otherwise.as_deref();
                then
            }
            Item::Seq(body) => body,
            _ => continue,
        };
        let mut branch = seen.clone();
        check_names(body, scope, &mut branch, errors);
        names.extend(branch);
    }
    seen.extend(names);
}
