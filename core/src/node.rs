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
    /// `body(x) + shortcut(x)`, broadcasting as [`Merge::Add`]; an empty `Seq` as shortcut is
    /// the identity.
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
    /// A declaration with named tensors (a DAG): its inputs and kept entries live in slots that
    /// later entries read by name; see [`Graph`].
    Graph(&'static Graph),
    /// `count` copies in a row, named `start`, `start + 1`, .. (a repeat that continues a
    /// tuple's numbering: `(First, ..[Rest; 5])` gives `0` to `5`).
    RepeatFrom {
        /// The repeated node.
        node: &'static Node,
        /// How many copies.
        count: u64,
        /// The first copy's index.
        start: u64,
    },
    /// `count` copies of `node` as parallel branches on the same input, named `0`, `1`, ..,
    /// merged (`add { experts: [Expert; 4] }`).
    Branches {
        /// The node each branch runs.
        node: &'static Node,
        /// How many branches.
        count: u64,
        /// How their outputs are combined.
        merge: Merge,
    },
    /// Merges the tensors its entry reads (`add(a, b)`, `concat(p3, p4, dim = 1)`): no layers of
    /// its own, one merge operation.
    Join(Merge),
}

/// A named child of a [`Node::Seq`] or a branch of a [`Node::Parallel`].
///
/// An empty name makes the entry transparent: its children are named as if they stood in the
/// parent (used for an unnamed `residual { .. }` group). Build entries with [`Entry::new`] and
/// the builder methods, so that new settings do not break your code.
///
/// By default an entry reads the previous entry's output and hands its own to the next one;
/// its [`Wiring`] can make it read named tensors instead (slots of the enclosing [`Graph`]),
/// keep its output for later readers, and run in a special mode (train-only, frozen, shared).
///
/// ```
/// use nncost_core::{layers::ReLU, Entry, Node};
/// const E: Entry = Entry::new("relu", Node::Layer(ReLU.into_layer()));
/// assert_eq!(E.name, "relu");
/// assert!(E.wiring.reads.is_empty());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The name in layer paths (`layer2.0.conv1`).
    pub name: &'static str,
    /// What the entry does.
    pub node: Node,
    /// Where its input comes from, where its output goes, and how it counts.
    pub wiring: Wiring,
}

impl Entry {
    /// An unnamed identity entry, with every setting at its default.
    pub const DEFAULT: Entry = Entry::new("", Node::IDENTITY);

    /// An entry named `name`, reading the previous entry's output.
    pub const fn new(name: &'static str, node: Node) -> Entry {
        Entry {
            name,
            node,
            wiring: Wiring::PLAIN,
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
        self.wiring.reuses = original;
        self
    }

    /// The fault of a module applied again ([`Entry::reused`]) that has state, once its cost is
    /// known.
    pub(crate) const fn check_reuse(&self, cost: &Cost) -> Result<(), Fault> {
        if self.wiring.reuses.is_empty() || (cost.params == 0 && cost.buffers == 0) {
            return Ok(());
        }
        let mut fault = Fault::new(
            self.node.kind(),
            Problem::Reused {
                name: self.wiring.reuses,
                params: cost.params,
                buffers: cost.buffers,
            },
        );
        if !self.name.is_empty() {
            fault.enter(Segment::Name(self.name));
        }
        Err(fault)
    }

    /// Reads these slots instead of the previous output: the first is the node's input, the
    /// others its further inputs (a block's, a cross-attention's keys, a join's operands).
    pub const fn reads(mut self, reads: &'static [Read]) -> Entry {
        self.wiring.reads = reads;
        self
    }

    /// Keeps the output (or a named output of a block with several) in these slots.
    pub const fn keeps(mut self, keeps: &'static [Keep]) -> Entry {
        self.wiring.keeps = keeps;
        self
    }

    /// Releases these slots after the entry has run (it holds their last reader).
    pub const fn frees(mut self, frees: &'static [u16]) -> Entry {
        self.wiring.frees = frees;
        self
    }

    /// Adds the mode flags `flags` ([`Wiring::TRAIN_ONLY`], ..).
    pub const fn flags(mut self, flags: u8) -> Entry {
        self.wiring.flags |= flags;
        self
    }
}

/// How an [`Entry`] is connected and counted; [`Wiring::PLAIN`] for a plain sequence entry.
///
/// ```
/// use nncost_core::{Read, Wiring};
/// const W: Wiring = Wiring { reads: &[Read { slot: 2, last: true }], ..Wiring::PLAIN };
/// assert!(!W.has(Wiring::TRAIN_ONLY));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Wiring {
    /// Slots read, in order; empty: the previous entry's output.
    pub reads: &'static [Read],
    /// Slots the output is kept in for later readers.
    pub keeps: &'static [Keep],
    /// Slots released after the entry (their last reader is in it).
    pub frees: &'static [u16],
    /// Mode flags: [`Wiring::TRAIN_ONLY`], [`Wiring::FROZEN`], [`Wiring::SHARED`],
    /// [`Wiring::SHARED_AFTER_FIRST`].
    pub flags: u8,
    /// The name this entry repeats, when it applies a module again under a name already used
    /// (see [`Entry::reused`]); empty otherwise.
    pub reuses: &'static str,
}

