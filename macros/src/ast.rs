//! The syntax of `network!` declarations, parsed with error recovery: a mistake in one layer is
//! reported and parsing resumes at the next layer, so several mistakes show at once.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::buffer::Cursor;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{bracketed, Attribute, Generics, Ident, Type, Visibility};

use crate::ctxt::{did_you_mean, Errors};
pub use crate::entry::{parse_entries, parse_item};

/// Everything inside one `network! { .. }`.
pub struct NetworkInput {
    /// The path to the facade crate (`$crate` from the trampoline).
    pub krate: TokenStream,
    /// The declarations, in order; failed ones keep what is needed for a fallback.
    pub decls: Vec<Decl>,
}

/// `block` or `model`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    /// A reusable piece with no input of its own.
    Block,
    /// A complete network with an input shape.
    Model,
}

/// One `[attrs] [vis] block|model Name<..>[(inputs)] [-> outputs] { entries }`.
pub struct Decl {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub kind: DeclKind,
    pub kind_span: Span,
    pub name: Ident,
    pub generics: Generics,
    /// Named inputs and outputs (`block Fpn(c3, c4) -> (p3, p4)`); empty for the plain form.
    pub signature: Signature,
    /// `None` when the body did not parse: only a fallback is emitted.
    pub body: Option<Body>,
}

/// A declaration's named inputs and outputs.
#[derive(Default)]
pub struct Signature {
    /// `(a, b)` on a block, `(image: [3, 224, 224], ids: tokens(77))` on a model.
    pub inputs: Option<Vec<InputSpec>>,
    /// `-> out` or `-> (out, aux)`.
    pub outputs: Option<Vec<OutputSpec>>,
}

/// One named input.
pub struct InputSpec {
    pub name: Ident,
    /// A model's input shape (a block's inputs have none: they come from where it is used).
    pub shape: Option<InputShape>,
    /// `tokens(T, cached = P)`: the model is one step over a KV cache of `P` positions.
    pub cached: Option<TokenStream>,
}

/// A model input's shape, without the batch.
pub enum InputShape {
    /// `[3, 224, 224]`: the dims of one sample.
    Dims(Vec<TokenStream>),
    /// `tokens(77)`: `[N, 77]` token ids.
    Tokens(TokenStream),
}

/// One output: a tensor, optionally under another name (`p2 as "0"`).
pub struct OutputSpec {
    pub tensor: TensorRef,
    pub label: Option<(String, Span)>,
}

impl OutputSpec {
    /// The name callers and summaries know the output by.
    pub fn name(&self) -> String {
        match &self.label {
            Some((label, _)) => label.clone(),
            None => self.tensor.text(),
        }
    }
}

/// A named tensor: an input, an earlier entry (`lat4`), an entry inside an earlier group
/// (`backbone.layer2`) or a named output of an earlier block (`fpn.p3`).
#[derive(Clone)]
pub struct TensorRef {
    /// The dotted parts, each with its span.
    pub parts: Vec<(String, Span)>,
}

impl TensorRef {
    /// `a.b.c`, as written.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The span of the whole reference (its first part; joined with the last where possible).
    pub fn span(&self) -> Span {
        let first = self.parts.first().map_or_else(Span::call_site, |p| p.1);
        let last = self.parts.last().map_or(first, |p| p.1);
        first.join(last).unwrap_or(first)
    }
}

/// A braced list of named entries.
#[derive(Clone)]
pub struct Body {
    pub entries: Vec<Entry>,
    pub span: Span,
    /// Whether the braces held no tokens at all (so "no layers" is not an echo of a parse error).
    pub empty: bool,
}

/// `name: item`, `name: src -> item`, `_: item`, or an unnamed structure (`residual { .. }
/// shortcut { .. }`, `concat { .. }`).
#[derive(Clone)]
pub struct Entry {
    pub name: Option<Ident>,
    /// A name no `Ident` can hold: a numbered entry (`4: ..`, as `nn.Sequential` numbers its
    /// modules), a string (`"block1-0": ..`, as torchvision names RegNet's blocks), or a tuple
    /// struct's field index (`#[derive(ModelCost)]`).
    pub label: Option<String>,
    /// `_: Block`: the item's layers are named as if they stood here (no path segment).
    pub splice: Option<Span>,
    /// `src -> item`, `(a, b) -> item`: the named tensors the entry reads (else the previous
    /// entry's output).
    pub sources: Vec<TensorRef>,
    /// `#[train_only]`, `#[frozen]`, `#[shared]`.
    pub modes: Modes,
    pub item: Item,
    /// First and last token of the entry, to point errors at the whole entry.
    pub first: Span,
    pub last: Span,
    /// The name in layer paths when it differs from `name` (a repeated name, numbered by
    /// [`crate::names`]).
    pub rename: Option<String>,
    /// The name this entry repeats, when it applies the same module again (see
    /// [`crate::names`]).
    pub reuses: Option<String>,
}

