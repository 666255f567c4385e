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
    /// The layer's or block's kind (`"Conv2d"`, `"BasicBlock"`, `"Add"`).
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

/// Deepest structure nesting the evaluator handles (each block level takes two or three).
///
/// Evaluation keeps its own stack instead of recursing, because rustc limits const-eval call
/// depth to the crate's `recursion_limit` (128 by default).
pub const MAX_NESTING: usize = 512;

/// One structure node being evaluated: a `Seq`, `Repeat`, `Residual` or `Parallel`.
#[derive(Clone, Copy)]
struct Frame<'n> {
    node: &'n Node,
    /// The summary kind of the entry this frame evaluates (a block's name, or the node's kind).
    kind: &'static str,
    /// The entry's name, if it is a named entry (then it has a row).
    name: Option<Segment>,
    row: usize,
    input: Shape,
    /// Running result: a sequence's current output, a parallel merge's accumulator.
    acc: Outcome,
    /// A residual's body output while its shortcut runs.
    saved: Outcome,
    /// Next child index (Seq, Repeat, Parallel) or stage (Residual).
    step: u64,
}

impl Frame<'static> {
    const EMPTY: Frame<'static> = Frame {
        node: &Node::IDENTITY,
        kind: "",
        name: None,
        row: 0,
        input: Shape::SCALAR,
        acc: Outcome::EMPTY,
        saved: Outcome::EMPTY,
        step: 0,
    };
}

impl Outcome {
    const EMPTY: Outcome = Outcome {
        shape: Shape::SCALAR,
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

    /// Evaluates `root` on `input` in one pass, each layer once per use.
    pub const fn eval(&mut self, root: &Node, input: Shape) -> Result<Outcome, Fault> {
        let mut stack = [Frame::EMPTY; MAX_NESTING];
        let mut depth = 0;
        // The child to start next, if any: its node, input and entry name.
        let mut pending: Option<(&Node, Shape, Option<Segment>)> = Some((root, input, None));
        // The outcome of the child that finished last.
        let mut returned = Outcome::EMPTY;
        loop {
            if let Some((node, x, name)) = pending {
                pending = None;
                let kind = node.kind();
                let mut inner = node;
                while let Node::Block { body, .. } = inner {
                    inner = body;
                }
                // An identity (an empty sequence such as the untaken side of an `if`, or zero
                // repeats) has no row.
                let row = match (name, inner) {
                    (_, Node::Seq(&[]) | Node::Repeat(_, 0)) | (None, _) => 0,
                    (Some(_), _) => self.reserve(),
                };
                match inner {
                    Node::Seq(&[]) | Node::Repeat(_, 0) => {
                        returned = Outcome {
                            shape: x,
                            cost: Cost::ZERO,
                        }
                    }
                    Node::Layer(layer) => match layer.apply(&x) {
                        Ok((shape, cost)) => {
                            returned = Outcome { shape, cost };
                            if let Some(name) = name {
                                self.record(row, name, kind, false, returned);
                            }
                        }
                        Err(problem) => {
                            let mut fault = Fault::new(layer.kind(), problem);
                            if let Some(name) = name {
                                fault.enter(name);
                            }
                            return Err(unwind(fault, &stack, depth));
                        }
                    },
                    Node::Broken { name: declared } => {
                        let mut fault = Fault::new(
                            declared,
                            Problem::Other(
                                "this declaration did not compile (see the errors above)",
                            ),
                        );
                        if let Some(name) = name {
                            fault.enter(name);
                        }
                        return Err(unwind(fault, &stack, depth));
                    }
                    _ => {
                        if depth == MAX_NESTING {
                            let fault = Fault::new(
                                kind,
                                Problem::Other(
                                    "structure is nested deeper than nncost's limit of 512 levels",
                                ),
                            );
                            return Err(unwind(fault, &stack, depth));
                        }
                        stack[depth] = Frame {
                            node: inner,
                            kind,
                            name,
                            row,
                            input: x,
                            acc: Outcome {
                                shape: x,
                                cost: Cost::ZERO,
                            },
                            saved: Outcome::EMPTY,
                            step: 0,
                        };
                        depth += 1;
                        if name.is_some() {
                            self.depth += 1;
                        }
                        // Step the new frame without a result to feed it.
                        match self.step(&mut stack[depth - 1], None) {
                            Ok(Some(next)) => {
                                pending = Some(next);
                                continue;
                            }
                            Ok(None) => {}
                            Err(fault) => return Err(unwind(fault, &stack, depth)),
                        }
                        // The frame finished at once (an empty sequence).
                        depth -= 1;
                        returned = self.finish(&stack[depth]);
                    }
                }
            }
            if depth == 0 {
                return Ok(returned);
            }
            match self.step(&mut stack[depth - 1], Some(returned)) {
                Ok(Some(next)) => pending = Some(next),
                Ok(None) => {
                    depth -= 1;
                    returned = self.finish(&stack[depth]);
                }
                Err(fault) => return Err(unwind(fault, &stack, depth)),
            }
        }
    }

    /// Feeds a finished child's outcome to `frame`; returns the next child to start, or `None`
    /// when the frame is complete (its result is then in `frame.acc`).
    #[allow(clippy::type_complexity)]
    const fn step<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        child: Option<Outcome>,
    ) -> Result<Option<(&'n Node, Shape, Option<Segment>)>, Fault> {
        match frame.node {
            Node::Seq(entries) => {
                if let Some(out) = child {
                    frame.acc = match accumulate(frame.acc.cost, out, frame.kind) {
                        Ok(acc) => acc,
                        Err(fault) => return Err(fault),
                    };
                    frame.step += 1;
                }
                let i = frame.step as usize;
                if i < entries.len() {
                    Ok(Some((
                        &entries[i].node,
                        frame.acc.shape,
                        segment(&entries[i]),
                    )))
                } else {
                    Ok(None)
                }
            }
            Node::Repeat(inner, count) => {
                if let Some(out) = child {
                    frame.acc = match accumulate(frame.acc.cost, out, frame.kind) {
                        Ok(acc) => acc,
                        Err(fault) => return Err(fault),
                    };
                    frame.step += 1;
                }
                if frame.step < *count {
                    Ok(Some((
                        inner,
                        frame.acc.shape,
                        Some(Segment::Index(frame.step)),
                    )))
                } else {
                    Ok(None)
                }
            }
            Node::Residual { body, shortcut } => match (frame.step, child) {
                (0, _) => {
                    frame.step = 1;
                    Ok(Some((body, frame.input, None)))
                }
                (1, Some(out)) => {
                    frame.saved = out;
                    frame.step = 2;
                    Ok(Some((shortcut, frame.input, None)))
                }
                (_, Some(out)) => {
                    frame.acc = match self.merge(Merge::Add, "residual add", frame.saved, out) {
                        Ok(merged) => merged,
                        Err(fault) => return Err(fault),
                    };
                    Ok(None)
                }
                (_, None) => Ok(None),
            },
            Node::Parallel { branches, merge } => {
                if let Some(out) = child {
                    frame.acc = if frame.step == 1 {
                        out
                    } else {
                        match self.merge(*merge, merge.name(), frame.acc, out) {
                            Ok(merged) => merged,
                            Err(fault) => return Err(fault),
                        }
                    };
                }
                let i = frame.step as usize;
                if i < branches.len() {
                    frame.step += 1;
                    Ok(Some((
                        &branches[i].node,
                        frame.input,
                        segment(&branches[i]),
                    )))
                } else {
                    Ok(None)
                }
            }
            // Layers, blocks and broken nodes never get a frame.
            _ => Ok(None),
        }
    }

