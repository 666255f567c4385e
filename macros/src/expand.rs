//! Code generation. The macros emit data and const items that call `nncost-core` through
//! `__private`; they never compute a number themselves.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{GenericParam, Type};

use crate::ast::{Body, Decl, DeclKind, Entry, InputShape, Item, MergeKind, NetworkInput};
use crate::attr::{parse_decl_attrs, BudgetSpec, DeclAttrs, Limit};
use crate::ctxt::Errors;
use crate::device_budget;
use crate::valid;
use crate::wiring::{self, OutputAt, Plan};

/// Expands every declaration; failed ones get a fallback so that uses elsewhere do not cascade.
pub fn network(input: &NetworkInput, errors: &mut Errors) -> TokenStream {
    let mut out = TokenStream::new();
    for decl in &input.decls {
        let mut local = Errors::default();
        let attrs = parse_decl_attrs(&decl.attrs, &mut local);
        valid::check(decl, &attrs, &mut local);
        let plan = match &decl.body {
            Some(body) if local.is_empty() => wiring::plan(decl, body, &mut local),
            _ => Plan::default(),
        };
        let body = decl.body.as_ref().filter(|_| local.is_empty());
        out.extend(declaration(input, decl, &attrs, body, &plan));
        if let (None, Some(parsed)) = (body, &decl.body) {
            out.extend(unchecked_layers(&input.krate, decl, parsed));
        }
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
    plan: &Plan,
) -> TokenStream {
    let struct_def = struct_definition(decl, attrs);
    let impls = cost_impls(&input.krate, decl, attrs, body, plan);
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
    plan: &Plan,
) -> TokenStream {
    let name = &decl.name;
    let name_text = name.to_string();
    let (impl_generics, ty_generics, where_clause) = decl.generics.split_for_impl();
    let node = match body {
        // The structure is spanned at the declaration's name: rustc promotes each `&[..]`
        // to a constant of its own, and points notes about a failed one at its tokens.
        Some(body) => structure(&name_text, body, plan, name.span()),
        None => quote!(__nncost::NncostNode::Broken { name: #name_text }),
    };
    let model = if decl.kind == DeclKind::Model {
        model_items(decl, attrs, body, &node)
    } else {
        TokenStream::new()
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            use #krate::__private as __nncost;
            #[automatically_derived]
            impl #impl_generics __nncost::ModelCost for #name #ty_generics #where_clause {
                // A path the user qualifies (`nn::layers::Conv2d::new`, as users of a framework
                // with its own `Conv2d` write) is redundant next to the import of nncost's
                // layers inside the structure: not the user's mistake.
                #[allow(unused_qualifications)]
                const NODE: __nncost::NncostNode = #node;
            }
            #model
        };
    }
}

/// After an error, the layers that did parse, in an inherent const that is never evaluated: the
/// names they use stay used (no knock-on "unused import"), and a mistake in them is still
/// reported now rather than after the first fix.
pub fn unchecked_layers(krate: &TokenStream, decl: &Decl, layers: &Body) -> TokenStream {
    if layers.entries.is_empty() {
        return TokenStream::new();
    }
    let name = &decl.name;
    let (impl_generics, ty_generics, where_clause) = decl.generics.split_for_impl();
    let structure = structure(&name.to_string(), layers, &Plan::default(), name.span());
    quote! {
        #[doc(hidden)]
        const _: () = {
            use #krate::__private as __nncost;
            #[allow(dead_code)]
            impl #impl_generics #name #ty_generics #where_clause {
                #[allow(unused_qualifications)]
                const __NNCOST_UNCHECKED_LAYERS: __nncost::NncostNode = #structure;
            }
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

/// `impl Model`, the inherent figure consts, `summary()`, and a const item that makes
/// `cargo check` evaluate the model and its budgets: for a concrete model, the model itself; for
/// a generic one whose cost does not depend on its parameters, a non-generic stand-in that every
/// instance reads (see [`crate::check`]).
fn model_items(
    decl: &Decl,
    attrs: &DeclAttrs,
    body: Option<&Body>,
    node: &TokenStream,
) -> TokenStream {
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
    let shapes: Vec<TokenStream> = match &decl.signature.inputs {
        Some(inputs) => inputs
            .iter()
            .map(|input| match &input.shape {
                Some(InputShape::Dims(dims)) => {
                    quote!(__nncost::Shape::input(#batch, &[#((#dims)),*]))
                }
                Some(InputShape::Tokens(len)) => quote!(__nncost::Shape::input(#batch, &[#len])),
                None => quote!(__nncost::Shape::SCALAR),
            })
            .collect(),
        None => vec![quote!(__nncost::Shape::input(#batch, &[#(#dims),*]))],
    };
    let input_shape = match (body.is_some(), shapes.first()) {
        (true, Some(first)) => first.clone(),
        _ => quote!(__nncost::Shape::SCALAR),
    };
    let inputs_const = if body.is_some() && decl.signature.inputs.is_some() {
        quote!(const INPUTS: &'static [__nncost::Shape] = &[#(#shapes),*];)
    } else {
        TokenStream::new()
    };
    // Spanned at the model's name, so that rustc's notes about an erroneous constant point
    // there (and not at the whole macro call, or into nncost's sources).
    let result = quote_spanned!(name.span()=> &<Self as __nncost::NncostModel>::RESULT);
    let result_ty = quote!(::core::result::Result<__nncost::Report, __nncost::ModelError>);
    let evaluate = quote_spanned! {name.span()=>
        const RESULT: #result_ty =
            __nncost::evaluate_in(
                <Self as __nncost::NncostModel>::NAME,
                &<Self as __nncost::NncostModelCost>::NODE,
                <Self as __nncost::NncostModel>::INPUTS,
                <Self as __nncost::NncostModel>::PRECISION,
                <Self as __nncost::NncostModel>::PHASE,
            );
    };
    // `#[input(tokens = T, cached = P)]` or an input `tokens(T, cached = P)`: one step over a KV
    // cache of `P` positions.
    // A named input's cache also says which input holds the step's tokens.
    let signature_cache = decl
        .signature
        .inputs
        .iter()
        .flatten()
        .enumerate()
        .find_map(|(index, input)| input.cached.clone().map(|cached| (cached, index)));
    let cached = attrs
        .cached
        .as_ref()
        .map(|cached| (cached.to_token_stream(), 0))
        .or(signature_cache);
    let phase = match (cached, body) {
        (Some((cached, token_input)), Some(_)) => {
            let first = cached
                .clone()
                .into_iter()
                .next()
                .map_or_else(|| name.span(), |tt| tt.span());
            let on_input = (token_input > 0).then(|| quote!(.token_input(#token_input)));
            quote_spanned! {first=>
                const PHASE: __nncost::Phase = __nncost::Phase::cached(#cached) #on_input;
            }
        }
        _ => TokenStream::new(),
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
    let mut budgets: Vec<TokenStream> = match body {
        Some(_) => {
            let node = quote_spanned!(name.span()=> <Self as __nncost::NncostModelCost>::NODE);
            attrs
                .budgets
                .iter()
                .map(|budget| budget_check(budget, &node))
                .collect()
        }
        None => Vec::new(),
    };
    // `#[output(..)]`: the declared output shape, checked at the attribute.
    if let (Some((dims, span)), Some(_)) = (&attrs.output, body) {
        budgets.push(spanned_call(
            *span,
            *span,
            quote!(__nncost::check_output),
            quote!(&report, &[#(#dims),*]),
        ));
    }
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
    let header = quote! {
        const NAME: &'static str = #name_text;
        const INPUT: __nncost::Shape = #input_shape;
        #inputs_const
        #precision
        #phase
    };
    let evaluation = quote! {
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
    };
    if body.is_some_and(|body| crate::check::independent(decl, attrs, body)) {
        // A const named as the model (in the value namespace, inside this block) holds the
        // report of a non-generic stand-in, also named as the model, so that rustc's note
        // reads `<_::Net::Net as nncost::Model>::REPORT`.
        let result_ty = quote!(::core::result::Result<__nncost::Report, __nncost::ModelError>);
        let report = quote_spanned!(name.span()=> <#name as __nncost::NncostModel>::REPORT);
        return quote! {
            #[allow(non_upper_case_globals)]
            const #name: #report_ty = {
                #[allow(dead_code)]
                struct #name;
                impl __nncost::ModelCost for #name {
                    #[allow(unused_qualifications)]
                    const NODE: __nncost::NncostNode = #node;
                }
                impl __nncost::Model for #name {
                    #header
                    #evaluation
                }
                #report
            };
            #[automatically_derived]
            impl #impl_generics __nncost::Model for #name #ty_generics #where_clause {
                #header
                const RESULT: #result_ty = ::core::result::Result::Ok(#name);
                const REPORT: __nncost::Report = #name;
            }
            #inherent
        };
    }
    quote! {
        #[automatically_derived]
        impl #impl_generics __nncost::Model for #name #ty_generics #where_clause {
            #header
            #evaluation
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
    let kv_cache = dtype
        .kv_cache
        .as_ref()
        .map(|kv_cache| quote_spanned!(dtype.span=> .kv_cache(#kv_cache)));
    // Spanned at the attribute, so a dtype of the wrong type is reported there.
    quote_spanned! {dtype.span=>
        const PRECISION: __nncost::Precision =
            __nncost::Precision::new(#weights, #activations)#kv_cache;
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
    let tensors = quote!(__nncost::Tensors);
    let precision = quote!(__nncost::Precision);
    quote_spanned! {name.span()=>
        // The figures exist for whoever wants them; a model that reads none is not dead code.
        #[allow(dead_code)]
        impl #impl_generics #name #ty_generics #where_clause {
            #[doc = #doc_report]
            pub const REPORT: #report = <Self as __nncost::NncostModel>::REPORT;
            /// Learnable parameters, as PyTorch's `sum(p.numel() for p in model.parameters())`.
            pub const PARAMS: u64 = Self::REPORT.cost.params;
            /// Parameters that are not frozen (`#[frozen]` entries), as
            /// `sum(p.numel() for p in model.parameters() if p.requires_grad)`.
            pub const TRAINABLE_PARAMS: u64 = Self::REPORT.cost.params - Self::REPORT.cost.frozen_params;
            /// Non-learnable floating-point state (BatchNorm running mean and variance, ..).
            pub const BUFFERS: u64 = Self::REPORT.cost.buffers;
            /// Every buffer, integer ones included, as PyTorch's
            /// `sum(b.numel() for b in model.buffers())`.
            pub const ALL_BUFFERS: u64 = Self::REPORT.cost.all_buffers();
            /// Multiply-accumulates of one forward pass (torchvision's and fvcore's convention).
            pub const MACS: u64 = Self::REPORT.cost.macs;
            /// Floating-point operations: `2 × MACS` plus each layer's documented extra work.
            pub const FLOPS: u64 = Self::REPORT.cost.flops;
            /// The input shape, batch first.
            pub const INPUT_SHAPE: #shape = Self::REPORT.input;
            /// The output shape, batch first (the first output's, for a model with several).
            pub const OUTPUT_SHAPE: #shape = Self::REPORT.output;
            /// Every input by name with its shape, batch first.
            pub const INPUT_SHAPES: #tensors = Self::REPORT.inputs;
            /// Every output by name with its shape, batch first (`OUTPUT_SHAPES.get("aux")`).
            pub const OUTPUT_SHAPES: #tensors = Self::REPORT.outputs;
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
            /// Parameters one token uses: `PARAMS` less the experts a mixture-of-experts router
            /// does not pick (equal to `PARAMS` without experts).
            pub const ACTIVE_PARAMS: u64 = Self::REPORT.cost.active_params();
            /// Bytes of KV cache (or recurrent state) held after the step, in the cache dtype;
            /// 0 unless the model is a step over a cache (`#[input(tokens = T, cached = P)]`).
            pub const KV_CACHE_BYTES: u64 = Self::REPORT.memory.kv_cache;
            #summary
        }
    }
}

/// `__nncost::check_budget(&report, Budget::..)`, spanned at the budget in the user's source;
/// a budget against a device also gets the model's structure, `node`.
fn budget_check(budget: &BudgetSpec, node: &TokenStream) -> TokenStream {
    let figure = || format_ident!("{}", budget.figure);
    let (path, args) = match &budget.limit {
        Limit::Literal { digits, unit } => {
            let (figure, unit) = (figure(), format_ident!("{}", unit));
            let value = quote!(__nncost::Budget::new(__nncost::Figure::#figure, #digits, __nncost::Unit::#unit));
            (quote!(__nncost::check_budget), quote!(&report, #value))
        }
        Limit::Expr(expr) => {
            let figure = figure();
            let value = quote!(__nncost::Budget::exact(__nncost::Figure::#figure, #expr));
            (quote!(__nncost::check_budget), quote!(&report, #value))
        }
        Limit::Device(limit) => device_budget::check(limit, node),
    };
    spanned_call(budget.first, budget.last, path, args)
}

/// Budgets for any model type (`assert_budget!`): one const item checking each limit.
pub fn assert_budget(krate: &TokenStream, ty: &Type, budgets: &[BudgetSpec]) -> TokenStream {
    let node = quote_spanned!(ty.span()=> <#ty as __nncost::NncostModelCost>::NODE);
    let checks = budgets.iter().map(|budget| budget_check(budget, &node));
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

/// The structure of a declaration as one const expression:
///
/// ```text
/// {
///     let __nncost_type_0: Node = <BasicBlock<64, 1> as ModelCost>::NODE;  // each costed type
///     {
///         use nncost::layers::*;        // nncost's layers first, for layer expressions only
///         Node::Block { name: "Net", body: &Node::Seq(&[
///             Entry { name: "conv", node: Node::Layer(Conv2d::new(64, 3).into_layer()), wiring: Wiring::PLAIN },
///             Entry { name: "drop_2", node: .., wiring: Wiring { reuses: "drop", .. } },
///             ..
///         ]) }
///     }
/// }
/// ```
///
/// (a `Node::Graph` with its inputs, outputs and slots for a declaration with named tensors).
/// Layer expressions resolve nncost's layer names before the user's imports (a framework's
/// `Conv2d` in the same file does not capture `Conv2d::new(64, 3)`); costed types (the user's
/// blocks, the fields' types) are read before the import, as written. One import per
/// declaration keeps name resolution cheap (one per layer doubled `cargo check` at 10,000
/// layers). Entries are struct literals, so that the references in them get the `'static`
/// lifetime of the const (temporary lifetime extension does not reach into a call's arguments).
pub(crate) fn structure(name_text: &str, body: &Body, plan: &Plan, span: Span) -> TokenStream {
    let mut emit = Emit::new(body, plan, span);
    let node = if plan.graph {
        let entries: Vec<TokenStream> = body.entries.iter().map(|e| emit.entry(e)).collect();
        let inputs = &plan.inputs;
        let outputs = plan.outputs.iter().map(|(output, at)| {
            let slot = match at {
                OutputAt::Slot(slot) => quote!(#slot),
                OutputAt::Last => quote!(__nncost::NncostOutput::LAST),
            };
            quote_spanned!(span=> __nncost::NncostOutput { name: #output, slot: #slot })
        });
        let slots = plan.slots;
        quote_spanned! {span=>
            __nncost::NncostNode::Graph(&__nncost::NncostGraph {
                name: #name_text,
                inputs: &[#(#inputs),*],
                outputs: &[#(#outputs),*],
                slots: #slots,
                body: &[#(#entries),*],
            })
        }
    } else {
        let seq = emit.seq(body);
        quote_spanned!(span=> __nncost::NncostNode::Block { name: #name_text, body: &#seq })
    };
    let types = emit.types;
    let import = quote! {
        #[allow(unused_imports, clippy::wildcard_imports)]
        use __nncost::layers::*;
    };
    quote_spanned! {span=> {
        #(#types)*
        {
            #import
            #node
        }
    }}
}

/// Emits the structure of one declaration's body, with its wiring plan, hoisting the costed
/// types out of the layer import's scope.
struct Emit<'p> {
    plan: &'p Plan,
    /// Items by address, for modules applied again.
    items: HashMap<usize, &'p Item>,
    span: Span,
    /// `let __nncost_type_k: Node = <T as ModelCost>::NODE;`, one per costed type.
    types: Vec<TokenStream>,
}

impl<'p> Emit<'p> {
    fn new(body: &'p Body, plan: &'p Plan, span: Span) -> Emit<'p> {
        let mut items = HashMap::new();
        if !plan.reuse.is_empty() {
            collect_items(body, &mut items);
        }
        Emit {
            plan,
            items,
            span,
            types: Vec::new(),
        }
    }

    fn seq(&mut self, body: &Body) -> TokenStream {
        let span = self.span;
        let entries: Vec<TokenStream> = body.entries.iter().map(|e| self.entry(e)).collect();
        quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
    }

    fn entry(&mut self, entry: &Entry) -> TokenStream {
        let span = self.span;
        let name = match (&entry.rename, &entry.name, &entry.label) {
            (Some(rename), _, _) => rename.clone(),
            (None, Some(name), _) => name.to_string(),
            (None, None, Some(label)) => label.clone(),
            (None, None, None) => String::new(),
        };
        // One repeated branch is as many branches as copies, under the branch's name.
        if let Item::Parallel {
            merge, branches, ..
        } = &entry.item
        {
            if let [only] = branches.entries.as_slice() {
                if let Item::Repeat { item, count } = &only.item {
                    let inner = self.node(item);
                    let merge = merge_tokens(*merge, None);
                    let branch_name = only
                        .name
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let branches = quote_spanned! {span=>
                        __nncost::NncostNode::Branches { node: &{ #inner }, count: #count, merge: #merge }
                    };
                    let wiring = self.wiring(only);
                    let branch = quote_spanned!(span=> __nncost::NncostEntry { name: #branch_name, node: #branches, wiring: #wiring });
                    let node = quote_spanned!(span=> __nncost::NncostNode::Seq(&[#branch]));
                    let wiring = self.wiring(entry);
                    return quote_spanned!(span=> __nncost::NncostEntry { name: #name, node: #node, wiring: #wiring });
                }
            }
        }
        let node = self.node(&entry.item);
        let wiring = self.wiring(entry);
        quote_spanned!(span=> __nncost::NncostEntry { name: #name, node: #node, wiring: #wiring })
    }

    fn wiring(&self, entry: &Entry) -> TokenStream {
        self.wiring_at(wiring::key(entry), entry.reuses.clone().unwrap_or_default())
    }

    /// The wiring of the entry keyed `key` in the plan (a tuple's element: its item).
    fn wiring_at(&self, key: usize, reuses: String) -> TokenStream {
        let span = self.span;
        let plan = self.plan.at(key);
        if plan.reads.is_empty()
            && plan.keeps.is_empty()
            && plan.frees.is_empty()
            && plan.flags == 0
            && reuses.is_empty()
        {
            return quote_spanned!(span=> __nncost::NncostWiring::PLAIN);
        }
        let reads = plan.reads.iter().map(
            |(slot, last)| quote_spanned!(span=> __nncost::NncostRead { slot: #slot, last: #last }),
        );
        let keeps = plan
            .keeps
            .iter()
            .map(|(slot, output)| quote_spanned!(span=> __nncost::NncostKeep { slot: #slot, output: #output }));
        let frees = &plan.frees;
        let flags = plan.flags;
        quote_spanned! {span=>
            __nncost::NncostWiring {
                reads: &[#(#reads),*],
                keeps: &[#(#keeps),*],
                frees: &[#(#frees),*],
                flags: #flags,
                reuses: #reuses,
            }
        }
    }

    /// The `Node` of `item`.
    fn node(&mut self, item: &Item) -> TokenStream {
        let span = self.span;
        if let Some(target) = self.plan.reuse.get(&wiring::key(item)) {
            if let Some(&target) = self.items.get(target) {
                return self.node(target);
            }
        }
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
                let local = format_ident!(
                    "__nncost_type_{}",
                    self.types.len(),
                    span = Span::mixed_site()
                );
                self.types.push(quote_spanned! {ty.span()=>
                    let #local: __nncost::NncostNode = <#ty as __nncost::NncostModelCost>::NODE;
                });
                quote!(#local)
            }
            Item::Repeat { item, count } => {
                let inner = self.node(item);
                // `&{ .. }`: a reference to a temporary, which the const keeps (the inner node
                // may be a hoisted type's local).
                quote_spanned!(span=> __nncost::NncostNode::Repeat(&{ #inner }, #count))
            }
            Item::Spread(item) => self.node(item),
            Item::Tuple(items) => {
                let entries: Vec<TokenStream> = items.iter().enumerate().map(|(i, item)| match item {
                    Item::Spread(inner) => {
                        let (node, count) = match inner.as_ref() {
                            Item::Repeat { item, count } => (self.node(item), count.clone()),
                            other => (self.node(other), quote!(1)),
                        };
                        let start = i as u64;
                        quote_spanned! {span=>
                            __nncost::NncostEntry {
                                name: "",
                                node: __nncost::NncostNode::RepeatFrom { node: &{ #node }, count: #count, start: #start },
                                wiring: __nncost::NncostWiring::PLAIN,
                            }
                        }
                    }
                    _ => {
                        let name = i.to_string();
                        let node = self.node(item);
                        let wiring = self.wiring_at(wiring::key(item), String::new());
                        quote_spanned!(span=> __nncost::NncostEntry { name: #name, node: #node, wiring: #wiring })
                    }
                }).collect();
                quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
            }
            Item::Seq(body) => self.seq(body),
            Item::Residual { body, shortcut } => {
                let body = self.seq(body);
                let shortcut = match shortcut {
                    Some(shortcut) => self.seq(shortcut),
                    None => quote_spanned!(span=> __nncost::NncostNode::IDENTITY),
                };
                quote_spanned!(span=> __nncost::NncostNode::Residual { body: &#body, shortcut: &#shortcut })
            }
            Item::If {
                cond,
                then,
                otherwise,
            } => {
                let then = self.seq(then);
                let otherwise = match otherwise {
                    Some(item) => self.node(item),
                    None => quote_spanned!(span=> __nncost::NncostNode::IDENTITY),
                };
                quote_spanned!(span=> if #cond { #then } else { #otherwise })
            }
            Item::Parallel {
                merge,
                dim,
                branches,
            } => {
                let merge = merge_tokens(*merge, dim.as_ref());
                let entries: Vec<TokenStream> =
                    branches.entries.iter().map(|e| self.entry(e)).collect();
                quote_spanned!(span=> __nncost::NncostNode::Parallel { branches: &[#(#entries),*], merge: #merge })
            }
            Item::Join { merge, dim, .. } => {
                let merge = merge_tokens(*merge, dim.as_ref());
                quote_spanned!(span=> __nncost::NncostNode::Join(#merge))
            }
            Item::Moe(moe) => crate::moe::expand(moe, span, |e| self.entry(e)),
        }
    }
}

/// `NncostMerge::Add`, `NncostMerge::ConcatDim(d)`, ..
fn merge_tokens(merge: MergeKind, dim: Option<&TokenStream>) -> TokenStream {
    match (merge, dim) {
        (MergeKind::Concat, Some(dim)) => quote!(__nncost::NncostMerge::ConcatDim(#dim)),
        (MergeKind::Concat, None) => quote!(__nncost::NncostMerge::Concat),
        (MergeKind::Add, _) => quote!(__nncost::NncostMerge::Add),
        (MergeKind::Mul, _) => quote!(__nncost::NncostMerge::Mul),
        (MergeKind::Sub, _) => quote!(__nncost::NncostMerge::Sub),
        (MergeKind::Div, _) => quote!(__nncost::NncostMerge::Div),
        (MergeKind::MatMul, _) => quote!(__nncost::NncostMerge::MatMul),
    }
}

/// Every item in `body` by address (entries' items and what they hold).
fn collect_items<'b>(body: &'b Body, items: &mut HashMap<usize, &'b Item>) {
    for entry in &body.entries {
        collect_item(&entry.item, items);
    }
}

fn collect_item<'b>(item: &'b Item, items: &mut HashMap<usize, &'b Item>) {
    items.insert(wiring::key(item), item);
    match item {
        Item::Seq(body) => collect_items(body, items),
        Item::Residual { body, shortcut } => {
            collect_items(body, items);
            if let Some(shortcut) = shortcut {
                collect_items(shortcut, items);
            }
        }
        Item::Parallel { branches, .. } => collect_items(branches, items),
        Item::If {
            then, otherwise, ..
        } => {
            collect_items(then, items);
            if let Some(otherwise) = otherwise {
                collect_item(otherwise, items);
            }
        }
        Item::Repeat { item, .. } | Item::Spread(item) => collect_item(item, items),
        Item::Tuple(list) => list.iter().for_each(|i| collect_item(i, items)),
        // A mixture's parts apply to its input only (see `moe::check`).
        Item::Layer(_) | Item::Block(_) | Item::Join { .. } | Item::Moe(_) => {}
    }
}
