//! Declaration attributes (`#[input(..)]`, `#[batch(..)]`, `#[dtype(..)]`, `#[budget(..)]`,
//! `#[output(..)]`) and budget syntax.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Lit, Token};

use crate::ast::{is_comma, last_span, skip_past, tokens_before};
use crate::ctxt::{did_you_mean, Errors};
use crate::device_budget::{self, DeviceLimit};

/// What the attributes of one declaration say.
#[derive(Default)]
pub struct DeclAttrs {
    /// Attributes passed through to the generated struct (docs, derives, lints).
    pub forwarded: Vec<Attribute>,
    /// `#[input(..)]`: the dims of one sample, and the attribute's span.
    pub input: Option<(Vec<Expr>, Span)>,
    /// `#[input(tokens = L)]`: the input is `[N, L]` token ids; the first and last span of
    /// `tokens = L`.
    pub tokens: Option<(Span, Span)>,
    /// `#[batch(n)]`.
    pub batch: Option<(Expr, Span)>,
    /// `#[output(..)]`: the declared output dims of one sample, checked; the attribute's span.
    pub output: Option<(Vec<Expr>, Span)>,
    /// `#[budget(..)]`, every limit of every such attribute.
    pub budgets: Vec<BudgetSpec>,
    /// Span of the first `#[budget]` attribute, if any.
    pub budget_span: Option<Span>,
    /// `#[dtype(..)]`: the model's weight and activation dtypes.
    pub dtype: Option<DTypes>,
    /// An unknown attribute was reported as a misspelt `#[input]` (so a missing input is not
    /// reported a second time).
    pub input_misspelt: bool,
}

/// What `#[dtype(..)]` declares. Each dtype is an expression of type `DType` (a name such as
/// `int8` becomes `__nncost::NncostDType::Int8`); `None` keeps the default, f32.
pub struct DTypes {
    /// The dtype of the parameters.
    pub weights: Option<TokenStream>,
    /// The dtype of the tensors between layers.
    pub activations: Option<TokenStream>,
    /// The attribute's span.
    pub span: Span,
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
    /// A budget against a device (`latency(D) <= 5ms`, `fits(D)`; see `device_budget.rs`).
    Device(DeviceLimit),
}

/// `(name in budgets, Figure variant, counts bytes)`.
const FIGURES: &[(&str, &str, bool)] = &[
    ("params", "Params", false),
    ("buffers", "Buffers", false),
    ("all_buffers", "AllBuffers", false),
    ("macs", "Macs", false),
    ("flops", "Flops", false),
    ("weights", "Weights", true),
    ("activations", "Activations", true),
    ("peak_memory", "PeakMemory", true),
    ("memory_access", "MemoryAccess", true),
];

/// `(name in #[dtype], DType variant)`, as nncost-core's `DType::ALL`.
const DTYPES: &[(&str, &str)] = &[
    ("f64", "F64"),
    ("f32", "F32"),
    ("f16", "F16"),
    ("bf16", "BF16"),
    ("fp8", "Fp8"),
    ("int32", "Int32"),
    ("int16", "Int16"),
    ("int8", "Int8"),
    ("int4", "Int4"),
];

