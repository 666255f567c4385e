//! Budgets against a device profile: `latency(DEVICE) <= 5ms`, `fits(DEVICE)` and
//! `tokens_per_s(DEVICE) >= 20`, parsed here
//! (called from `attr::parse_budget` for these names) and expanded here (from
//! `expand::budget_check`). `DEVICE` is any const expression of type `Device`, usually a path
//! such as `nncost::devices::H100_SXM`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Lit, Token};

use crate::ast::last_span;
use crate::attr::{BudgetSpec, Limit};
use crate::ctxt::did_you_mean;

/// The budget figures that take a device, as written: `(name, example)`.
pub const DEVICE_FIGURES: &[(&str, &str)] = &[
    ("latency", "latency(nncost::devices::H100_SXM) <= 5ms"),
    ("fits", "fits(nncost::devices::STM32H743)"),
    (
        "tokens_per_s",
        "tokens_per_s(nncost::devices::H100_SXM) >= 20",
    ),
];

/// Time units of a latency limit: `(as written, TimeUnit variant)`. `µs` is the micro sign
/// (U+00B5), `μs` the Greek letter mu (U+03BC); both read as microseconds.
const TIME_UNITS: &[(&str, &str)] = &[
    ("s", "S"),
    ("ms", "Ms"),
    ("us", "Us"),
    ("µs", "Us"),
    ("μs", "Us"),
    ("ns", "Ns"),
];

/// A budget against a device.
pub enum DeviceLimit {
    /// `latency(device) <= limit`.
    Latency { device: Expr, limit: TimeLimit },
    /// `fits(device)`.
    Fits { device: Expr },
    /// `tokens_per_s(device) >= limit`.
    TokensPerSecond { device: Expr, limit: RateLimit },
}

/// The limit of a tokens-per-second budget.
pub enum RateLimit {
    /// A number as written: its decimal digits (`"20"`, `"12.5"`).
    Literal(String),
    /// Any other const expression of type `u64`: whole tokens per second.
    Expr(Expr),
}

