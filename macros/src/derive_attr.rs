//! The attributes of `#[derive(ModelCost)]`: `#[nncost(..)]` on the struct (input, batch,
//! budgets, crate path, residual and branch groups) and `#[layer(..)]` / `#[nncost(skip)]` on
//! its fields. Every mistake is recorded and parsing resumes at the next key.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, LitStr, Path, Token};

use crate::ast::{self, is_comma, last_span, parse_entries, skip_past, Entry, Item};
use crate::attr::{parse_budgets, parse_dtypes, DeclAttrs};
use crate::ctxt::{did_you_mean, Errors};
use crate::derive_forward::{parse_forward, Forward};
use crate::derive_groups::{parse_branch_group, parse_residual_group, Group};

/// What `#[nncost(..)]` on the struct says.
#[derive(Default)]
pub struct StructAttrs {
    /// `input(..)`, `batch = N`, `budget(..)` and `dtype(..)`, as `network!`'s attributes give
    /// them.
    pub decl: DeclAttrs,
    /// Whether `input` was written (even if malformed): the struct is then a model.
    pub model: bool,
    /// Span of the `batch` key, if any.
    pub batch_key: Option<Span>,
    /// Span of the first `budget` key, if any.
    pub budget_key: Option<Span>,
    /// Span of the `dtype` key, if any.
    pub dtype_key: Option<Span>,
    /// `crate = path`.
    pub krate: Option<TokenStream>,
    /// `residual(..)`, `concat(..)`, `add(..)`, `mul(..)`, `matmul(..)`, in the order written.
    pub groups: Vec<Group>,
    /// `forward(..)`: the order of the forward pass, when it is not the declaration order.
    pub forward: Option<Forward>,
    /// Span of the `output` key, if any.
    pub output_key: Option<Span>,
}

/// What the attributes of one field say.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[layer(item)]`.
    pub layer: Option<LayerAttr>,
    /// `#[nncost(skip)]`: the word's span.
    pub skip: Option<Span>,
    /// `#[nncost(before(name: item, ..))]`: layers with no field of their own (a flatten, a
    /// functional activation) that run just before this field.
    pub before: Vec<Entry>,
    /// `#[nncost(after(name: item, ..))]`: the same, just after this field.
    pub after: Vec<Entry>,
    /// The `before`/`after` keys, to report them on a skipped field.
    pub extra_keys: Vec<Span>,
}

/// `#[layer(item)]` on a field.
pub struct LayerAttr {
    pub item: Item,
    /// The whole attribute.
    pub attr: Span,
    /// First and last token inside the parentheses.
    pub first: Span,
    pub last: Span,
}

const STRUCT_KEYS: &[&str] = &[
    "input", "batch", "budget", "dtype", "output", "crate", "forward", "residual", "concat", "add",
    "mul", "matmul",
];
const FIELD_KEYS: &[&str] = &["skip", "before", "after"];
const STRUCT_HELP: &str = "on a struct, `#[nncost(..)]` takes `input(..)`, `batch = N`, `budget(..)`, `dtype(..)`, `output(..)`, `crate = path`, `forward(..)`, `residual(..)`, `concat(..)`, `add(..)`, `mul(..)` and `matmul(..)`";

/// Reads the struct's `#[nncost(..)]` attributes; other attributes are left to the compiler.
pub fn parse_struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("layer") {
            errors.spanned(
                attr,
                "`#[layer(..)]` belongs on a field: it gives that field's layer\nhelp: on the struct, write `#[nncost(input(..), ..)]`",
            );
            continue;
        }
        if !attr.path().is_ident("nncost") {
            continue;
        }
        if list_tokens(attr, "`#[nncost(input(3, 224, 224))]`", errors).is_none() {
            continue;
        }
        let parser = |input: ParseStream| {
            parse_keys(input, errors, |key, input, errors| {
                struct_key(key, input, &mut out, errors)
            });
            Ok(())
        };
        if let Err(e) = attr.parse_args_with(parser) {
            errors.push(e);
        }
    }
    out
}

