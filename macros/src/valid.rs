//! Checks on a parsed declaration that the parser cannot make alone. (Layer names are not
//! checked: a repeated name is numbered by [`crate::names`].)

use crate::ast::{Body, Decl, DeclKind, Item};
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
                ("output", attrs.output.as_ref().map(|o| o.1)),
            ];
            for (attr, span) in misplaced {
                if let Some(span) = span {
                    let help = if attr == "dtype" {
                        "a block is counted at the dtypes of the model that contains it: declare them there, or declare it as a model".to_owned()
                    } else if attr == "output" {
                        format!("a block's output depends on its input: declare it as `model {name}` with an `#[input]`")
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
        check_splices(body, local);
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

/// `_:` splices a block's layers in under their own names: a single layer has none.
fn check_splices(body: &Body, errors: &mut Errors) {
    for entry in &body.entries {
        if let Some(span) = entry.splice {
            if matches!(entry.item, Item::Layer(_) | Item::Join { .. }) {
                errors.at(
                    span,
                    "`_:` splices a block's layers in under their own names, and a single layer has none\nhelp: name the layer, as in `conv: Conv2d::new(64, 3)`",
                );
            }
        }
        entry
            .item
            .for_each_body(&mut |body| check_splices(body, errors));
    }
}
