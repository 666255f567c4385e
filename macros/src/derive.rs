//! `#[derive(ModelCost)]`: a struct's fields become the entries of a block (or, with
//! `#[nncost(input(..))]`, a model), in declaration order, or in the order `forward(..)` gives
//! ([`derive_forward`]).
//!
//! The struct is mapped onto the same [`Decl`]/[`Body`] that `network!` parses, so code
//! generation ([`expand::cost_impls`]) is shared: a derived struct gets exactly the impls, consts
//! and error spans of a `network!` declaration. Parse ([`crate::derive_attr`]) → model ([`body`]) →
//! checks → code; every error is collected, and on any error the impls fall back to a
//! `Node::Broken` so that uses elsewhere do not cascade, with the layers that did parse kept in
//! an unevaluated const so that the imports they use stay used.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, Field, Fields, Type};

use crate::ast::{Body, Decl, DeclKind, Entry, Item};
use crate::ctxt::{did_you_mean, Errors};
use crate::derive_attr::{
    parse_field_attrs, parse_struct_attrs, token_bounds, FieldAttrs, StructAttrs,
};
use crate::derive_forward;
use crate::derive_groups::{group_entry, group_members, FieldEntries, FieldRange, FieldRef, Group};
use crate::expand;
use crate::names;

/// The derive on `proc_macro2` tokens: the impls plus every error found, never a panic.
pub fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let mut errors = Errors::default();
    let mut attrs = parse_struct_attrs(&input.attrs, &mut errors);
    check_struct_attrs(&input, &attrs, &mut errors);
    // The layers given in attributes, whether or not the struct turns out right.
    let mut parsed = Vec::new();
    let body = match &input.data {
        Data::Struct(data) => body(&input, &data.fields, &mut attrs, &mut parsed, &mut errors),
        Data::Enum(data) => {
            errors.at(
                data.enum_token.span,
                "`#[derive(ModelCost)]` works on structs, not enums: a struct's fields are its layers, run in order\nhelp: derive it on each variant's struct, or declare the alternatives with `if` in `network!`",
            );
            None
        }
        Data::Union(data) => {
            errors.at(
                data.union_token.span,
                "`#[derive(ModelCost)]` works on structs, not unions: a struct's fields are its layers, run in order",
            );
            None
        }
    };
    let decl = Decl {
        attrs: Vec::new(),
        vis: input.vis.clone(),
        kind: if attrs.model {
            DeclKind::Model
        } else {
            DeclKind::Block
        },
        kind_span: input.ident.span(),
        name: input.ident.clone(),
        generics: input.generics.clone(),
        signature: crate::ast::Signature::default(),
        body: None,
    };
    let krate = attrs.krate.clone().unwrap_or_else(|| quote!(::nncost));
    let plan = match &body {
        Some(body) if errors.is_empty() => crate::wiring::plan(&decl, body, &mut errors),
        _ => crate::wiring::Plan::default(),
    };
    let body = body.filter(|_| errors.is_empty());
    let mut out = expand::cost_impls(&krate, &decl, &attrs.decl, body.as_ref(), &plan);
    if body.is_none() {
        parsed.extend(attrs.groups.iter().flat_map(|g| g.after.iter().cloned()));
        let parsed = Body {
            entries: parsed,
            span: input.ident.span(),
            empty: false,
        };
        out.extend(expand::unchecked_layers(&krate, &decl, &parsed));
    }
    errors.emit(out)
}

/// `batch`, `budget` and `dtype` need a model, i.e. an `input`.
fn check_struct_attrs(input: &DeriveInput, attrs: &StructAttrs, errors: &mut Errors) {
    if attrs.model {
        return;
    }
    let name = &input.ident;
    for (key, span) in [
        ("batch", attrs.batch_key),
        ("budget", attrs.budget_key),
        ("dtype", attrs.dtype_key),
        ("output", attrs.output_key),
    ] {
        if let Some(span) = span {
            let or = if key == "budget" {
                ", or use `nncost::assert_budget!` on a model that contains it"
            } else {
                ""
            };
            errors.at(
                span,
                format!("`{key}` belongs on a model, and `{name}` has no input\nhelp: add `input(..)` (the dims of one sample), as in `#[nncost(input(3, 224, 224), {key}..)]`{or}"),
            );
        }
    }
}

