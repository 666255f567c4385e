//! Code generation. The macros emit data and const items that call `nncost-core` through
//! `__private`; they never compute a number themselves.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{GenericParam, Type};

use crate::ast::{Body, Decl, DeclKind, Entry, Item, MergeKind, NetworkInput};
use crate::attr::{parse_decl_attrs, BudgetSpec, DeclAttrs, Limit};
use crate::ctxt::Errors;
use crate::valid;

/// Expands every declaration; failed ones get a fallback so that uses elsewhere do not cascade.
pub fn network(input: &NetworkInput, errors: &mut Errors) -> TokenStream {
    let mut out = TokenStream::new();
    for decl in &input.decls {
        let mut local = Errors::default();
        let attrs = parse_decl_attrs(&decl.attrs, &mut local);
        valid::check(decl, &attrs, &mut local);
        let body = decl.body.as_ref().filter(|_| local.is_empty());
        out.extend(declaration(input, decl, &attrs, body));
        errors.append(local);
    }
    out
}

/// One declaration: the type, its `ModelCost` impl and, for models, `Model` and the figures.
/// With `body == None` (an error was reported) the type still exists, so uses elsewhere
/// resolve, but evaluating it fails with a pointer to the reported errors.
fn declaration(
    input: &NetworkInput,
    decl: &Decl,
    attrs: &DeclAttrs,
    body: Option<&Body>,
) -> TokenStream {
    let struct_def = struct_definition(decl, attrs);
    let impls = cost_impls(&input.krate, decl, attrs, body);
    quote! {
        #struct_def
        #impls
    }
}