impl Wiring {
    /// Reads the previous output, keeps nothing, counts normally.
    pub const PLAIN: Wiring = Wiring {
        reads: &[],
        keeps: &[],
        frees: &[],
        flags: 0,
        reuses: "",
    };
    /// Runs only in training (an auxiliary head): its parameters and buffers count, it computes
    /// nothing in inference, and its output goes nowhere (the next entry reads what it read).
    pub const TRAIN_ONLY: u8 = 1;
    /// Its parameters are frozen (`requires_grad = False`): counted in `PARAMS`, not in
    /// `TRAINABLE_PARAMS`.
    pub const FROZEN: u8 = 2;
    /// Applies weights counted elsewhere (a module used again): its parameters and buffers are
    /// not counted again, its MACs and traffic are.
    pub const SHARED: u8 = 4;
    /// A repeat whose copies are one module applied again and again: the first copy's
    /// parameters count, the others share them (ALBERT).
    pub const SHARED_AFTER_FIRST: u8 = 8;

    /// Whether `flag` is set.
    pub const fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// A named tensor an entry reads: a slot of the enclosing [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Read {
    /// The slot, counted from the declaration's first.
    pub slot: u16,
    /// Whether this is the tensor's last reader (it may take the buffer over and free it).
    pub last: bool,
}

/// Where an entry's output is kept for later readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keep {
    /// The slot, counted from the declaration's first.
    pub slot: u16,
    /// Which output of a block with several (`""`: its first, or only, output).
    pub output: &'static str,
}

/// A declaration with named tensors: `block Fpn(c3, c4, c5) -> (p3, p4, p5) { .. }`, or any
/// declaration whose entries read earlier tensors by name.
///
/// Slots `0..inputs.len()` hold the inputs; the macro assigns the others to kept tensors and
/// lists, on each entry, what it reads, keeps and releases, so evaluation stays one pass.
///
/// ```
/// use nncost_core::{layers::Linear, Entry, Graph, Keep, Merge, Node, Output, Read, Shape};
/// // out = fc(x) + x, written with names.
/// const G: Graph = Graph {
///     name: "Skip",
///     inputs: &["x"],
///     outputs: &[Output { name: "out", slot: Output::LAST }],
///     slots: 2,
///     body: &[
///         Entry::new("fc", Node::Layer(Linear::new(8).into_layer())).keeps(&[Keep { slot: 1, output: "" }]),
///         Entry::new("out", Node::Join(Merge::Add))
///             .reads(&[Read { slot: 1, last: true }, Read { slot: 0, last: true }]),
///     ],
/// };
/// let report = nncost_core::evaluate("Skip", &Node::Graph(&G), Shape::new(&[1, 8])).unwrap();
/// assert_eq!(report.cost.params, 8 * 8 + 8);
/// assert_eq!(report.cost.flops, 2 * 64 + 8 + 8);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Graph {
    /// The declaration's name (the kind shown in summaries).
    pub name: &'static str,
    /// Input names, bound to slots `0..`.
    pub inputs: &'static [&'static str],
    /// Outputs, in order; the first is what a plain sequence passes on.
    pub outputs: &'static [Output],
    /// Slots the declaration uses (inputs included).
    pub slots: u16,
    /// The entries, in execution order.
    pub body: &'static [Entry],
}

