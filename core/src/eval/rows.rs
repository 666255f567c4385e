//! What an evaluation gives: a node's [`Outcome`], and one [`Row`] per entry for summaries.

use crate::cost::Cost;
use crate::error::Segment;
use crate::memory::Memory;
use crate::node::Wiring;
use crate::operators::Operators;
use crate::shape::Shape;

/// The result of evaluating a node: its output shape, its total cost and its memory figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The output shape.
    pub shape: Shape,
    /// Everything the node costs.
    pub cost: Cost,
    /// Bytes the node's layers hold, write and move (see [`Memory`] for a node's figures).
    pub memory: Memory,
}

/// One line of a per-layer summary, in pre-order (a group comes before its children).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Nesting depth (0 for the model's own entries).
    pub depth: u16,
    /// The entry's name or index within its parent.
    pub name: Segment,
    /// The layer's or block's kind (`"Conv2d"`, `"BasicBlock"`, `"Add"`).
    pub kind: &'static str,
    /// Whether this row sums child rows (a block, a repeat) rather than being a single layer.
    pub group: bool,
    /// The output shape.
    pub output: Shape,
    /// The cost (for a group, its children's total).
    pub cost: Cost,
    /// The memory figures (for a group, its children's total; the peak is the largest).
    pub memory: Memory,
    /// How it counts: [`Wiring::TRAIN_ONLY`] (runs only in training), [`Wiring::SHARED`]
    /// (weights counted elsewhere), [`Wiring::FROZEN`], or 0.
    pub flags: u8,
    /// A layer's or merge's MACs by operator (`FlopCounterMode`'s groups); zero for a group,
    /// whose layers have them.
    pub operators: Operators,
}

impl Row {
    /// A blank row, for filling buffers.
    pub const EMPTY: Row = Row {
        depth: 0,
        name: Segment::Index(0),
        kind: "",
        group: false,
        output: Shape::SCALAR,
        cost: Cost::ZERO,
        memory: Memory::ZERO,
        flags: 0,
        operators: Operators::ZERO,
    };

    /// FLOPs per byte of memory traffic of this row, or 0 when it moves nothing (a view).
    ///
    /// ```
    /// use nncost_core::{layers::ReLU, Entry, Node, Row, Shape, Walk};
    /// const NET: Node = Node::Seq(&[Entry::new("relu", Node::Layer(ReLU.into_layer()))]);
    /// let mut rows = [Row::EMPTY; 1];
    /// Walk::new(&mut rows).eval(&NET, Shape::new(&[1, 1000])).unwrap();
    /// // 1,000 FLOPs; 4,000 bytes read and 4,000 written at f32.
    /// assert_eq!(rows[0].arithmetic_intensity(), 1_000.0 / 8_000.0);
    /// ```
    pub const fn arithmetic_intensity(&self) -> f64 {
        self.memory.arithmetic_intensity(self.cost.flops)
    }

    /// Whether the row runs only in training (an auxiliary head): its weights count, nothing
    /// else does.
    pub const fn train_only(&self) -> bool {
        self.flags & Wiring::TRAIN_ONLY != 0
    }

    /// Whether the row applies weights counted at another row (a module used again).
    pub const fn shared(&self) -> bool {
        self.flags & Wiring::SHARED != 0
    }
}