/// The limit of a latency budget.
pub enum TimeLimit {
    /// A number with a time unit: its decimal digits and the `TimeUnit` variant name.
    Literal { digits: String, unit: &'static str },
    /// Any other const expression of type `Time`.
    Expr(Expr),
}

/// Whether `unit` is a time unit (for a better message when one limits a count or size).
pub fn is_time_unit(unit: &str) -> bool {
    TIME_UNITS.iter().any(|(name, _)| *name == unit)
}

/// Whether `word` names a budget that takes a device.
pub fn is_device_figure(word: &str) -> bool {
    DEVICE_FIGURES.iter().any(|(name, _)| *name == word)
}

/// Parses the rest of `latency(DEVICE) <= limit` or `fits(DEVICE)`, the name `figure` read.
pub fn parse(input: ParseStream, figure: Ident) -> syn::Result<BudgetSpec> {
    let word = figure.to_string();
    let example = DEVICE_FIGURES
        .iter()
        .find(|(name, _)| *name == word)
        .map_or("", |(_, example)| *example);
    if !input.peek(syn::token::Paren) {
        return Err(syn::Error::new(
            figure.span(),
            format!("`{word}` needs a device profile in parentheses, as in `{example}`\nhelp: the built-in profiles are in `nncost::devices`; define your own with `Device::new(..)`"),
        ));
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    if content.is_empty() {
        return Err(syn::Error::new(
            parens.span.join(),
            format!("`{word}()` is missing its device profile, as in `{example}`"),
        ));
    }
    let device: Expr = content.parse()?;
    if !content.is_empty() {
        let error = content.error(format!(
            "`{word}` takes one device profile, as in `{example}`"
        ));
        // Consumed, so syn does not add an error of its own about the rest.
        let _ = content.parse::<TokenStream>();
        return Err(error);
    }
    let mut last = parens.span.close();
    let limit = match word.as_str() {
        "fits" => {
            if !(input.is_empty() || input.peek(Token![,])) {
                return Err(input.error(
                    "`fits(DEVICE)` takes no limit: it checks the weights against the device's flash (or RAM) and the peak memory against its RAM",
                ));
            }
            DeviceLimit::Fits { device }
        }
        "tokens_per_s" => {
            let (limit, end) = parse_rate_limit(input, &word)?;
            last = end;
            DeviceLimit::TokensPerSecond { device, limit }
        }
        _ => {
            let (limit, end) = parse_time_limit(input, &word)?;
            last = end;
            DeviceLimit::Latency { device, limit }
        }
    };
    Ok(BudgetSpec {
        // Not a `Figure`: `expand::budget_check` reads the limit instead.
        figure: "",
        limit: Limit::Device(limit),
        first: figure.span(),
        last,
    })
}

/// `<= 5ms`, `<= 1.5 ms`, `<= BUDGET` (a `Time`); the limit and the span of its last token.
fn parse_time_limit(input: ParseStream, word: &str) -> syn::Result<(TimeLimit, Span)> {
    if input.peek(Token![<=]) {
        let le = input.parse::<Token![<=]>()?;
        if input.is_empty() || input.peek(Token![,]) {
            return Err(syn::Error::new(
                le.spans[1],
                format!("expected a time after `{word}(..) <=`, such as `5ms`, `250us` or `2s`"),
            ));
        }
    } else if input.is_empty() || input.peek(Token![,]) {
        return Err(syn::Error::new(
            input.span(),
            format!("expected `<=` and a time after `{word}(..)`, as in `{word}(DEVICE) <= 5ms`"),
        ));
    } else if input.peek(Token![<]) || input.peek(Token![=]) || input.peek(Token![>=]) {
        return Err(input.error(format!(
            "a latency budget is an upper bound: write `{word}(DEVICE) <= 5ms`"
        )));
    } else {
        return Err(input.error(format!("expected `<=` after `{word}(..)`")));
    }
    let start = input.cursor();
    let expr: Expr = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), "expected a time such as `5ms`, `250us` or `2s`"))?;
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
                    "a latency limit is a time, as in `5ms`, `250us` or `2s`",
                ))
            }
        },
        Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Neg(_)) => {
            return Err(syn::Error::new_spanned(
                &expr,
                "a latency limit must not be negative",
            ));
        }
        _ => return Ok((TimeLimit::Expr(expr), last)),
    };
    // A unit may be a suffix (`5ms`) or a separate word (`5 ms`).
    let (unit, unit_span) = if suffix.is_empty() && input.peek(Ident::peek_any) {
        let unit = input.call(Ident::parse_any)?;
        last = unit.span();
        (unit.to_string(), unit.span())
    } else {
        (suffix, lit_span)
    };
    let unit = time_unit(&unit, unit_span)?;
    Ok((TimeLimit::Literal { digits, unit }, last))
}

/// `>= 20`, `>= 12.5`, `>= MIN_RATE` (a `u64`); the limit and the span of its last token.
fn parse_rate_limit(input: ParseStream, word: &str) -> syn::Result<(RateLimit, Span)> {
    const EXAMPLE: &str = "as in `tokens_per_s(DEVICE) >= 20`";
    if input.peek(Token![>=]) {
        let ge = input.parse::<Token![>=]>()?;
        if input.is_empty() || input.peek(Token![,]) {
            return Err(syn::Error::new(
                ge.spans[1],
                format!("expected a number of tokens per second after `{word}(..) >=`, {EXAMPLE}"),
            ));
        }
    } else if input.peek(Token![<=]) || input.peek(Token![<]) || input.peek(Token![>]) {
        return Err(input.error(format!(
            "a tokens-per-second budget is a lower bound: write `{word}(DEVICE) >= 20`"
        )));
    } else {
        return Err(input.error(format!(
            "expected `>=` and a number after `{word}(..)`, {EXAMPLE}"
        )));
    }
    let start = input.cursor();
    let expr: Expr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("expected a number of tokens per second, {EXAMPLE}"),
        )
    })?;
    let last = last_span(start, input.cursor());
    let (digits, suffix) = match &expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => (int.base10_digits().to_owned(), int.suffix().to_owned()),
            Lit::Float(float) => (float.base10_digits().to_owned(), float.suffix().to_owned()),
            _ => {
                return Err(syn::Error::new_spanned(
                    &expr,
                    format!("a tokens-per-second limit is a number, {EXAMPLE}"),
                ))
            }
        },
        Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Neg(_)) => {
            return Err(syn::Error::new_spanned(
                &expr,
                "a tokens-per-second limit must not be negative",
            ));
        }
        _ => return Ok((RateLimit::Expr(expr), last)),
    };
    if !suffix.is_empty() {
        return Err(syn::Error::new_spanned(
            &expr,
            format!("a tokens-per-second limit is a plain number (`20`, `12.5`), not `{suffix}`"),
        ));
    }
    Ok((RateLimit::Literal(digits), last))
}