/// Reads one field's `#[layer(..)]` and `#[nncost(..)]` attributes.
pub fn parse_field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("layer") {
            if out.layer.is_some() {
                errors.spanned(
                    attr,
                    "duplicate `#[layer]` on this field\nhelp: one field is one entry; list several layers as `#[layer({ conv: Conv2d::new(8, 3), relu: ReLU })]`",
                );
                continue;
            }
            if let Some(layer) = parse_layer(attr, errors) {
                out.layer = Some(layer);
            }
        } else if attr.path().is_ident("module") {
            // burn's `#[module(skip)]`: not a module, so not a layer either.
            if let Some(skip) = module_skip(attr) {
                out.skip.get_or_insert(skip);
            }
        } else if attr.path().is_ident("nncost") {
            if list_tokens(attr, "`#[nncost(skip)]`", errors).is_none() {
                continue;
            }
            let parser = |input: ParseStream| {
                parse_keys(input, errors, |key, input, errors| {
                    field_key(key, input, &mut out, errors)
                });
                Ok(())
            };
            if let Err(e) = attr.parse_args_with(parser) {
                errors.push(e);
            }
        }
    }
    out
}

/// The span of `skip` in burn's `#[module(skip)]` (other `#[module(..)]` keys are burn's
/// business, and left alone).
fn module_skip(attr: &Attribute) -> Option<Span> {
    let list = attr.meta.require_list().ok()?;
    list.tokens.clone().into_iter().find_map(|tt| match tt {
        TokenTree::Ident(ident) if ident == "skip" => Some(ident.span()),
        _ => None,
    })
}

/// The tokens of `#[name(tokens)]`, or an error showing `example`.
fn list_tokens(attr: &Attribute, example: &str, errors: &mut Errors) -> Option<TokenStream> {
    match attr.meta.require_list() {
        Ok(list) if !list.tokens.is_empty() => Some(list.tokens.clone()),
        Ok(_) | Err(_) => {
            let name = attr.path().to_token_stream().to_string();
            errors.spanned(
                attr,
                format!("`#[{name}]` needs arguments, as in {example}"),
            );
            None
        }
    }
}

/// `#[layer(item)]`: any entry item of `network!`.
fn parse_layer(attr: &Attribute, errors: &mut Errors) -> Option<LayerAttr> {
    let tokens = list_tokens(attr, "`#[layer(Conv2d::new(64, 3))]`", errors)?;
    let (first, last) = token_bounds(&tokens)?;
    let mut local = Errors::default();
    let parser = |input: ParseStream| -> syn::Result<Item> {
        let item = ast::parse_item(input, &mut local)?;
        if !input.is_empty() {
            return Err(input.error(
                "one field is one entry: list several layers as `{ conv: Conv2d::new(8, 3), relu: ReLU }` or `(BlockA, BlockB)`",
            ));
        }
        Ok(item)
    };
    let parsed = attr.parse_args_with(parser);
    let item = match parsed {
        Ok(item) => item,
        Err(e) => {
            local.push(e);
            errors.append(local);
            return None;
        }
    };
    errors.append(local);
    Some(LayerAttr {
        item,
        attr: attr.bracket_token.span.join(),
        first,
        last,
    })
}

/// The spans of the first and last token tree of `tokens`.
pub fn token_bounds(tokens: &TokenStream) -> Option<(Span, Span)> {
    let mut iter = tokens.clone().into_iter();
    let first = iter.next()?.span();
    let last = iter.last().map_or(first, |tt: TokenTree| tt.span());
    Some((first, last))
}

/// `key [= value | (..)], ..`: calls `handle` for each key; a failed key is recorded and
/// parsing resumes after the next comma.
fn parse_keys(
    input: ParseStream,
    errors: &mut Errors,
    mut handle: impl FnMut(Ident, ParseStream, &mut Errors) -> syn::Result<()>,
) {
    while !input.is_empty() {
        let result = input
            .call(Ident::parse_any)
            .map_err(|e| syn::Error::new(e.span(), "expected a key, as in `input(3, 224, 224)`"))
            .and_then(|key| handle(key, input, errors));
        if let Err(e) = result {
            errors.push(e);
            skip_past(input, is_comma);
            continue;
        }
        if input.is_empty() {
            break;
        }
        if let Err(e) = input.parse::<Token![,]>() {
            errors.push(syn::Error::new(e.span(), "expected `,` between keys"));
            skip_past(input, is_comma);
        }
    }
}