/// The `ModelCost` impl of a declared type and, for models, `Model`, the figures and
/// `summary()`; shared by `network!` and `#[derive(ModelCost)]` (which maps a struct onto a
/// [`Decl`]). With `body == None` the impls are the fallback described at [`declaration`].
pub fn cost_impls(
    krate: &TokenStream,
    decl: &Decl,
    attrs: &DeclAttrs,
    body: Option<&Body>,
) -> TokenStream {
    let name = &decl.name;
    let name_text = name.to_string();
    let (impl_generics, ty_generics, where_clause) = decl.generics.split_for_impl();
    let node = match body {
        Some(body) => {
            // The structure is spanned at the declaration's name: rustc promotes each `&[..]`
            // to a constant of its own, and points notes about a failed one at its tokens.
            let span = name.span();
            let seq = seq(body, span);
            quote_spanned!(span=> __nncost::NncostNode::Block { name: #name_text, body: &#seq })
        }
        None => quote!(__nncost::NncostNode::Broken { name: #name_text }),
    };
    let model = if decl.kind == DeclKind::Model {
        model_items(decl, attrs, body)
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            use #krate::__private as __nncost;
            #[automatically_derived]
            impl #impl_generics __nncost::ModelCost for #name #ty_generics #where_clause {
                const NODE: __nncost::NncostNode = #node;
            }
            #model
        };
    }
}

/// `struct Name<..>;`, or a tuple struct with `PhantomData` when there are type or lifetime
/// parameters (which a struct must use).
fn struct_definition(decl: &Decl, attrs: &DeclAttrs) -> TokenStream {
    let forwarded = &attrs.forwarded;
    let vis = &decl.vis;
    let name = &decl.name;
    let generics = &decl.generics;
    let where_clause = &generics.where_clause;
    let mut used = Vec::new();
    for param in &generics.params {
        match param {
            GenericParam::Type(t) => {
                let ident = &t.ident;
                used.push(quote!(#ident));
            }
            GenericParam::Lifetime(l) => {
                let lifetime = &l.lifetime;
                used.push(quote!(&#lifetime ()));
            }
            GenericParam::Const(_) => {}
        }
    }
    if used.is_empty() {
        quote! {
            #(#forwarded)*
            #vis struct #name #generics #where_clause;
        }
    } else {
        quote! {
            #(#forwarded)*
            #vis struct #name #generics (::core::marker::PhantomData<fn() -> (#(#used,)*)>) #where_clause;
        }
    }
}

/// `impl Model`, the inherent figure consts, `summary()`, and (for a concrete model) a const
/// item that makes `cargo check` evaluate the model and its budgets.
fn model_items(decl: &Decl, attrs: &DeclAttrs, body: Option<&Body>) -> TokenStream {
    let name = &decl.name;
    let name_text = name.to_string();
    let (impl_generics, ty_generics, where_clause) = decl.generics.split_for_impl();
    let dims = attrs
        .input
        .as_ref()
        .map(|(dims, _)| dims.clone())
        .unwrap_or_default();
    let batch = match &attrs.batch {
        Some((batch, _)) => batch.to_token_stream(),
        None => quote!(1),
    };
    let input_shape = if body.is_some() {
        quote!(__nncost::Shape::input(#batch, &[#(#dims),*]))
    } else {
        quote!(__nncost::Shape::SCALAR)
    };
    // Spanned at the model's name, so that rustc's notes about an erroneous constant point
    // there (and not at the whole macro call, or into nncost's sources).
    let result = quote_spanned!(name.span()=> &<Self as __nncost::NncostModel>::RESULT);
    let result_ty = quote!(::core::result::Result<__nncost::Report, __nncost::ModelError>);
    let evaluate = quote_spanned! {name.span()=>
        const RESULT: #result_ty =
            __nncost::evaluate_at(
                <Self as __nncost::NncostModel>::NAME,
                &<Self as __nncost::NncostModelCost>::NODE,
                <Self as __nncost::NncostModel>::INPUT,
                <Self as __nncost::NncostModel>::PRECISION,
            );
    };
    // A shape error is reported at the top-level entry it happened in.
    let arms = body
        .map(|b| b.entries.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let call = spanned_call(
                entry.first,
                entry.last,
                quote!(__nncost::unwrap_report),
                result.clone(),
            );
            quote!(#i => #call,)
        });
    let fallback_call = spanned_call(
        name.span(),
        name.span(),
        quote!(__nncost::unwrap_report),
        result.clone(),
    );
    let budgets = match body {
        Some(_) => attrs.budgets.iter().map(budget_check).collect(),
        None => Vec::new(),
    };
    // `#[input(tokens = L)]`: the ids must go into an Embedding (checked first, at `tokens = L`).
    let token_check = match (attrs.tokens, body) {
        (Some((first, last)), Some(_)) => {
            let call = spanned_call(
                first,
                last,
                quote!(__nncost::check_token_input),
                quote_spanned!(name.span()=> #name_text, &<Self as __nncost::NncostModelCost>::NODE),
            );
            quote!(#call;)
        }
        _ => TokenStream::new(),
    };
    // `summary()`, or nothing when the facade is built without `std` (the macro is defined
    // under the facade's feature, which a derive cannot see).
    let summary = quote!(__nncost::summary_fn! {});
    // A declaration with errors has been reported already: evaluating it would only repeat that.
    let report_ty = quote!(__nncost::Report);
    let concrete_check = if decl.generics.params.is_empty() && body.is_some() {
        quote_spanned! {name.span()=>
            const _: #report_ty = <#name as __nncost::NncostModel>::REPORT;
        }
    } else {
        TokenStream::new()
    };
    let inherent = inherent_consts(decl, &summary);
    let precision = precision(attrs, body);
    quote! {
        #[automatically_derived]
        impl #impl_generics __nncost::Model for #name #ty_generics #where_clause {
            const NAME: &'static str = #name_text;
            const INPUT: __nncost::Shape = #input_shape;
            #precision
            #evaluate
            const REPORT: __nncost::Report = {
                #token_check
                let report = match __nncost::fault_entry(#result) {
                    #(#arms)*
                    _ => #fallback_call,
                };
                #(#budgets;)*
                report
            };
        }
        #inherent
        #concrete_check
    }
}

/// `const PRECISION` from `#[dtype(..)]` (each dtype as written, f32 when left out), or nothing
/// (the trait's default, f32) without the attribute or after an error.
fn precision(attrs: &DeclAttrs, body: Option<&Body>) -> TokenStream {
    let (Some(dtype), Some(_)) = (&attrs.dtype, body) else {
        return TokenStream::new();
    };
    let f32 = quote!(__nncost::DType::F32);
    let weights = dtype.weights.as_ref().unwrap_or(&f32);
    let activations = dtype.activations.as_ref().unwrap_or(&f32);
    // Spanned at the attribute, so a dtype of the wrong type is reported there.
    quote_spanned! {dtype.span=>
        const PRECISION: __nncost::Precision = __nncost::Precision::new(#weights, #activations);
    }
}

/// The figures as inherent consts (`ResNet18::MACS`, no import needed), spanned at the model's
/// name so that notes about an erroneous figure point there. They read the same report as the
/// `Model` trait's consts of the same names (which generic code reads): reading those instead
/// would point rustc's notes about an erroneous model into nncost's sources.
fn inherent_consts(decl: &Decl, summary: &TokenStream) -> TokenStream {
    let name = &decl.name;
    let (impl_generics, ty_generics, where_clause) = decl.generics.split_for_impl();
    let doc_report =
        format!("Everything nncost computed for `{name}` (evaluated at compile time).");
    // Types at the macro's own span: `Shape` and `Precision` may be in the user's scope, and a
    // qualified path at the user's span would trip `unused_qualifications`.
    let report = quote!(__nncost::Report);
    let shape = quote!(__nncost::Shape);
    let precision = quote!(__nncost::Precision);
    quote_spanned! {name.span()=>
        // The figures exist for whoever wants them; a model that reads none is not dead code.
        #[allow(dead_code)]
        impl #impl_generics #name #ty_generics #where_clause {
            #[doc = #doc_report]
            pub const REPORT: #report = <Self as __nncost::NncostModel>::REPORT;
            /// Learnable parameters, as PyTorch's `sum(p.numel() for p in model.parameters())`.
            pub const PARAMS: u64 = Self::REPORT.cost.params;
            /// Non-learnable state (BatchNorm running mean and variance).
            pub const BUFFERS: u64 = Self::REPORT.cost.buffers;
            /// Multiply-accumulates of one forward pass (torchvision's and fvcore's convention).
            pub const MACS: u64 = Self::REPORT.cost.macs;
            /// Floating-point operations: `2 × MACS` plus each layer's documented extra work.
            pub const FLOPS: u64 = Self::REPORT.cost.flops;
            /// The input shape, batch first.
            pub const INPUT_SHAPE: #shape = Self::REPORT.input;
            /// The output shape, batch first.
            pub const OUTPUT_SHAPE: #shape = Self::REPORT.output;
            /// The dtypes of weights and activations (`#[dtype(..)]`; f32 by default).
            pub const PRECISION: #precision = <Self as __nncost::NncostModel>::PRECISION;
            /// Bytes of the parameters: `PARAMS ×` the weight dtype's size.
            pub const WEIGHT_BYTES: u64 = Self::REPORT.memory.weights;
            /// Bytes of every activation tensor (the input, each layer's and merge's output),
            /// all allocated at once.
            pub const ACTIVATION_BYTES: u64 = Self::REPORT.memory.activations;
            /// `WEIGHT_BYTES` plus the most activation bytes alive at once, layers run in order.
            pub const PEAK_MEMORY_BYTES: u64 = Self::REPORT.memory.peak;
            /// Bytes read and written by every layer and merge: inputs, weights and outputs.
            pub const MEMORY_ACCESS_BYTES: u64 = Self::REPORT.memory.access;
            /// FLOPs per byte of memory traffic: `FLOPS / MEMORY_ACCESS_BYTES`.
            pub const ARITHMETIC_INTENSITY: f64 = Self::REPORT.arithmetic_intensity();
            #summary
        }
    }
}

/// `__nncost::check_budget(&report, Budget::..)`, spanned at the budget in the user's source.
fn budget_check(budget: &BudgetSpec) -> TokenStream {
    let figure = format_ident!("{}", budget.figure);
    let value = match &budget.limit {
        Limit::Literal { digits, unit } => {
            let unit = format_ident!("{}", unit);
            quote!(__nncost::Budget::new(__nncost::Figure::#figure, #digits, __nncost::Unit::#unit))
        }
        Limit::Expr(expr) => quote!(__nncost::Budget::exact(__nncost::Figure::#figure, #expr)),
    };
    spanned_call(
        budget.first,
        budget.last,
        quote!(__nncost::check_budget),
        quote!(&report, #value),
    )
}

/// Budgets for any model type (`assert_budget!`): one const item checking each limit.
pub fn assert_budget(krate: &TokenStream, ty: &Type, budgets: &[BudgetSpec]) -> TokenStream {
    let checks = budgets.iter().map(budget_check);
    let report = quote_spanned!(ty.span()=> <#ty as __nncost::NncostModel>::REPORT);
    quote! {
        const _: () = {
            use #krate::__private as __nncost;
            let report = #report;
            #(#checks;)*
        };
    }
}

/// `path(args)` whose span runs from `first` to `last`, so a `#[track_caller]` panic inside it
/// is reported over exactly those user tokens.
pub(crate) fn spanned_call(
    first: Span,
    last: Span,
    path: TokenStream,
    args: TokenStream,
) -> TokenStream {
    let path = respan(path, first);
    let mut group = Group::new(Delimiter::Parenthesis, args);
    group.set_span(last);
    quote!(#path #group)
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

fn seq(body: &Body, span: Span) -> TokenStream {
    let entries = body.entries.iter().map(|e| entry(e, span));
    quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
}

fn entry(entry: &Entry, span: Span) -> TokenStream {
    let name = match (&entry.name, entry.index) {
        (Some(name), _) => name.to_string(),
        (None, Some(index)) => index.to_string(),
        (None, None) => String::new(),
    };
    let node = node(&entry.item, span);
    quote_spanned!(span=> __nncost::NncostEntry { name: #name, node: #node })
}

/// The `Node` of `item`; `span` is for the structure's own tokens (see [`cost_impls`]).
fn node(item: &Item, span: Span) -> TokenStream {
    match item {
        Item::Layer(tokens) => {
            let first = tokens
                .clone()
                .into_iter()
                .next()
                .map_or_else(Span::call_site, |tt| tt.span());
            let into_layer = quote_spanned!(first=> into_layer);
            quote_spanned!(span=> __nncost::NncostNode::Layer((#tokens).#into_layer()))
        }
        Item::Block(ty) => {
            quote_spanned!(ty.span()=> <#ty as __nncost::NncostModelCost>::NODE)
        }
        Item::Repeat { item, count } => {
            let inner = node(item, span);
            quote_spanned!(span=> __nncost::NncostNode::Repeat(&#inner, #count))
        }
        Item::Tuple(items) => {
            let entries = items.iter().enumerate().map(|(i, item)| {
                let name = i.to_string();
                let node = node(item, span);
                quote_spanned!(span=> __nncost::NncostEntry { name: #name, node: #node })
            });
            quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
        }
        Item::Seq(body) => seq(body, span),
        Item::Residual { body, shortcut } => {
            let body = seq(body, span);
            let shortcut = match shortcut {
                Some(shortcut) => seq(shortcut, span),
                None => quote_spanned!(span=> __nncost::NncostNode::IDENTITY),
            };
            quote_spanned!(span=> __nncost::NncostNode::Residual { body: &#body, shortcut: &#shortcut })
        }
        Item::If {
            cond,
            then,
            otherwise,
        } => {
            let then = seq(then, span);
            let otherwise = match otherwise {
                Some(item) => node(item, span),
                None => quote_spanned!(span=> __nncost::NncostNode::IDENTITY),
            };
            quote_spanned!(span=> if #cond { #then } else { #otherwise })
        }
        Item::Parallel {
            merge, branches, ..
        } => {
            let merge = match merge {
                MergeKind::Concat => quote!(Concat),
                MergeKind::Add => quote!(Add),
                MergeKind::Mul => quote!(Mul),
                MergeKind::MatMul => quote!(MatMul),
            };
            let entries = branches.entries.iter().map(|e| entry(e, span));
            quote_spanned!(span=> __nncost::NncostNode::Parallel { branches: &[#(#entries),*], merge: __nncost::NncostMerge::#merge })
        }
    }
}