/// The `TimeUnit` variant of `unit`, or an error at it.
fn time_unit(unit: &str, span: Span) -> syn::Result<&'static str> {
    if unit.is_empty() {
        return Err(syn::Error::new(
            span,
            "a latency limit needs a time unit, as in `5ms`\nhelp: units are s, ms, us (or µs) and ns",
        ));
    }
    if let Some((_, variant)) = TIME_UNITS.iter().find(|(name, _)| *name == unit) {
        return Ok(variant);
    }
    const OTHER: &[&str] = &[
        "K", "M", "G", "T", "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB",
    ];
    if OTHER.contains(&unit) {
        return Err(syn::Error::new(
            span,
            format!("`{unit}` does not fit `latency`, which is a time\nhelp: use s, ms, us (or µs) or ns"),
        ));
    }
    let names: Vec<&str> = TIME_UNITS.iter().map(|(name, _)| *name).collect();
    let hint = match did_you_mean(unit, &names) {
        Some(u) => format!("did you mean `{u}`?"),
        None => "units for `latency` are s, ms, us (or µs) and ns".to_owned(),
    };
    Err(syn::Error::new(
        span,
        format!("unknown time unit `{unit}`\nhelp: {hint}"),
    ))
}

/// `__nncost::check_device_budget(&report, &NODE, DeviceBudget::..)`, with `node` the model's
/// structure; the device expression keeps its own span, so a value of the wrong type is
/// reported at it.
pub fn check(limit: &DeviceLimit, node: &TokenStream) -> (TokenStream, TokenStream) {
    let budget = match limit {
        DeviceLimit::Fits { device } => {
            quote_spanned!(device.span()=> __nncost::DeviceBudget::fits(#device))
        }
        DeviceLimit::Latency {
            device,
            limit: TimeLimit::Literal { digits, unit },
        } => {
            let unit = format_ident!("{}", unit);
            quote_spanned!(device.span()=> __nncost::DeviceBudget::latency(#device, #digits, __nncost::TimeUnit::#unit))
        }
        DeviceLimit::Latency {
            device,
            limit: TimeLimit::Expr(expr),
        } => {
            quote_spanned!(device.span()=> __nncost::DeviceBudget::latency_within(#device, #expr))
        }
        DeviceLimit::TokensPerSecond {
            device,
            limit: RateLimit::Literal(digits),
        } => {
            quote_spanned!(device.span()=> __nncost::DeviceBudget::tokens_per_s(#device, #digits))
        }
        DeviceLimit::TokensPerSecond {
            device,
            limit: RateLimit::Expr(expr),
        } => {
            quote_spanned!(device.span()=> __nncost::DeviceBudget::tokens_per_s_at_least(#device, #expr))
        }
    };
    (
        quote!(__nncost::check_device_budget),
        quote!(&report, &#node, #budget),
    )
}

/// The names an unknown figure may have meant.
pub fn names() -> impl Iterator<Item = &'static str> {
    DEVICE_FIGURES.iter().map(|(name, _)| *name)
}

/// `latency(DEVICE), fits(DEVICE)`, for the list of figures in messages.
pub fn listed() -> String {
    let names: Vec<String> = names().map(|n| format!("{n}(DEVICE)")).collect();
    names.join(", ")
}