impl Entry {
    /// An entry with nothing but a name (or index) and an item.
    pub fn plain(name: Option<Ident>, item: Item, first: Span, last: Span) -> Entry {
        Entry {
            name,
            label: None,
            splice: None,
            sources: Vec::new(),
            modes: Modes::default(),
            item,
            first,
            last,
            rename: None,
            reuses: None,
        }
    }
}

impl Item {
    /// Calls `f` on every body the item holds directly (a group's entries, a condition's
    /// sides, the bodies inside repeats and tuples).
    pub fn for_each_body(&self, f: &mut dyn FnMut(&Body)) {
        match self {
            Item::Seq(body) => f(body),
            Item::Residual { body, shortcut } => {
                f(body);
                if let Some(shortcut) = shortcut {
                    f(shortcut);
                }
            }
            Item::Parallel { branches, .. } => f(branches),
            Item::If {
                then, otherwise, ..
            } => {
                f(then);
                if let Some(otherwise) = otherwise {
                    otherwise.for_each_body(f);
                }
            }
            Item::Repeat { item, .. } | Item::Spread(item) => item.for_each_body(f),
            Item::Tuple(items) => items.iter().for_each(|i| i.for_each_body(f)),
            Item::Moe(moe) => moe.parts().for_each(|part| part.item.for_each_body(f)),
            Item::Layer(_) | Item::Block(_) | Item::Join { .. } => {}
        }
    }
}

/// How an entry counts: its attributes.
#[derive(Default, Clone, Copy)]
pub struct Modes {
    /// `#[train_only]`: an auxiliary head, counted for its weights only.
    pub train_only: Option<Span>,
    /// `#[frozen]`: parameters with `requires_grad = False`.
    pub frozen: Option<Span>,
    /// `#[shared]` on a repeat: one module applied again and again.
    pub shared: Option<Span>,
}

/// How parallel branches or joined tensors merge.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MergeKind {
    Concat,
    Add,
    Mul,
    /// `matmul { .. }`: the matrix product of the branches, left to right.
    MatMul,
    /// `sub { .. }`, `sub(a, b)`: the first minus the others.
    Sub,
    /// `div { .. }`, `div(a, b)`: the first divided by the others.
    Div,
}

/// What an entry contains.
#[derive(Clone)]
pub enum Item {
    /// A layer value: `Conv2d::new(64, 3).stride(2)`, `LeakyReLU::new(0.1)`, `MY_LAYER`; the
    /// expression's tokens as written (rustc checks them where they are emitted).
    Layer(TokenStream),
    /// A costed type: `BasicBlock<64, 1>`, `ReLU`, `other_crate::Block` (or, when it is a
    /// plain name of an earlier entry, that entry's module applied again).
    Block(Type),
    /// `[item; count]`.
    Repeat { item: Box<Item>, count: TokenStream },
    /// `(item, item, ..)`: a sequence named `0`, `1`, ...; a last element `..[item; n]`
    /// continues the numbering.
    Tuple(Vec<Item>),
    /// `..[item; n]` as a tuple's last element.
    Spread(Box<Item>),
    /// `{ name: item, .. }`: an inline sequence.
    Seq(Body),
    /// `residual { .. } [shortcut { .. }]`.
    Residual { body: Body, shortcut: Option<Body> },
    /// `concat { .. }`, `add { .. }`, `mul { .. }`, `matmul { .. }`; `concat(dim = d) { .. }`.
    Parallel {
        merge: MergeKind,
        dim: Option<TokenStream>,
        branches: Body,
    },
    /// `moe(experts = E, top_k = k) { gate: .., experts: .., .. }`: a mixture of experts.
    Moe(Box<crate::moe::Moe>),
    /// `add(a, b)`, `mul(x, s)`, `matmul(q, k)`, `concat(p3, p4, dim = 1)`: named tensors merged.
    Join {
        merge: MergeKind,
        dim: Option<TokenStream>,
        operands: Vec<TensorRef>,
        span: Span,
    },
    /// `if cond { .. } [else { .. } | else if ..]`: a const condition picks the layers.
    If {
        cond: TokenStream,
        then: Body,
        otherwise: Option<Box<Item>>,
    },
}

