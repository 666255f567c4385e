//! Declaration attributes (`#[input(..)]`, `#[batch(..)]`, `#[budget(..)]`) and budget syntax.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Lit, Token};

use crate::ast::last_span;
use crate::ctxt::{did_you_mean, Errors};

/// What the attributes of one declaration say.
#[derive(Default)]
pub struct DeclAttrs {
    /// Attributes passed through to the generated struct (docs, derives, lints).
    pub forwarded: Vec<Attribute>,
    /// `#[input(..)]`: the dims of one sample, and the attribute's span.
    pub input: Option<(Vec<Expr>, Span)>,
    /// `#[batch(n)]`.
    pub batch: Option<(Expr, Span)>,
    /// `#[budget(..)]`, every limit of every such attribute.
    pub budgets: Vec<BudgetSpec>,
    /// Span of the first `#[budget]` attribute, if any.
    pub budget_span: Option<Span>,
}

/// `figure <= limit`.
pub struct BudgetSpec {
    /// The `Figure` variant name, e.g. `Macs`.
    pub figure: &'static str,
    /// The limit as written.
    pub limit: Limit,
    /// First and last token, to point a violation at the whole budget.
    pub first: Span,
    pub last: Span,
}

/// A budget limit.
pub enum Limit {
    /// A number literal: its decimal digits and the `Unit` variant name.
    Literal { digits: String, unit: &'static str },
    /// Any other const expression of type `u64`, exact.
    Expr(Expr),
}

/// `(name in budgets, Figure variant, counts bytes)`.
const FIGURES: &[(&str, &str, bool)] = &[
    ("params", "Params", false),
    ("buffers", "Buffers", false),
    ("macs", "Macs", false),
    ("flops", "Flops", false),
];

const COUNT_UNITS: &[&str] = &["K", "M", "G", "T"];
const BYTE_UNITS: &[&str] = &["B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"];

/// Attributes passed through to the generated type unchanged.
const FORWARDED: &[&str] = &[
    "doc",
    "derive",
    "allow",
    "warn",
    "deny",
    "expect",
    "forbid",
    "deprecated",
    "must_use",
    "cfg_attr",
];
const OWN: &[&str] = &["input", "batch", "budget"];

/// Sorts a declaration's attributes into ours and the forwarded ones.
pub fn parse_decl_attrs(attrs: &[Attribute], errors: &mut Errors) -> DeclAttrs {
    let mut out = DeclAttrs::default();
    for attr in attrs {
        let path = attr.path();
        let Some(name) = path.get_ident().map(|i| i.to_string()) else {
            out.forwarded.push(attr.clone());
            continue;
        };
        match name.as_str() {
            "input" => {
                if out.input.is_some() {
                    errors.spanned(attr, "duplicate `#[input]` attribute");
                    continue;
                }
                match attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                    Ok(dims) if dims.is_empty() => errors.spanned(
                        attr,
                        "`#[input]` needs the dims of one sample, as in `#[input(3, 224, 224)]`",
                    ),
                    Ok(dims) if dims.len() > 5 => errors.spanned(
                        attr,
                        format!("`#[input]` takes at most 5 dims besides the batch, got {}", dims.len()),
                    ),
                    Ok(dims) => out.input = Some((dims.into_iter().collect(), attr_span(attr))),
                    Err(e) => errors.push(syn::Error::new(
                        e.span(),
                        format!("{e}: `#[input]` takes the dims of one sample, as in `#[input(3, 224, 224)]`"),
                    )),
                }
            }
            "batch" => {
                if out.batch.is_some() {
                    errors.spanned(attr, "duplicate `#[batch]` attribute");
                    continue;
                }
                match attr.parse_args::<Expr>() {
                    Ok(n) => out.batch = Some((n, attr_span(attr))),
                    Err(e) => errors.push(syn::Error::new(
                        e.span(),
                        "`#[batch]` takes the batch size, as in `#[batch(8)]`",
                    )),
                }
            }
            "budget" => {
                out.budget_span.get_or_insert(attr_span(attr));
                let parser = |input: ParseStream| Ok(parse_budgets(input, errors));
                match attr.meta.require_list() {
                    Ok(list) => match parser.parse2(list.tokens.clone()) {
                        Ok(budgets) => {
                            if budgets.is_empty() && list.tokens.is_empty() {
                                errors.spanned(attr, "`#[budget]` is empty: write limits such as `#[budget(params <= 12M, macs <= 2G)]`");
                            }
                            out.budgets.extend(budgets)
                        }
                        Err(e) => errors.push(e),
                    },
                    Err(_) => errors.spanned(
                        attr,
                        "`#[budget]` takes limits, as in `#[budget(params <= 12M, macs <= 2G)]`",
                    ),
                }
            }
            other if FORWARDED.contains(&other) => out.forwarded.push(attr.clone()),
            other => {
                let hint = match did_you_mean(other, OWN) {
                    Some(own) => format!("did you mean `#[{own}]`?"),
                    None => "network! understands `#[input(..)]`, `#[batch(..)]`, `#[budget(..)]`, doc comments, `#[derive(..)]` and lint attributes".to_owned(),
                };
                errors.spanned(
                    attr,
                    format!("unknown attribute `#[{other}]`\nhelp: {hint}"),
                );
            }
        }
    }
    out
}

