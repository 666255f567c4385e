//! The evaluator: one pass over a [`Node`] tree, giving the output shape and the totals.
//!
//! The same `const fn` runs at compile time (with no row buffer) and at run time (filling one
//! [`Row`] per entry for summaries). Work is linear in the number of layers: every layer is
//! visited once per use, and nothing is re-evaluated per nesting level.

use crate::cost::Cost;
use crate::error::{Fault, Problem, Segment};
use crate::node::{Entry, Merge, Node};
use crate::shape::Shape;

/// The result of evaluating a node: its output shape and its total cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The output shape.
    pub shape: Shape,
    /// Everything the node costs.
    pub cost: Cost,
}

/// One line of a per-layer summary, in pre-order (a group comes before its children).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// Nesting depth (0 for the model's own entries).
    pub depth: u16,
    /// The entry's name or index within its parent.
    pub name: Segment,
    /// The layer's or block's kind (`"Conv2d"`, `"BasicBlock"`, `"add"`).
    pub kind: &'static str,
    /// Whether this row sums child rows (a block, a repeat) rather than being a single layer.
    pub group: bool,
    /// The output shape.
    pub output: Shape,
    /// The cost (for a group, its children's total).
    pub cost: Cost,
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
    };
}

/// The state of one evaluation: where rows go (possibly nowhere) and how deep we are.
///
/// ```
/// use nncost_core::{layers::ReLU, Entry, Node, Row, Shape, Walk};
/// const NET: Node = Node::Seq(&[Entry::new("relu", Node::Layer(ReLU.into_layer()))]);
/// let mut rows = [Row::EMPTY; 1];
/// let mut walk = Walk::new(&mut rows);
/// let out = walk.eval(&NET, Shape::new(&[1, 4])).unwrap();
/// assert_eq!(out.cost.flops, 4);
/// assert_eq!(walk.rows(), 1);
/// assert_eq!(rows[0].kind, "ReLU");
/// ```
pub struct Walk<'r> {
    rows: &'r mut [Row],
    count: usize,
    depth: u16,
}

