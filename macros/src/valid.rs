//! Checks on a parsed declaration that the parser cannot make alone. (Layer names are not
//! checked: a repeated name is numbered by [`crate::names`].)

use crate::ast::{Decl, DeclKind};
use crate::attr::DeclAttrs;
use crate::ctxt::Errors;

/// Checks `decl`, recording what is wrong in `local`.
pub fn check(decl: &Decl, attrs: &DeclAttrs, local: &mut Errors) {
    let name = &decl.name;
    match decl.kind {
        DeclKind::Model => {
            if attrs.input.is_none() && !attrs.input_misspelt {
                local.at(
                    decl.kind_span,
                    format!("model `{name}` needs an input shape\nhelp: add `#[input(3, 224, 224)]` (the dims of one sample) above it"),
                );
            }
        }
        DeclKind::Block => {
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
    }
}