/// The keys of `#[dtype(weights = .., activations = ..)]`.
const DTYPE_KEYS: &[&str] = &["weights", "activations"];

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
const OWN: &[&str] = &["input", "batch", "budget", "dtype", "output"];

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
                match attr.parse_args_with(token_input) {
                    Ok(Some((len, spans))) => {
                        out.input = Some((vec![len], attr_span(attr)));
                        out.tokens = Some(spans);
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        errors.push(e);
                        // Reported; no second error about a missing input.
                        out.input = Some((Vec::new(), attr_span(attr)));
                        continue;
                    }
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
                        format!("{e}: `#[input]` takes the dims of one sample, as in `#[input(3, 224, 224)]`, or `tokens = L` for token ids"),
                    )),
                }
            }
            "output" => {
                if out.output.is_some() {
                    errors.spanned(attr, "duplicate `#[output]` attribute");
                    continue;
                }
                match attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                    Ok(dims) if !dims.is_empty() && dims.len() <= 5 => {
                        out.output = Some((dims.into_iter().collect(), attr_span(attr)));
                    }
                    Ok(_) => errors.spanned(
                        attr,
                        "`#[output]` takes the dims of one sample's output (at most 5), as in `#[output(10)]`",
                    ),
                    Err(e) => errors.push(syn::Error::new(
                        e.span(),
                        format!("{e}: `#[output]` takes the dims of one sample's output, as in `#[output(10)]`"),
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
                    // `parse_args_with` points an error at the end at the closing parenthesis.
                    Ok(list) => match attr.parse_args_with(parser) {
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
            "dtype" => {
                if out.dtype.is_some() {
                    errors.spanned(attr, "duplicate `#[dtype]` attribute");
                    continue;
                }
                let span = attr_span(attr);
                let parser = |input: ParseStream| Ok(parse_dtypes(input, span, errors));
                match attr.meta.require_list() {
                    Ok(list) if !list.tokens.is_empty() => match attr.parse_args_with(parser) {
                        Ok(dtypes) => out.dtype = Some(dtypes),
                        Err(e) => errors.push(e),
                    },
                    _ => errors.spanned(attr, format!("`#[dtype]` takes dtypes, as in `#[dtype(weights = int8, activations = f16)]` or `#[dtype(f16)]` for both\nhelp: dtypes are {}", dtype_names())),
                }
            }
            other if FORWARDED.contains(&other) => out.forwarded.push(attr.clone()),
            other => {
                let suggestion = did_you_mean(other, OWN);
                out.input_misspelt |= suggestion == Some("input");
                let hint = match suggestion {
                    Some(own) => format!("did you mean `#[{own}]`?"),
                    None => "network! understands `#[input(..)]`, `#[batch(..)]`, `#[dtype(..)]`, `#[budget(..)]`, `#[output(..)]`, doc comments, `#[derive(..)]` and lint attributes".to_owned(),
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

/// `#[input(tokens = L)]`: the length `L` and the first and last span of `tokens = L`, or
/// `None` (consuming nothing of meaning) when the attribute lists dims.
fn token_input(input: ParseStream) -> syn::Result<Option<(Expr, (Span, Span))>> {
    if !(input.peek(Ident) && input.peek2(Token![=])) {
        input.parse::<proc_macro2::TokenStream>()?;
        return Ok(None);
    }
    let key: Ident = input.parse()?;
    if key != "tokens" {
        return Err(syn::Error::new(
            key.span(),
            format!("unknown `#[input]` setting `{key}`\nhelp: write the dims of one sample (`#[input(3, 224, 224)]`) or `tokens = L` for a sequence of L token ids"),
        ));
    }
    input.parse::<Token![=]>()?;
    let start = input.cursor();
    let len: Expr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the sequence length, as in `tokens = 128`",
        )
    })?;
    let last = last_span(start, input.cursor());
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    }
    if !input.is_empty() {
        return Err(input.error(
            "`tokens = L` stands alone: the input is `[N, L]` token ids, as in `#[input(tokens = 128)]`",
        ));
    }
    Ok(Some((len, (key.span(), last))))
}

/// Parses the inside of `#[dtype(..)]`: one dtype for both (`f16`), or `weights = ..` and/or
/// `activations = ..`. A dtype is a name (`int8`) or any other const expression of type `DType`
/// (`if Q { DType::Int8 } else { DType::F32 }`). Errors are recorded; what parsed is kept.
pub fn parse_dtypes(input: ParseStream, span: Span, errors: &mut Errors) -> DTypes {
    let mut out = DTypes {
        weights: None,
        activations: None,
        span,
    };
    if !(input.peek(Ident::peek_any) && input.peek2(Token![=])) {
        match dtype_value(input) {
            Ok(dtype) => {
                out.weights = Some(dtype.clone());
                out.activations = Some(dtype);
            }
            Err(e) => errors.push(e),
        }
        if !input.is_empty() {
            errors.push(input.error(
                "one dtype stands alone; for different dtypes write `#[dtype(weights = int8, activations = f16)]`",
            ));
            let _ = input.parse::<TokenStream>();
        }
        return out;
    }
    while !input.is_empty() {
        if let Err(e) = dtype_setting(input, &mut out) {
            errors.push(e);
            skip_past(input, is_comma);
            continue;
        }
        if input.is_empty() {
            break;
        }
        if let Err(e) = input.parse::<Token![,]>() {
            errors.push(syn::Error::new(e.span(), "expected `,` between dtypes"));
            break;
        }
    }
    out
}

/// `weights = dtype` or `activations = dtype`.
fn dtype_setting(input: ParseStream, out: &mut DTypes) -> syn::Result<()> {
    let key = input.call(Ident::parse_any)?;
    let word = key.to_string();
    let slot = match word.as_str() {
        "weights" => &mut out.weights,
        "activations" => &mut out.activations,
        _ => {
            let hint = match did_you_mean(&word, DTYPE_KEYS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "write `weights = ..` and/or `activations = ..`".to_owned(),
            };
            return Err(syn::Error::new(
                key.span(),
                format!("unknown `#[dtype]` setting `{word}`\nhelp: {hint}"),
            ));
        }
    };
    input.parse::<Token![=]>()?;
    let value = dtype_value(input)?;
    if slot.is_some() {
        return Err(syn::Error::new(
            key.span(),
            format!("`{word}` is declared twice in `#[dtype]`"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// A dtype: a name becomes the `DType` variant, spanned at the name; anything else is kept as
/// a const expression of type `DType`.
fn dtype_value(input: ParseStream) -> syn::Result<TokenStream> {
    if input.peek(Ident::peek_any) && (input.peek2(Token![,]) || peek_end(input)) {
        let ident = input.call(Ident::parse_any)?;
        let word = ident.to_string();
        return match DTYPES.iter().find(|(name, _)| *name == word) {
            Some(&(_, variant)) => {
                // `NncostDType`, not `DType`: a user with `DType` in scope and
                // `unused_qualifications` denied would be told to shorten the path.
                let variant = Ident::new(variant, ident.span());
                Ok(quote_spanned!(ident.span()=> __nncost::NncostDType::#variant))
            }
            None => {
                let names: Vec<&str> = DTYPES.iter().map(|d| d.0).collect();
                let hint = match did_you_mean(&word, &names) {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => format!("dtypes are {}; or give a const expression of type `DType` in braces, as `{{ MY_DTYPE }}`", dtype_names()),
                };
                Err(syn::Error::new(
                    ident.span(),
                    format!("unknown dtype `{word}`\nhelp: {hint}"),
                ))
            }
        };
    }
    // Any other tokens up to the next `,`: a const expression of type `DType` (`DType::Int8`,
    // `if Q { DType::Int8 } else { DType::F32 }`), type-checked by rustc at the user's tokens.
    let tokens = tokens_before(input, is_comma)?;
    let mut trees = tokens.clone().into_iter();
    match (trees.next(), trees.next()) {
        (None, _) => Err(input.error(format!("expected a dtype: {}", dtype_names()))),
        // `int8 int4`: a name followed by more than a `,`.
        (Some(proc_macro2::TokenTree::Ident(first)), Some(next))
            if DTYPES.iter().any(|(name, _)| first == name) =>
        {
            Err(syn::Error::new(
                next.span(),
                "expected `,` after the dtype, as in `#[dtype(weights = int8, activations = f16)]`",
            ))
        }
        _ => Ok(quote!((#tokens))),
    }
}

/// Whether nothing follows in the attribute.
fn peek_end(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.call(Ident::parse_any).is_ok() && fork.is_empty()
}

fn dtype_names() -> String {
    let names: Vec<String> = DTYPES.iter().map(|d| format!("`{}`", d.0)).collect();
    names.join(", ")
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
                skip_past(input, is_comma);
                continue;
            }
        }
        if input.is_empty() {
            break;
        }
        if let Err(e) = input.parse::<Token![,]>() {
            // Carry on as if the comma were there: the next limit is still checked.
            errors.push(syn::Error::new(
                e.span(),
                "expected `,` between budget limits",
            ));
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
    if device_budget::is_device_figure(&word) {
        return device_budget::parse(input, figure_ident);
    }
    let Some(&(_, figure, bytes)) = FIGURES.iter().find(|(name, _, _)| *name == word) else {
        let mut names: Vec<&str> = FIGURES.iter().map(|f| f.0).collect();
        names.extend(device_budget::names());
        let hint = match did_you_mean(&word, &names) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!(
                "budgets can limit {}, {}",
                FIGURES.iter().map(|f| f.0).collect::<Vec<_>>().join(", "),
                device_budget::listed()
            ),
        };
        return Err(syn::Error::new(
            first,
            format!("unknown budget figure `{word}`\nhelp: {hint}"),
        ));
    };
    if input.is_empty() {
        return Err(syn::Error::new(
            first,
            format!("expected `<=` and a limit after `{word}`, as in `{word} <= 12M`"),
        ));
    }
    if input.peek(Token![<=]) {
        let le = input.parse::<Token![<=]>()?;
        if input.is_empty() || input.peek(Token![,]) {
            return Err(syn::Error::new(
                le.spans[1],
                format!("expected a limit after `{word} <=`, such as `12M`, `1.5G` or `48MiB`"),
            ));
        }
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
    if device_budget::is_time_unit(unit) {
        return Err(syn::Error::new(
            span,
            format!("`{unit}` is a time, which `{figure}` is not\nhelp: a latency is limited with `latency(DEVICE) <= 5{unit}`; units for `{figure}` are {}", own.join(", ")),
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