impl<'r> Walk<'r> {
    /// A walk that writes rows into `rows` (pass `&mut []` to count them only).
    pub const fn new(rows: &'r mut [Row]) -> Walk<'r> {
        Walk {
            rows,
            count: 0,
            depth: 0,
        }
    }

    /// How many rows the walk produced so far (written or not).
    pub const fn rows(&self) -> usize {
        self.count
    }

    const fn reserve(&mut self) -> usize {
        self.count += 1;
        self.count - 1
    }

    const fn fill(&mut self, index: usize, row: Row) {
        if index < self.rows.len() {
            self.rows[index] = row;
        }
    }

    /// Evaluates `node` on `input`.
    pub const fn eval(&mut self, node: &Node, input: Shape) -> Result<Outcome, Fault> {
        match node {
            Node::Layer(layer) => match layer.apply(&input) {
                Ok((shape, cost)) => Ok(Outcome { shape, cost }),
                Err(problem) => Err(Fault::new(layer.kind(), problem)),
            },
            Node::Seq(entries) => {
                let mut x = Outcome {
                    shape: input,
                    cost: Cost::ZERO,
                };
                let mut i = 0;
                while i < entries.len() {
                    let entry = &entries[i];
                    let out = match self.entry(segment(entry), &entry.node, x.shape) {
                        Ok(out) => out,
                        Err(mut fault) => {
                            fault.entry = i;
                            return Err(fault);
                        }
                    };
                    x = match accumulate(x.cost, out, entry.node.kind()) {
                        Ok(v) => v,
                        Err(mut fault) => {
                            fault.entry = i;
                            if let Some(seg) = segment(entry) {
                                fault.enter(seg);
                            }
                            return Err(fault);
                        }
                    };
                    i += 1;
                }
                Ok(x)
            }
            Node::Repeat(inner, count) => {
                let mut x = Outcome {
                    shape: input,
                    cost: Cost::ZERO,
                };
                let mut i = 0;
                while i < *count {
                    let out = match self.entry(Some(Segment::Index(i)), inner, x.shape) {
                        Ok(out) => out,
                        Err(fault) => return Err(fault),
                    };
                    x = match accumulate(x.cost, out, inner.kind()) {
                        Ok(v) => v,
                        Err(mut fault) => {
                            fault.enter(Segment::Index(i));
                            return Err(fault);
                        }
                    };
                    i += 1;
                }
                Ok(x)
            }
            Node::Block { body, .. } => self.eval(body, input),
            Node::Residual { body, shortcut } => {
                let main = match self.eval(body, input) {
                    Ok(out) => out,
                    Err(fault) => return Err(fault),
                };
                let skip = match self.eval(shortcut, input) {
                    Ok(out) => out,
                    Err(fault) => return Err(fault),
                };
                self.merge(Merge::Add, "residual add", main.cost, main.shape, skip)
            }
            Node::Parallel { branches, merge } => {
                let mut acc: Option<Outcome> = None;
                let mut i = 0;
                while i < branches.len() {
                    let branch = &branches[i];
                    let out = match self.entry(segment(branch), &branch.node, input) {
                        Ok(out) => out,
                        Err(fault) => return Err(fault),
                    };
                    acc = match acc {
                        None => Some(out),
                        Some(prev) => {
                            match self.merge(*merge, merge.name(), prev.cost, prev.shape, out) {
                                Ok(v) => Some(v),
                                Err(fault) => return Err(fault),
                            }
                        }
                    };
                    i += 1;
                }
                match acc {
                    Some(out) => Ok(out),
                    None => Ok(Outcome {
                        shape: input,
                        cost: Cost::ZERO,
                    }),
                }
            }
        }
    }

    /// Evaluates one named entry: records its row and adds its name to a fault's path.
    const fn entry(
        &mut self,
        name: Option<Segment>,
        node: &Node,
        input: Shape,
    ) -> Result<Outcome, Fault> {
        let Some(name) = name else {
            return self.eval(node, input);
        };
        let index = self.reserve();
        let group = !matches!(node, Node::Layer(_));
        self.depth += 1;
        let result = self.eval(node, input);
        self.depth -= 1;
        match result {
            Ok(out) => {
                self.fill(
                    index,
                    Row {
                        depth: self.depth,
                        name,
                        kind: node.kind(),
                        group,
                        output: out.shape,
                        cost: out.cost,
                    },
                );
                Ok(out)
            }
            Err(mut fault) => {
                fault.enter(name);
                Err(fault)
            }
        }
    }

    /// Merges `right` into (`left_cost`, `left_shape`) and records a row for the merge itself.
    const fn merge(
        &mut self,
        merge: Merge,
        what: &'static str,
        left_cost: Cost,
        left_shape: Shape,
        right: Outcome,
    ) -> Result<Outcome, Fault> {
        let shape = match merged_shape(merge, what, &left_shape, &right.shape) {
            Ok(shape) => shape,
            Err(problem) => return Err(Fault::new(merge.name(), problem)),
        };
        let flops = match merge {
            Merge::Concat => 0,
            Merge::Add | Merge::Mul => match shape.numel() {
                Some(n) => n,
                None => {
                    return Err(Fault::new(
                        merge.name(),
                        Problem::Overflow {
                            what: "tensor size",
                        },
                    ))
                }
            },
        };
        let own = Cost {
            flops,
            ..Cost::ZERO
        };
        let index = self.reserve();
        self.fill(
            index,
            Row {
                depth: self.depth,
                name: Segment::Name(merge.name()),
                kind: what,
                group: false,
                output: shape,
                cost: own,
            },
        );
        let cost = match left_cost.checked_add(&right.cost) {
            Ok(c) => c,
            Err(what) => return Err(Fault::new(merge.name(), Problem::Overflow { what })),
        };
        let cost = match cost.checked_add(&own) {
            Ok(c) => c,
            Err(what) => return Err(Fault::new(merge.name(), Problem::Overflow { what })),
        };
        Ok(Outcome { shape, cost })
    }
}

const fn segment(entry: &Entry) -> Option<Segment> {
    if entry.name.is_empty() {
        None
    } else {
        Some(Segment::Name(entry.name))
    }
}

const fn accumulate(total: Cost, out: Outcome, kind: &'static str) -> Result<Outcome, Fault> {
    match total.checked_add(&out.cost) {
        Ok(cost) => Ok(Outcome {
            shape: out.shape,
            cost,
        }),
        Err(what) => Err(Fault::new(kind, Problem::Overflow { what })),
    }
}

const fn merged_shape(
    merge: Merge,
    what: &'static str,
    left: &Shape,
    right: &Shape,
) -> Result<Shape, Problem> {
    let mismatch = Problem::Merge {
        what,
        left: *left,
        right: *right,
    };
    match merge {
        Merge::Add | Merge::Mul => {
            if left.same_as(right) {
                Ok(*left)
            } else {
                Err(mismatch)
            }
        }
        Merge::Concat => {
            if left.rank() != right.rank() || left.rank() < 2 {
                return Err(mismatch);
            }
            let mut i = 0;
            while i < left.rank() {
                if i != 1 && left.dim(i) != right.dim(i) {
                    return Err(mismatch);
                }
                i += 1;
            }
            match left.dim(1).checked_add(right.dim(1)) {
                Some(c) => Ok(left.with_dim(1, c)),
                None => Err(Problem::Overflow { what: "channels" }),
            }
        }
    }
}