/// One field after its attributes are read.
struct FieldInfo<'a> {
    field: &'a Field,
    /// The name in layer paths: the field's name without `r#`, or its index.
    name: String,
    index: usize,
    attrs: FieldAttrs,
}

impl FieldInfo<'_> {
    fn span(&self) -> Span {
        match &self.field.ident {
            Some(ident) => ident.span(),
            None => self.field.ty.span(),
        }
    }

    /// The field's entries: its `before(..)` layers, the field, its `after(..)` layers.
    fn entries(&self) -> Vec<Entry> {
        let mut entries = self.attrs.before.clone();
        entries.push(self.entry());
        entries.extend(self.attrs.after.iter().cloned());
        entries
    }

    /// The layers its attributes give: `before(..)`, `#[layer(..)]`, `after(..)`.
    fn attribute_layers(&self) -> Vec<Entry> {
        let mut entries = self.attrs.before.clone();
        if self.attrs.layer.is_some() {
            entries.push(self.entry());
        }
        entries.extend(self.attrs.after.iter().cloned());
        entries
    }

    /// The field as an entry: its `#[layer]`, else its type's cost model.
    fn entry(&self) -> Entry {
        let (item, first, last) = match &self.attrs.layer {
            Some(layer) => (layer.item.clone(), layer.first, layer.last),
            None => {
                let ty = &self.field.ty;
                let last = token_bounds(&ty.to_token_stream()).map_or(self.span(), |b| b.1);
                (type_item(ty), self.span(), last)
            }
        };
        let (name, label) = match &self.field.ident {
            Some(ident) => (Some(ident.unraw()), None),
            None => (None, Some(self.index.to_string())),
        };
        Entry {
            label,
            ..Entry::plain(name, item, first, last)
        }
    }
}

/// A field's type that is a `Vec` (of blocks, as frameworks hold repeated layers), if it is one.
fn vec_element(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

/// A type as it is written (`Block<B>`), for messages.
fn type_text(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    ["< ", " <", " >", " ::", ":: ", " ,"]
        .iter()
        .fold(text, |text, spaced| text.replace(spaced, spaced.trim()))
}

/// The fields, as groups and `forward(..)` read them.
struct FieldTable<'a, 'b>(&'a [FieldInfo<'b>]);

impl FieldEntries for FieldTable<'_, '_> {
    fn resolve(&self, range: &FieldRange, errors: &mut Errors) -> Option<Vec<usize>> {
        resolve(self.0, range, errors)
    }

    fn entries(&self, index: usize) -> Vec<Entry> {
        self.0[index].entries()
    }
}

