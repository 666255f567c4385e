//! Token-id inputs (`#[input(tokens = L)]`): integer ids `[N, L]` that only an `Embedding` can
//! take.

use crate::fmt::Message;
use crate::layer::Layer;
use crate::node::Node;

/// Whether token ids fed to `node` reach an `Embedding` on every path before any other layer.
///
/// `Ok(true)`: they do. `Ok(false)`: `node` is an identity (an empty sequence, zero repeats), so
/// the ids pass through unchanged. `Err(kind)`: the kind of the first layer or structure that
/// would take the ids as numbers (a `Linear`, a residual whose shortcut adds the raw ids, ..).
///
/// ```
/// use nncost_core::{layers::{Embedding, Linear}, takes_tokens, Entry, Node};
/// const LM: Node = Node::Seq(&[
///     Entry::new("wte", Node::Layer(Embedding::new(100, 16).into_layer())),
///     Entry::new("head", Node::Layer(Linear::new(100).into_layer())),
/// ]);
/// assert_eq!(takes_tokens(&LM), Ok(true));
/// const BAD: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(8).into_layer()))]);
/// assert_eq!(takes_tokens(&BAD), Err("Linear"));
/// ```
pub const fn takes_tokens(node: &Node) -> Result<bool, &'static str> {
    match node {
        Node::Layer(Layer::Embedding(_)) => Ok(true),
        Node::Layer(layer) => Err(layer.kind()),
        Node::Seq(entries) => {
            let mut i = 0;
            while i < entries.len() {
                match takes_tokens(&entries[i].node) {
                    Ok(true) => return Ok(true),
                    Ok(false) => i += 1,
                    Err(kind) => return Err(kind),
                }
            }
            Ok(false)
        }
        Node::Repeat(_, 0) => Ok(false),
        Node::Repeat(inner, _) => takes_tokens(inner),
        Node::Residual { body, shortcut } => match (takes_tokens(body), takes_tokens(shortcut)) {
            (Ok(true), Ok(true)) => Ok(true),
            (Err(kind), _) | (_, Err(kind)) => Err(kind),
            _ => Err("Residual"),
        },
        Node::Parallel { branches, merge } => {
            let mut i = 0;
            while i < branches.len() {
                match takes_tokens(&branches[i].node) {
                    Ok(true) => i += 1,
                    Ok(false) => return Err(merge.kind()),
                    Err(kind) => return Err(kind),
                }
            }
            Ok(true)
        }
        Node::Block { body, .. } => takes_tokens(body),
        Node::RepeatFrom { count: 0, .. } => Ok(false),
        Node::RepeatFrom { node, .. } => takes_tokens(node),
        Node::Branches { count: 0, .. } => Ok(false),
        Node::Branches { node, .. } => takes_tokens(node),
        // A declaration with named tensors routes its inputs itself; its entries are checked
        // where they read them.
        Node::Graph(_) => Ok(true),
        Node::Join(merge) => Err(merge.kind()),
        // Its errors were reported already.
        Node::Broken { .. } => Ok(true),
    }
}

/// Panics (a compile error in a const) unless the token ids of model `name` go into an
/// `Embedding` first ([`takes_tokens`]); `network!` calls it for `#[input(tokens = L)]`.
///
/// ```should_panic
/// use nncost_core::{check_token_input, layers::Linear, Entry, Node};
/// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(8).into_layer()))]);
/// check_token_input("Net", &NET); // Net: token ids [N, L] go into an Embedding, ..
/// ```
#[track_caller]
pub const fn check_token_input(name: &str, node: &Node) {
    let kind = match takes_tokens(node) {
        Ok(true) => return,
        Ok(false) => "no layer",
        Err(kind) => kind,
    };
    let mut m = Message::new();
    m.push_str(name);
    m.push_str(
        ": token ids [N, L] (`#[input(tokens = ..)]`) go into an Embedding, but they reach ",
    );
    m.push_str(kind);
    m.push_str(" first");
    panic!("{}", m.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{Dropout, Embedding, Linear};
    use crate::node::{Entry, Merge};

    const WTE: Node = Node::Layer(Embedding::new(10, 4).into_layer());
    const FC: Node = Node::Layer(Linear::new(4).into_layer());

    #[test]
    fn paths_from_the_input() {
        // Identities before the embedding are skipped; nested blocks are entered.
        const NESTED: Node = Node::Seq(&[
            Entry::new("none", Node::IDENTITY),
            Entry::new(
                "body",
                Node::Block {
                    name: "Body",
                    body: &Node::Seq(&[Entry::new("wte", WTE), Entry::new("fc", FC)]),
                },
            ),
        ]);
        assert_eq!(takes_tokens(&NESTED), Ok(true));
        // Summed embeddings (token + segment) are fine; an identity branch is not.
        const SUM: Node = Node::Parallel {
            branches: &[Entry::new("tok", WTE), Entry::new("seg", WTE)],
            merge: Merge::Add,
        };
        assert_eq!(takes_tokens(&SUM), Ok(true));
        const RAW: Node = Node::Parallel {
            branches: &[Entry::new("tok", WTE), Entry::new("raw", Node::IDENTITY)],
            merge: Merge::Concat,
        };
        assert_eq!(takes_tokens(&RAW), Err("Concat"));
        const SKIP: Node = Node::Residual {
            body: &WTE,
            shortcut: &Node::IDENTITY,
        };
        assert_eq!(takes_tokens(&SKIP), Err("Residual"));
        const DROP: Node = Node::Seq(&[Entry::new("drop", Node::Layer(Dropout.into_layer()))]);
        assert_eq!(takes_tokens(&DROP), Err("Dropout"));
        assert_eq!(takes_tokens(&Node::IDENTITY), Ok(false));
        assert_eq!(takes_tokens(&Node::Repeat(&FC, 0)), Ok(false));
        assert_eq!(takes_tokens(&Node::Repeat(&WTE, 2)), Ok(true));
    }
}