    /// Records the row of a finished frame and returns its outcome.
    const fn finish(&mut self, frame: &Frame) -> Outcome {
        if let Some(name) = frame.name {
            self.depth -= 1;
            self.record(frame.row, name, frame.kind, true, frame.acc);
        }
        frame.acc
    }

    const fn record(
        &mut self,
        index: usize,
        name: Segment,
        kind: &'static str,
        group: bool,
        out: Outcome,
    ) {
        self.fill(
            index,
            Row {
                depth: self.depth,
                name,
                kind,
                group,
                output: out.shape,
                cost: out.cost,
            },
        );
    }

    /// Merges two outcomes and records a row for the merge itself.
    const fn merge(
        &mut self,
        merge: Merge,
        what: &'static str,
        left: Outcome,
        right: Outcome,
    ) -> Result<Outcome, Fault> {
        let shape = match merged_shape(merge, what, &left.shape, &right.shape) {
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
        self.record(
            index,
            Segment::Name(merge.name()),
            merge.kind(),
            false,
            Outcome { shape, cost: own },
        );
        let cost = match left.cost.checked_add(&right.cost) {
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

/// Adds the path of every open frame to `fault`, innermost first, and notes which top-level
/// entry it is in (the step of the outermost sequence).
const fn unwind(mut fault: Fault, stack: &[Frame], depth: usize) -> Fault {
    let mut i = depth;
    while i > 0 {
        i -= 1;
        let frame = &stack[i];
        if let Node::Seq(_) = frame.node {
            fault.entry = frame.step as usize;
        }
        if let Some(name) = frame.name {
            fault.enter(name);
        }
    }
    fault
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