fn attr_span(attr: &Attribute) -> Span {
    attr.bracket_token.span.join()
}

/// Parses `figure <= limit, ..` (as in `#[budget(..)]` and `assert_budget!`), recording errors.
pub fn parse_budgets(input: ParseStream, errors: &mut Errors) -> Vec<BudgetSpec> {
    let mut out = Vec::new();
    while !input.is_empty() {
        match parse_budget(input) {
            Ok(spec) => out.push(spec),
            Err(e) => {
                errors.push(e);
                // Skip to the next comma.
                let _ = input.step(|cursor| {
                    let mut rest = *cursor;
                    while let Some((tt, next)) = rest.token_tree() {
                        rest = next;
                        if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                            break;
                        }
                    }
                    Ok(((), rest))
                });
                continue;
            }
        }
        if input.is_empty() {
            break;
        }
        if let Err(e) = input.parse::<Token![,]>() {
            errors.push(syn::Error::new(
                e.span(),
                "expected `,` between budget limits",
            ));
            break;
        }
    }
    out
}

fn parse_budget(input: ParseStream) -> syn::Result<BudgetSpec> {
    let figure_ident = input
        .call(Ident::parse_any)
        .map_err(|e| syn::Error::new(e.span(), "expected a figure, as in `macs <= 2G`"))?;
    let first = figure_ident.span();
    let word = figure_ident.to_string();
    let Some(&(_, figure, bytes)) = FIGURES.iter().find(|(name, _, _)| *name == word) else {
        let names: Vec<&str> = FIGURES.iter().map(|f| f.0).collect();
        let hint = match did_you_mean(&word, &names) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("budgets can limit {}", names.join(", ")),
        };
        return Err(syn::Error::new(
            first,
            format!("unknown budget figure `{word}`\nhelp: {hint}"),
        ));
    };
    if input.peek(Token![<=]) {
        input.parse::<Token![<=]>()?;
    } else if input.peek(Token![<])
        || input.peek(Token![=])
        || input.peek(Token![>=])
        || input.peek(Token![==])
    {
        return Err(syn::Error::new(
            input.span(),
            format!("a budget is an upper bound: write `{word} <= limit`"),
        ));
    } else {
        return Err(syn::Error::new(
            input.span(),
            format!("expected `<=` after `{word}`"),
        ));
    }
    let start = input.cursor();
    let expr: Expr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a limit such as `12M`, `1.5G` or `48MiB`",
        )
    })?;
    let mut last = last_span(start, input.cursor());
    let (digits, suffix, lit_span) = match &expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => (
                int.base10_digits().to_owned(),
                int.suffix().to_owned(),
                int.span(),
            ),
            Lit::Float(float) => (
                float.base10_digits().to_owned(),
                float.suffix().to_owned(),
                float.span(),
            ),
            _ => {
                return Err(syn::Error::new_spanned(
                    &expr,
                    "a budget limit is a number, as in `12M`, `1.5G` or `48MiB`",
                ))
            }
        },
        Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Neg(_)) => {
            return Err(syn::Error::new_spanned(
                &expr,
                "a budget limit must not be negative",
            ));
        }
        _ => {
            return Ok(BudgetSpec {
                figure,
                limit: Limit::Expr(expr),
                first,
                last,
            });
        }
    };
    // A unit may be a suffix (`12M`) or a separate word (`12 M`).
    let (unit_name, unit_span) = if suffix.is_empty() && input.peek(Ident::peek_any) {
        let unit = input.call(Ident::parse_any)?;
        last = unit.span();
        (unit.to_string(), unit.span())
    } else {
        (suffix, lit_span)
    };
    let unit = check_unit(&word, bytes, &unit_name, unit_span)?;
    Ok(BudgetSpec {
        figure,
        limit: Limit::Literal { digits, unit },
        first,
        last,
    })
}

fn check_unit(figure: &str, bytes: bool, unit: &str, span: Span) -> syn::Result<&'static str> {
    if unit.is_empty() {
        return Ok(if bytes { "B" } else { "One" });
    }
    let (own, other) = if bytes {
        (BYTE_UNITS, COUNT_UNITS)
    } else {
        (COUNT_UNITS, BYTE_UNITS)
    };
    if let Some(found) = own.iter().find(|u| **u == unit) {
        return Ok(found);
    }
    if other.contains(&unit) {
        let (kind, expected) = if bytes {
            ("a size in bytes", "B, KB, MB, GB, TB, KiB, MiB, GiB or TiB")
        } else {
            ("a count", "K, M, G or T (powers of 1000)")
        };
        return Err(syn::Error::new(
            span,
            format!("`{unit}` does not fit `{figure}`, which is {kind}\nhelp: use {expected}"),
        ));
    }
    let hint = match did_you_mean(unit, own) {
        Some(u) => format!("did you mean `{u}`?"),
        None => format!("units for `{figure}` are {}", own.join(", ")),
    };
    Err(syn::Error::new(
        span,
        format!("unknown unit `{unit}`\nhelp: {hint}"),
    ))
}
