//! The structure of a network: named layers in sequence, residuals, parallel branches, repeats.
//!
//! `network!` and `#[derive(ModelCost)]` emit these as `const` data; [`crate::eval`] walks them once.

use crate::cost::Cost;
use crate::error::{Fault, Problem, Segment};
use crate::layer::Layer;

/// One node of a network's structure tree.
///
/// ```
/// use nncost_core::{layers::{Conv2d, ReLU}, Entry, Node, Shape};
/// const NET: Node = Node::Seq(&[
///     Entry::new("conv", Node::Layer(Conv2d::new(8, 3).into_layer())),
///     Entry::new("relu", Node::Layer(ReLU.into_layer())),
/// ]);
/// let report = nncost_core::evaluate("Net", &NET, Shape::input(1, &[3, 8, 8])).unwrap();
/// assert_eq!(report.cost.params, 8 * 3 * 9 + 8);
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Node {
    /// A single layer.
    Layer(Layer),
    /// Named children applied in order, each to the previous one's output.
    Seq(&'static [Entry]),
    /// The node applied `count` times in a row; the copies are named `0`, `1`, ...
    Repeat(&'static Node, u64),
    /// `body(x) + shortcut(x)`; an empty `Seq` as shortcut is the identity.
    Residual {
        /// The main path.
        body: &'static Node,
        /// The skip path.
        shortcut: &'static Node,
    },
    /// Every branch applied to the same input, outputs merged.
    Parallel {
        /// The branches, each named.
        branches: &'static [Entry],
        /// How the outputs are combined.
        merge: Merge,
    },
    /// A named block type (a `network!` block, a derived struct): its name shows as the kind.
    Block {
        /// The type's name, e.g. `"BasicBlock"`.
        name: &'static str,
        /// What the block does.
        body: &'static Node,
    },
    /// A declaration whose macro reported errors: evaluating it fails with a short message
    /// pointing back to those errors instead of producing wrong numbers.
    Broken {
        /// The declaration's name.
        name: &'static str,
    },
}

/// A named child of a [`Node::Seq`] or a branch of a [`Node::Parallel`].
///
/// An empty name makes the entry transparent: its children are named as if they stood in the
/// parent (used for an unnamed `residual { .. }` group). Build entries with [`Entry::new`] and
/// the builder methods, so that new settings do not break your code.
///
/// ```
/// use nncost_core::{layers::ReLU, Entry, Node};
/// const E: Entry = Entry::new("relu", Node::Layer(ReLU.into_layer()));
/// assert_eq!(E.name, "relu");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The name in layer paths (`layer2.0.conv1`).
    pub name: &'static str,
    /// What the entry does.
    pub node: Node,
    /// The name this entry repeats, when it applies a module again under a name already used
    /// (see [`Entry::reused`]); empty otherwise.
    pub reuses: &'static str,
}

impl Entry {
    /// An unnamed identity entry, with every setting at its default: the base that generated
    /// code completes with struct update syntax (`Entry { name, node, ..Entry::DEFAULT }`), so
    /// that settings added later keep their defaults there.
    pub const DEFAULT: Entry = Entry::new("", Node::IDENTITY);

    /// An entry named `name`.
    pub const fn new(name: &'static str, node: Node) -> Entry {
        Entry {
            name,
            node,
            reuses: "",
        }
    }

    /// Marks the entry as a module applied again: its declaration repeats the name `original`
    /// (burn's single `dropout` field applied in three places of `forward`). The entry keeps a
    /// distinct path (`dropout_2`) and costs what it computes again, which is only right for a
    /// module without state: evaluation fails if it has parameters or buffers, since the same
    /// module applied twice shares its weights.
    ///
    /// ```
    /// use nncost_core::{evaluate, layers::{Linear, ReLU}, Entry, Node, Shape};
    /// const RELU: Node = Node::Layer(ReLU.into_layer());
    /// const FC: Node = Node::Layer(Linear::new(8).into_layer());
    /// const OK: Node = Node::Seq(&[
    ///     Entry::new("act", RELU),
    ///     Entry::new("act_2", RELU).reused("act"),
    /// ]);
    /// assert_eq!(evaluate("Net", &OK, Shape::input(1, &[8])).unwrap().cost.flops, 16);
    /// const SHARED: Node = Node::Seq(&[
    ///     Entry::new("fc", FC),
    ///     Entry::new("fc_2", FC).reused("fc"),
    /// ]);
    /// let err = evaluate("Net", &SHARED, Shape::input(1, &[8])).unwrap_err();
    /// assert!(err.message().as_str().starts_with("Net.fc_2 (Linear): `fc` is named again here"));
    /// ```
    pub const fn reused(mut self, original: &'static str) -> Entry {
        self.reuses = original;
        self
    }

    /// The fault of a module applied again ([`Entry::reused`]) that has state, once its cost is
    /// known.
    pub(crate) const fn check_reuse(&self, cost: &Cost) -> Result<(), Fault> {
        if self.reuses.is_empty() || (cost.params == 0 && cost.buffers == 0) {
            return Ok(());
        }
        let mut fault = Fault::new(
            self.node.kind(),
            Problem::Reused {
                name: self.reuses,
                params: cost.params,
                buffers: cost.buffers,
            },
        );
        if !self.name.is_empty() {
            fault.enter(Segment::Name(self.name));
        }
        Err(fault)
    }
}

/// How the outputs of parallel branches are combined.
///
/// ```
/// use nncost_core::Merge;
/// assert_eq!(Merge::Concat.name(), "concat");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// Concatenation along the channel dimension (dim 1), as `torch.cat(xs, 1)`.
    Concat,
    /// Elementwise sum; shapes must be equal. FLOPs: one add per element per extra branch.
    Add,
    /// Elementwise product; shapes must be equal. FLOPs: one multiply per element per extra branch.
    Mul,
    /// Matrix product of the branch outputs, left to right, as `torch.matmul` (batch dims
    /// broadcast). MACs: `batch · n · k · m`; FLOPs: `2 × MACs` (see [`crate::layers::matmul`]).
    MatMul,
}

impl Merge {
    /// The word used in summaries and errors.
    pub const fn name(&self) -> &'static str {
        match self {
            Merge::Concat => "concat",
            Merge::Add => "add",
            Merge::Mul => "mul",
            Merge::MatMul => "matmul",
        }
    }
}

impl Merge {
    /// The kind shown in summaries: `"Concat"`, `"Add"`, `"Mul"`, `"MatMul"`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Merge::Concat => "Concat",
            Merge::Add => "Add",
            Merge::Mul => "Mul",
            Merge::MatMul => "MatMul",
        }
    }
}

impl Node {
    /// The identity: an empty sequence.
    pub const IDENTITY: Node = Node::Seq(&[]);

    /// What the summary shows in its "kind" column for this node.
    ///
    /// ```
    /// use nncost_core::{layers::ReLU, Node};
    /// assert_eq!(Node::Layer(ReLU.into_layer()).kind(), "ReLU");
    /// ```
    pub const fn kind(&self) -> &'static str {
        match self {
            Node::Layer(layer) => layer.kind(),
            Node::Seq(_) => "Sequential",
            Node::Repeat(..) => "Repeat",
            Node::Residual { .. } => "Residual",
            Node::Parallel { merge, .. } => merge.kind(),
            Node::Block { name, .. } | Node::Broken { name } => name,
        }
    }
}