/// Parses the contents of `key(..)` with `parse` (as a separate stream, so that a mistake
/// inside is reported once, and parsing resumes after the parentheses); returns the result and
/// the span of the parentheses.
pub(crate) fn in_parens<T>(
    input: ParseStream,
    key: &Ident,
    example: &str,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<(T, Span)> {
    let group = match input.fork().parse::<TokenTree>() {
        Ok(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => g,
        _ => {
            return Err(syn::Error::new(
                key.span(),
                format!("`{key}` takes a list, as in `{example}`"),
            ))
        }
    };
    input.parse::<TokenTree>()?;
    // Parsed through the group, so that a mistake at the end of the list is reported at `)`.
    let scoped = |outer: ParseStream| {
        let content;
        syn::parenthesized!(content in outer);
        parse(&content)
    };
    let value = scoped.parse2(TokenStream::from(TokenTree::Group(group.clone())))?;
    Ok((value, group.span()))
}

fn eq_value(input: ParseStream, key: &Ident, example: &str) -> syn::Result<()> {
    if !input.peek(Token![=]) {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` takes a value, as in `{example}`"),
        ));
    }
    input.parse::<Token![=]>()?;
    Ok(())
}

pub(crate) fn duplicate(key: &Ident) -> syn::Error {
    syn::Error::new(key.span(), format!("duplicate key `{key}`"))
}

fn struct_key(
    key: Ident,
    input: ParseStream,
    out: &mut StructAttrs,
    errors: &mut Errors,
) -> syn::Result<()> {
    let word = key.to_string();
    match word.as_str() {
        "input" => {
            if out.model {
                return Err(duplicate(&key));
            }
            out.model = true;
            let (spec, _) = in_parens(input, &key, "input(3, 224, 224)", parse_input)?;
            let dims = match spec {
                InputSpec::Dims(dims) => dims,
                InputSpec::Tokens(len, spans) => {
                    out.decl.input = Some((vec![len], key.span()));
                    out.decl.tokens = Some(spans);
                    return Ok(());
                }
            };
            if dims.is_empty() {
                return Err(syn::Error::new(
                    key.span(),
                    "`input` needs the dims of one sample, as in `input(3, 224, 224)`",
                ));
            }
            if dims.len() > 5 {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "`input` takes at most 5 dims besides the batch, got {}",
                        dims.len()
                    ),
                ));
            }
            out.decl.input = Some((dims.into_iter().collect(), key.span()));
        }
        "batch" => {
            if out.batch_key.is_some() {
                return Err(duplicate(&key));
            }
            out.batch_key = Some(key.span());
            eq_value(input, &key, "batch = 8")?;
            let n: Expr = input.parse()?;
            out.decl.batch = Some((n, key.span()));
        }
        "budget" => {
            out.budget_key.get_or_insert(key.span());
            let example = "budget(params <= 12M, macs <= 2G)";
            let (budgets, _) = in_parens(input, &key, example, |content| {
                if content.is_empty() {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("`budget` is empty: write limits such as `{example}`"),
                    ));
                }
                Ok(parse_budgets(content, errors))
            })?;
            out.decl.budget_span.get_or_insert(key.span());
            out.decl.budgets.extend(budgets);
        }
        "dtype" => {
            if out.decl.dtype.is_some() {
                return Err(duplicate(&key));
            }
            let example = "dtype(weights = int8, activations = f16)";
            let (dtypes, _) = in_parens(input, &key, example, |content| {
                if content.is_empty() {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("`dtype` takes dtypes, as in `{example}` or `dtype(f16)` for both"),
                    ));
                }
                Ok(parse_dtypes(content, key.span(), errors))
            })?;
            out.dtype_key = Some(key.span());
            out.decl.dtype = Some(dtypes);
        }
        "output" => {
            if out.output_key.is_some() {
                return Err(duplicate(&key));
            }
            out.output_key = Some(key.span());
            let (dims, _) = in_parens(input, &key, "output(10)", |content| {
                Punctuated::<Expr, Token![,]>::parse_terminated(content)
            })?;
            if dims.is_empty() || dims.len() > 5 {
                return Err(syn::Error::new(
                    key.span(),
                    "`output` takes the dims of one sample's output (at most 5), as in `output(10)`",
                ));
            }
            out.decl.output = Some((dims.into_iter().collect(), key.span()));
        }
        "forward" => {
            if out.forward.is_some() {
                return Err(duplicate(&key));
            }
            let example = "forward(conv1, bn1, relu, residual(conv2, bn2, shortcut = downsample))";
            let (steps, _) = in_parens(input, &key, example, |content| {
                parse_forward(content, errors)
            })?;
            if steps.is_empty() {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`forward` lists the steps of the forward pass, as in `{example}`"),
                ));
            }
            out.forward = Some(Forward {
                steps,
                span: key.span(),
            });
        }
        "crate" => {
            if out.krate.is_some() {
                return Err(duplicate(&key));
            }
            eq_value(input, &key, "crate = nn")?;
            let path = if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                lit.parse_with(Path::parse_mod_style).map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` takes the path of nncost, as in `crate = nn` or `crate = \"nn\"`",
                    )
                })?
            } else {
                input.call(Path::parse_mod_style).map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "`crate` takes the path of nncost, as in `crate = nn`",
                    )
                })?
            };
            out.krate = Some(path.to_token_stream());
        }
        "residual" => out.groups.push(parse_residual_group(&key, input, errors)?),
        "concat" | "add" | "mul" | "matmul" => {
            out.groups.push(parse_branch_group(&key, input, errors)?);
        }
        "skip" => {
            return Err(syn::Error::new(
                key.span(),
                "`skip` belongs on a field: write `#[nncost(skip)]` above a field to leave it out",
            ))
        }
        _ => {
            let hint = match did_you_mean(&word, STRUCT_KEYS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => STRUCT_HELP.to_owned(),
            };
            return Err(syn::Error::new(
                key.span(),
                format!("unknown key `{word}` in `#[nncost(..)]`\nhelp: {hint}"),
            ));
        }
    }
    Ok(())
}