pub const STRUCTURE_KEYWORDS: &[&str] =
    &["residual", "concat", "add", "mul", "matmul", "sub", "div"];
const DECL_KEYWORDS: &[&str] = &["block", "model"];

impl NetworkInput {
    /// Parses the trampoline's `[$crate] decls..`, recording every error in `errors`.
    pub fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<NetworkInput> {
        let krate;
        bracketed!(krate in input);
        let krate: TokenStream = krate.parse()?;
        let mut decls = Vec::new();
        if input.is_empty() {
            errors.at(
                Span::call_site(),
                "network! is empty: declare a `model Name { .. }` or a `block Name { .. }`",
            );
        }
        while !input.is_empty() {
            if let Some(decl) = parse_decl(input, errors) {
                decls.push(decl);
            }
        }
        Ok(NetworkInput { krate, decls })
    }
}

/// A declaration up to its body.
struct Header {
    attrs: Vec<Attribute>,
    vis: Visibility,
    kind: DeclKind,
    kind_span: Span,
    name: Ident,
    generics: Generics,
    signature: Signature,
}

/// Parses `[attrs] [vis] block|model Name<..>[(inputs)] [-> outputs] [where ..]`.
fn parse_header(input: ParseStream) -> syn::Result<Header> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let keyword: Ident = input.call(Ident::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected `model Name { .. }` or `block Name { .. }`",
        )
    })?;
    let kind = match keyword.to_string().as_str() {
        "block" => DeclKind::Block,
        "model" => DeclKind::Model,
        other => {
            let hint = match did_you_mean(other, DECL_KEYWORDS) {
                Some(k) => format!("did you mean `{k}`?"),
                None => "network! declares `model Name { .. }` (with `#[input(..)]`) and `block Name { .. }`".to_owned(),
            };
            return Err(syn::Error::new(
                keyword.span(),
                format!("expected `model` or `block`, found `{other}`\nhelp: {hint}"),
            ));
        }
    };
    let name: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("expected the {keyword} name after `{keyword}`"),
        )
    })?;
    let mut generics: Generics = input.parse()?;
    let signature = crate::signature::parse_signature(input, kind)?;
    generics.where_clause = input.parse()?;
    Ok(Header {
        attrs,
        vis,
        kind,
        kind_span: keyword.span(),
        name,
        generics,
        signature,
    })
}

/// Parses one declaration; on an error, skips past its body and returns what it could.
fn parse_decl(input: ParseStream, errors: &mut Errors) -> Option<Decl> {
    let header = match parse_header(input) {
        Ok(h) => h,
        Err(e) => {
            errors.push(e);
            skip_past(input, is_brace_group);
            return None;
        }
    };
    let name = header.name;
    let body = if input.peek(syn::token::Brace) {
        let body = crate::entry::parse_body(input, errors);
        errors.ok(body)
    } else {
        errors.at(
            input.span(),
            format!("expected `{{` with the layers of `{name}`"),
        );
        skip_past(input, is_brace_group);
        None
    };
    Some(Decl {
        attrs: header.attrs,
        vis: header.vis,
        kind: header.kind,
        kind_span: header.kind_span,
        name,
        generics: header.generics,
        signature: header.signature,
        body,
    })
}

/// Whether `tt` is a `,`.
pub fn is_comma(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == ',')
}

/// Whether `tt` is a `{ .. }` group (a declaration's body, the layers after an `if`).
pub fn is_brace_group(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
}

/// Skips tokens up to and including the first top-level one that `stop` accepts, or to the end.
pub fn skip_past(input: ParseStream, stop: fn(&TokenTree) -> bool) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            if stop(&tt) {
                break;
            }
        }
        Ok(((), rest))
    });
}

/// Takes the top-level tokens before the first one that `stop` accepts (which stays), or all.
pub fn tokens_before(input: ParseStream, stop: fn(&TokenTree) -> bool) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if stop(&tt) {
                break;
            }
            tokens.extend([tt]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// The span of the last token tree between two cursors.
pub fn last_span(start: Cursor, end: Cursor) -> Span {
    let mut cursor = start;
    let mut last = start.span();
    while cursor != end {
        match cursor.token_tree() {
            Some((tt, next)) => {
                last = tt.span();
                cursor = next;
            }
            None => break,
        }
    }
    last
}