/// A named output of a [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Output {
    /// The name callers read it by (`fpn.p3`) and summaries show.
    pub name: &'static str,
    /// The slot it is in, or [`Output::LAST`] for the last entry's output.
    pub slot: u16,
}

impl Output {
    /// The last entry's output (not kept in a slot).
    pub const LAST: u16 = u16::MAX;
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
    /// Concatenation along dim `d` (negative counts from the end), as `torch.cat(xs, d)`:
    /// `concat(dim = -1) { .. }`.
    ConcatDim(i64),
    /// Elementwise sum, broadcasting as PyTorch (see [`Shape::broadcast`]): the output has the
    /// broadcast shape. FLOPs: one add per output element per extra branch; each operand is read
    /// at its own size (no expanded copy is made).
    ///
    /// [`Shape::broadcast`]: crate::Shape::broadcast
    Add,
    /// Elementwise product, broadcasting as [`Merge::Add`] (a squeeze-and-excitation scale
    /// `[N, C, 1, 1]` times the feature map `[N, C, H, W]`). FLOPs: one multiply per output element
    /// per extra branch.
    Mul,
    /// Matrix product of the branch outputs, left to right, as `torch.matmul` (batch dims
    /// broadcast). MACs: `batch · n · k · m`; FLOPs: `2 × MACs` (see [`crate::layers::matmul`]).
    MatMul,
    /// Elementwise difference, first minus the others, broadcasting as [`Merge::Add`]. FLOPs:
    /// one subtraction per output element per extra operand.
    Sub,
    /// Elementwise quotient, first divided by the others, broadcasting as [`Merge::Add`]. FLOPs:
    /// one division per output element per extra operand.
    Div,
}

impl Merge {
    /// The word used in summaries and errors.
    pub const fn name(&self) -> &'static str {
        match self {
            Merge::Concat | Merge::ConcatDim(_) => "concat",
            Merge::Add => "add",
            Merge::Mul => "mul",
            Merge::MatMul => "matmul",
            Merge::Sub => "sub",
            Merge::Div => "div",
        }
    }
}

impl Merge {
    /// The merge's counter among the six kinds (rows of the same kind in a block are numbered
    /// `add`, `add_2`, ..).
    pub const fn counter(&self) -> u64 {
        match self {
            Merge::Concat | Merge::ConcatDim(_) => 0,
            Merge::Add => 1,
            Merge::Mul => 2,
            Merge::MatMul => 3,
            Merge::Sub => 4,
            Merge::Div => 5,
        }
    }

    /// The kind shown in summaries: `"Concat"`, `"Add"`, `"Mul"`, `"MatMul"`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Merge::Concat | Merge::ConcatDim(_) => "Concat",
            Merge::Add => "Add",
            Merge::Mul => "Mul",
            Merge::MatMul => "MatMul",
            Merge::Sub => "Sub",
            Merge::Div => "Div",
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
            Node::Parallel { merge, .. } | Node::Branches { merge, .. } | Node::Join(merge) => {
                merge.kind()
            }
            Node::Block { name, .. } | Node::Broken { name } => name,
            Node::Graph(graph) => graph.name,
            Node::RepeatFrom { .. } => "Repeat",
        }
    }
}