/// The structure of a field's type: an array `[T; N]` is `N` copies of `T` in a row, a tuple a
/// sequence named `0`, `1`, ..; any other type contributes its `ModelCost::NODE`.
fn type_item(ty: &Type) -> Item {
    match ty {
        Type::Array(array) => {
            let len = &array.len;
            // Array lengths are `usize`; repeat counts are `u64` (a literal simply types as one).
            let count = match len {
                Expr::Lit(_) => quote!(#len),
                _ => quote!((#len) as u64),
            };
            Item::Repeat {
                item: Box::new(type_item(&array.elem)),
                count,
            }
        }
        Type::Tuple(tuple) if !tuple.elems.is_empty() => {
            Item::Tuple(tuple.elems.iter().map(type_item).collect())
        }
        Type::Paren(paren) => type_item(&paren.elem),
        Type::Group(group) => type_item(&group.elem),
        _ => Item::Block(ty.clone()),
    }
}

/// The struct's body: one entry per costed field, in declaration order, with each group at the
/// place of its first field. `None` if there is nothing to cost (errors are recorded).
fn body(
    input: &DeriveInput,
    fields: &Fields,
    attrs: &mut StructAttrs,
    parsed: &mut Vec<Entry>,
    errors: &mut Errors,
) -> Option<Body> {
    let infos: Vec<FieldInfo> = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let attrs = parse_field_attrs(&field.attrs, errors);
            if let (Some(_), Some(layer)) = (attrs.skip, &attrs.layer) {
                errors.at(
                    layer.attr,
                    "`#[layer]` on a skipped field\nhelp: remove `#[nncost(skip)]` (or burn's `#[module(skip)]`) to cost the field with this layer, or remove the `#[layer(..)]`",
                );
            }
            if attrs.skip.is_some() {
                for &key in &attrs.extra_keys {
                    errors.at(
                        key,
                        "`before`/`after` on a skipped field\nhelp: attach these layers to a field that is costed",
                    );
                }
            }
            let name = match &field.ident {
                Some(ident) => ident.unraw().to_string(),
                None => index.to_string(),
            };
            FieldInfo {
                field,
                name,
                index,
                attrs,
            }
        })
        .collect();
    parsed.extend(infos.iter().flat_map(FieldInfo::attribute_layers));
    for info in infos
        .iter()
        .filter(|f| f.attrs.skip.is_none() && f.attrs.layer.is_none())
    {
        if let Some(element) = vec_element(&info.field.ty) {
            let element = type_text(element);
            errors.spanned(
                &info.field.ty,
                format!("`{}` holds a number of layers known only at run time, so it has no cost model\nhelp: give them with `#[layer([{element}; N])]` (N copies in a row), or leave the field out with `#[nncost(skip)]`", info.name),
            );
        }
    }
    let costed: Vec<usize> = infos
        .iter()
        .filter(|f| f.attrs.skip.is_none())
        .map(|f| f.index)
        .collect();
    if costed.is_empty() {
        let what = if infos.is_empty() {
            "has no fields"
        } else {
            "skips every field"
        };
        errors.at(
            input.ident.span(),
            format!("`{}` {what}, so it has no layers\nhelp: every field that is not `#[nncost(skip)]` is a layer: give it `#[layer(..)]` or a costed type", input.ident),
        );
        return None;
    }
    if let Some(forward) = &attrs.forward {
        return forward_body(input, &infos, &costed, attrs, forward, errors);
    }
    let members = group_members(&FieldTable(&infos), &attrs.groups, errors)?;
    // Which group each field belongs to.
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (g, parts) in members.iter().enumerate() {
        for &i in parts.iter().flatten() {
            if let Some(other) = group_of.insert(i, g) {
                let (a, b) = (
                    attrs.groups[other].kind.keyword(),
                    attrs.groups[g].kind.keyword(),
                );
                let message = if other == g {
                    format!("field `{}` is in this `{b}` twice", infos[i].name)
                } else {
                    format!(
                        "field `{}` is already in a `{a}` group, and cannot also be in this `{b}`",
                        infos[i].name
                    )
                };
                errors.at(
                    attrs.groups[g].first,
                    format!("{message}\nhelp: a field belongs to one group, once; nest structure by giving a field a derived or `network!` type"),
                );
                return None;
            }
        }
    }
    for (g, group) in attrs.groups.iter().enumerate() {
        check_contiguous(&infos, &costed, &group_of, g, group, errors);
    }
    let mut entries = Vec::new();
    let mut emitted = vec![false; attrs.groups.len()];
    for &i in &costed {
        match group_of.get(&i) {
            None => entries.extend(infos[i].entries()),
            Some(&g) if !emitted[g] => {
                emitted[g] = true;
                let group = &attrs.groups[g];
                entries.push(group_entry(&FieldTable(&infos), group, &members[g]));
                entries.extend(group.after.iter().cloned());
            }
            Some(_) => {}
        }
    }
    Some(named(entries, input))
}

/// The struct's body from its entries, with repeated names numbered (see [`names`]): groups are
/// transparent, so a `before`/`after` layer named as a field is that layer applied again.
fn named(entries: Vec<Entry>, input: &DeriveInput) -> Body {
    let mut body = Body {
        entries,
        span: input.ident.span(),
        empty: false,
    };
    names::assign(&mut body);
    body
}

/// The struct's body in the order of `forward(..)`; every costed field must be in it.
fn forward_body(
    input: &DeriveInput,
    infos: &[FieldInfo],
    costed: &[usize],
    attrs: &StructAttrs,
    forward: &derive_forward::Forward,
    errors: &mut Errors,
) -> Option<Body> {
    for group in &attrs.groups {
        errors.at(
            group.first,
            format!("with `forward(..)`, write the `{}` group inside it, over the steps it combines\nhelp: as in `forward(.., residual(conv1, bn1, shortcut = downsample), ..)`", group.kind.keyword()),
        );
    }
    let mut used = vec![false; infos.len()];
    let entries = derive_forward::entries(&forward.steps, &FieldTable(infos), &mut used, errors);
    let mut ok = entries.is_some() && attrs.groups.is_empty();
    for &i in costed {
        if !used[i] {
            ok = false;
            errors.at(
                infos[i].span(),
                format!("field `{}` is not in `forward(..)`\nhelp: list it where the forward pass applies it, or leave it out with `#[nncost(skip)]` if it is not a layer", infos[i].name),
            );
        }
    }
    if !ok {
        if entries.is_none() && used.iter().all(|u| !u) {
            errors.at(forward.span, "`forward(..)` names no field of this struct");
        }
        return None;
    }
    Some(named(entries?, input))
}

/// The costed fields of `range`, or an error at the field reference that is wrong.
fn resolve(infos: &[FieldInfo], range: &FieldRange, errors: &mut Errors) -> Option<Vec<usize>> {
    let find = |r: &FieldRef, errors: &mut Errors| -> Option<usize> {
        match infos.iter().find(|f| f.name == r.name) {
            Some(f) if f.attrs.skip.is_some() => {
                errors.at(
                    r.span,
                    format!(
                        "field `{}` is skipped (not a layer), so it cannot be in a group or in `forward(..)`",
                        r.name
                    ),
                );
                None
            }
            Some(f) => Some(f.index),
            None => {
                let names: Vec<&str> = infos.iter().map(|f| f.name.as_str()).collect();
                let hint = match did_you_mean(&r.name, &names) {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => format!("the fields are {}", quoted(&names)),
                };
                errors.at(
                    r.span,
                    format!("no field `{}` in this struct\nhelp: {hint}", r.name),
                );
                None
            }
        }
    };
    let start = find(&range.start, errors);
    let end = match &range.end {
        Some(end) => find(end, errors),
        None => start,
    };
    let (start, end) = (start?, end?);
    if end < start {
        if let Some(end_ref) = &range.end {
            errors.at(
                end_ref.span,
                format!(
                    "`{}..={}` runs backwards: `{}` is declared before `{}`",
                    range.start.name, end_ref.name, end_ref.name, range.start.name
                ),
            );
        }
        return None;
    }
    Some(
        (start..=end)
            .filter(|&i| infos[i].attrs.skip.is_none())
            .collect(),
    )
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A group runs where its first field stands, so no other costed field may stand between its
/// fields (that field would silently run before or after the whole group).
fn check_contiguous(
    infos: &[FieldInfo],
    costed: &[usize],
    group_of: &HashMap<usize, usize>,
    g: usize,
    group: &Group,
    errors: &mut Errors,
) {
    let positions: Vec<usize> = costed
        .iter()
        .enumerate()
        .filter(|(_, i)| group_of.get(i) == Some(&g))
        .map(|(p, _)| p)
        .collect();
    let (Some(&lo), Some(&hi)) = (positions.first(), positions.last()) else {
        return;
    };
    if let Some(&stray) = costed[lo..=hi].iter().find(|i| group_of.get(i) != Some(&g)) {
        errors.at(
            infos[stray].span(),
            format!(
                "field `{}` stands between the fields of the `{}` group (`{}` to `{}`), which run together where the first of them is declared\nhelp: move `{}` before or after them, or add it to the group",
                infos[stray].name,
                group.kind.keyword(),
                infos[costed[lo]].name,
                infos[costed[hi]].name,
                infos[stray].name,
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: TokenStream) -> String {
        derive(input).to_string()
    }

    #[test]
    fn fields_become_entries_in_order_with_groups_in_place() {
        let out = expand(quote! {
            #[nncost(residual(a..=b, shortcut = c, after(relu: ReLU)))]
            struct Block<X> {
                pre: ReLU,
                #[layer(Conv2d::new(8, 3))] a: X,
                #[nncost(skip)] gap: u8,
                b: ReLU,
                #[layer(Projection::conv_bn(8))] c: X,
                last: Flatten,
            }
        });
        assert!(!out.contains("compile_error"), "{out}");
        assert!(out.contains("impl < X > __nncost :: ModelCost for Block < X >"));
        let order: Vec<usize> = [
            "name : \"pre\"",
            "Node :: Residual",
            "name : \"a\"",
            "name : \"b\"",
            "name : \"c\"",
            "name : \"relu\"",
            "name : \"last\"",
        ]
        .iter()
        .map(|needle| out.find(needle).unwrap_or(usize::MAX))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?} in {out}");
        assert!(!out.contains("\"gap\""));
        // A block: no `Model` impl.
        assert!(!out.contains("Model for"));
    }

    #[test]
    fn tuple_fields_are_named_by_index_and_arrays_repeat() {
        let out = expand(quote! {
            #[nncost(input(4))]
            struct Net(#[nncost(skip)] u8, [ReLU; 3], (ReLU, GELU));
        });
        assert!(!out.contains("compile_error"), "{out}");
        assert!(out.contains("name : \"1\""));
        assert!(out.contains("name : \"2\""));
        assert!(out.contains("Node :: Repeat"));
        // A literal array length types itself as the `u64` repeat count: no cast to lint on.
        assert!(out.contains(", 3)"), "{out}");
        assert!(!out.contains("as u64"), "{out}");
        assert!(out.contains("__nncost :: Model for Net"));
        assert!(out.contains("summary_fn"));
    }

    #[test]
    fn errors_come_with_a_fallback_impl() {
        let out = expand(quote! {
            #[nncost(inptu(3), residual(nope))]
            enum Net { A }
        });
        assert!(out.contains("compile_error"));
        assert!(out.contains("Node :: Broken"));
        assert!(out.contains("works on structs, not enums"));
        assert!(out.contains("unknown key `inptu`"));
    }

    #[test]
    fn the_crate_path_is_configurable() {
        let out = expand(quote! {
            #[nncost(crate = my::nn)]
            struct B { r: ReLU }
        });
        assert!(
            out.contains("use my :: nn :: __private as __nncost"),
            "{out}"
        );
        let default = expand(quote!(
            struct B {
                r: ReLU,
            }
        ));
        assert!(default.contains("use :: nncost :: __private as __nncost"));
    }

    #[test]
    fn malformed_input_never_panics() {
        let cases = [
            quote!(
                #[nncost]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost = 1]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(input)]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(input(tokens = ))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(batch =)]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(budget())]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(budget(macs <=))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(crate)]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(residual())]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(residual(r, shortcut))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(residual(r, shortcut = r, shortcut = r))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(residual(r..=))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(concat(r, 1..=2))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(add(r, r))]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                #[nncost(,,)]
                struct A {
                    r: ReLU,
                }
            ),
            quote!(
                struct A {
                    #[layer()]
                    r: ReLU,
                }
            ),
            quote!(
                struct A {
                    #[layer(,)]
                    r: ReLU,
                }
            ),
            quote!(
                struct A {
                    #[layer({ a: })]
                    r: ReLU,
                }
            ),
            quote!(
                struct A {
                    #[nncost(skip = 1)]
                    r: ReLU,
                }
            ),
            quote!(
                struct A {
                    #[nncost(before)]
                    r: ReLU,
                }
            ),
            quote!(
                struct A;
            ),
            quote!(
                struct A {}
            ),
            quote!(union U { a: u8 }),
            quote!(not a struct at all),
        ];
        for case in cases {
            let text = case.to_string();
            let out = expand(case);
            assert!(
                out.contains("compile_error"),
                "no error for `{text}`: {out}"
            );
        }
    }
}