fn field_key(
    key: Ident,
    input: ParseStream,
    out: &mut FieldAttrs,
    errors: &mut Errors,
) -> syn::Result<()> {
    let word = key.to_string();
    match word.as_str() {
        "before" | "after" => {
            let list = if word == "before" {
                &mut out.before
            } else {
                &mut out.after
            };
            if !list.is_empty() {
                return Err(duplicate(&key));
            }
            let example = format!("{word}(flatten: Flatten)");
            let (entries, _) = in_parens(input, &key, &example, |content| {
                Ok(parse_entries(content, errors))
            })?;
            if entries.is_empty() {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{word}` lists named layers, as in `{example}`"),
                ));
            }
            *list = entries;
            out.extra_keys.push(key.span());
            Ok(())
        }
        "skip" => {
            if out.skip.is_some() {
                return Err(duplicate(&key));
            }
            if !(input.is_empty() || input.peek(Token![,])) {
                return Err(syn::Error::new(
                    key.span(),
                    "`skip` takes no value: write `#[nncost(skip)]`",
                ));
            }
            out.skip = Some(key.span());
            Ok(())
        }
        "layer" => Err(syn::Error::new(
            key.span(),
            "a field's layer is its own attribute: write `#[layer(Conv2d::new(64, 3))]`",
        )),
        _ if STRUCT_KEYS.contains(&word.as_str()) => Err(syn::Error::new(
            key.span(),
            format!("`{word}` belongs on the struct: write `#[nncost({word}(..))]` above `struct`"),
        )),
        _ => {
            let hint = match did_you_mean(&word, FIELD_KEYS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => {
                    "on a field, `#[nncost(..)]` takes `skip`, `before(..)` and `after(..)`; give the layer with `#[layer(..)]`"
                        .to_owned()
                }
            };
            Err(syn::Error::new(
                key.span(),
                format!("unknown key `{word}` in `#[nncost(..)]`\nhelp: {hint}"),
            ))
        }
    }
}

/// What `input(..)` holds.
enum InputSpec {
    /// The dims of one sample.
    Dims(Punctuated<Expr, Token![,]>),
    /// `tokens = L`: `L` token ids; the first and last span of `tokens = L`.
    Tokens(Expr, (Span, Span)),
}

/// `dims..` or `tokens = L`, as `network!`'s `#[input(..)]`.
fn parse_input(content: ParseStream) -> syn::Result<InputSpec> {
    if !(content.peek(Ident::peek_any) && content.peek2(Token![=])) {
        return Punctuated::parse_terminated(content).map(InputSpec::Dims);
    }
    let setting = content.call(Ident::parse_any)?;
    if setting != "tokens" {
        return Err(syn::Error::new(
            setting.span(),
            format!("unknown `input` setting `{setting}`\nhelp: write the dims of one sample (`input(3, 224, 224)`) or `tokens = L` for a sequence of L token ids"),
        ));
    }
    content.parse::<Token![=]>()?;
    let start = content.cursor();
    let len: Expr = content.parse()?;
    let last = last_span(start, content.cursor());
    if content.peek(Token![,]) {
        content.parse::<Token![,]>()?;
    }
    if !content.is_empty() {
        return Err(content.error(
            "`tokens = L` stands alone: the input is `[N, L]` token ids, as in `input(tokens = 128)`",
        ));
    }
    Ok(InputSpec::Tokens(len, (setting.span(), last)))
}
