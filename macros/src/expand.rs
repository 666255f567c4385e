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
        // The structure is spanned at the declaration's name: rustc promotes each `&[..]`
        // to a constant of its own, and points notes about a failed one at its tokens.
        Some(body) => structure(&name_text, body, name.span()),
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
    let structure = structure(&name.to_string(), layers, name.span());
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
    let mut budgets: Vec<TokenStream> = match body {
        Some(_) => attrs.budgets.iter().map(budget_check).collect(),
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
        #precision
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
    // Spanned at the attribute, so a dtype of the wrong type is reported there.
    quote_spanned! {dtype.span=>
        const PRECISION: __nncost::Precision = __nncost::Precision::new(#weights, #activations);
    }
}

/// The figures as inherent consts (`ResNet18::MACS`, no import needed), spanned at the model's
/// name so that notes about an erroneous figure point there.
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
fn spanned_call(first: Span, last: Span, path: TokenStream, args: TokenStream) -> TokenStream {
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
///     let entry: Entry = Entry::DEFAULT;                                    // read once
///     let __nncost_type_0: Node = <BasicBlock<64, 1> as ModelCost>::NODE;  // each costed type
///     {
///         use nncost::layers::*;        // nncost's layers first, for layer expressions only
///         Node::Block { name: "Net", body: &Node::Seq(&[
///             Entry { name: "conv", node: Node::Layer(Conv2d::new(64, 3).into_layer()), ..entry },
///             Entry { name: "drop_2", node: .., ..entry.reused("drop") },
///             ..
///         ]) }
///     }
/// }
/// ```
///
/// Layer expressions resolve nncost's layer names before the user's imports (a framework's
/// `Conv2d` in the same file does not capture `Conv2d::new(64, 3)`); costed types (the user's
/// blocks, the fields' types) are read before the import, as written. One import per
/// declaration keeps name resolution cheap (one per layer doubled `cargo check` at 10,000
/// layers). Entries are struct expressions, so that the references in them get the `'static`
/// lifetime of the const (temporary lifetime extension does not reach into a call's
/// arguments); they are completed from `Entry::DEFAULT` with settings given by `Entry`'s
/// builders, so that settings added to `Entry` later keep their defaults here.
pub(crate) fn structure(name_text: &str, body: &Body, span: Span) -> TokenStream {
    let mut tree = Tree::default();
    let seq = tree.seq(body, span);
    let types = tree.types;
    let import = quote! {
        #[allow(unused_imports, clippy::wildcard_imports)]
        use __nncost::layers::*;
    };
    let default = default_entry();
    quote_spanned! {span=> {
        let #default: __nncost::NncostEntry = __nncost::NncostEntry::DEFAULT;
        #(#types)*
        {
            #import
            __nncost::NncostNode::Block { name: #name_text, body: &#seq }
        }
    }}
}

/// Builds the structure's tokens, hoisting the costed types out of the import's scope.
#[derive(Default)]
struct Tree {
    /// `let __nncost_type_k: Node = <T as ModelCost>::NODE;`, one per costed type.
    types: Vec<TokenStream>,
}

impl Tree {
    fn seq(&mut self, body: &Body, span: Span) -> TokenStream {
        let entries: Vec<TokenStream> = body.entries.iter().map(|e| self.entry(e, span)).collect();
        quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
    }

    fn entry(&mut self, entry: &Entry, span: Span) -> TokenStream {
        let name = match (&entry.rename, &entry.name, entry.index) {
            (Some(rename), _, _) => rename.clone(),
            (None, Some(name), _) => name.to_string(),
            (None, None, Some(index)) => index.to_string(),
            (None, None, None) => String::new(),
        };
        let node = self.node(&entry.item, span);
        let reused = entry
            .reuses
            .as_ref()
            .map(|original| quote_spanned!(span=> .reused(#original)));
        entry_tokens(&name, &node, reused, span)
    }

    /// The `Node` of `item`; `span` is for the structure's own tokens (see [`cost_impls`]).
    fn node(&mut self, item: &Item, span: Span) -> TokenStream {
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
                let inner = self.node(item, span);
                // `&{ .. }`: a reference to a temporary, which the const keeps (the inner node
                // may be a hoisted type's local).
                quote_spanned!(span=> __nncost::NncostNode::Repeat(&{ #inner }, #count))
            }
            Item::Tuple(items) => {
                let entries: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let name = i.to_string();
                        let node = self.node(item, span);
                        entry_tokens(&name, &node, None, span)
                    })
                    .collect();
                quote_spanned!(span=> __nncost::NncostNode::Seq(&[#(#entries),*]))
            }
            Item::Seq(body) => self.seq(body, span),
            Item::Residual { body, shortcut } => {
                let body = self.seq(body, span);
                let shortcut = match shortcut {
                    Some(shortcut) => self.seq(shortcut, span),
                    None => quote_spanned!(span=> __nncost::NncostNode::IDENTITY),
                };
                quote_spanned!(span=> __nncost::NncostNode::Residual { body: &#body, shortcut: &#shortcut })
            }
            Item::If {
                cond,
                then,
                otherwise,
            } => {
                let then = self.seq(then, span);
                let otherwise = match otherwise {
                    Some(item) => self.node(item, span),
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
                let entries: Vec<TokenStream> = branches
                    .entries
                    .iter()
                    .map(|e| self.entry(e, span))
                    .collect();
                quote_spanned!(span=> __nncost::NncostNode::Parallel { branches: &[#(#entries),*], merge: __nncost::NncostMerge::#merge })
            }
        }
    }
}

/// `Entry { name, node, ..Entry::DEFAULT.setting(..) }`: the settings through `Entry`'s const
/// builders (see [`structure`]).
fn entry_tokens(
    name: &str,
    node: &TokenStream,
    settings: Option<TokenStream>,
    span: Span,
) -> TokenStream {
    let default = default_entry();
    quote_spanned!(span=> __nncost::NncostEntry {
        name: #name,
        node: #node,
        ..#default #settings
    })
}

/// The local holding `Entry::DEFAULT` in [`structure`] (read once: copying a local into each
/// entry is cheaper than evaluating the const for each).
fn default_entry() -> proc_macro2::Ident {
    proc_macro2::Ident::new("__nncost_entry", Span::mixed_site())
}
