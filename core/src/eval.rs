//! The evaluator: one pass over a [`Node`] tree, giving the output shape and the totals.
//!
//! The same `const fn` runs at compile time (with no row buffer) and at run time (filling one
//! [`Row`] per entry for summaries). Work is linear in the number of layers: every layer is
//! visited once per use, and nothing is re-evaluated per nesting level.
//!
//! The same pass follows memory: which tensors are alive, and what each layer reads and writes
//! (the execution model is described at [`Memory`]). A tensor handed to a node is either *owned*
//! (the node frees it after its last use) or borrowed (an enclosing residual or parallel node
//! still needs it); a node whose output is its input's buffer (an identity, a view) hands it back.

use crate::cost::Cost;
use crate::dtype::bytes_at;
use crate::dtype::Precision;
use crate::error::{Fault, Problem, Segment};
use crate::layer::Layer;
use crate::memory::{elements, tensor_bytes, weights_read, Memory, ACCESS_BYTES, PEAK_BYTES};
use crate::memory::{ACTIVATION_BYTES, WEIGHT_BYTES};
use crate::node::{Entry, Merge, Node};
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
}

/// Deepest structure nesting the evaluator handles (each block level takes two or three).
///
/// Evaluation keeps its own stack instead of recursing, because rustc limits const-eval call
/// depth to the crate's `recursion_limit` (128 by default).
pub const MAX_NESTING: usize = 512;

/// A tensor handed to a node.
#[derive(Clone, Copy)]
struct Value {
    shape: Shape,
    /// Bytes of its elements: what a reader reads.
    bytes: u64,
    /// Bytes of the buffer it lives in (more than `bytes` for a view of part of a tensor).
    buffer: u64,
    /// Whether the node frees the buffer after its last use (else an enclosing node needs it).
    owned: bool,
}

/// A finished node, as its parent sees it.
#[derive(Clone, Copy)]
struct Done {
    out: Outcome,
    /// Bytes of the output's elements.
    bytes: u64,
    /// Bytes of the buffer the output lives in.
    buffer: u64,
    /// The output lives in the node's input buffer (an identity, views only): nothing was
    /// allocated, and freeing that buffer is still up to whoever owned the input.
    alias: bool,
}

impl Done {
    /// The input passed through unchanged.
    const fn identity(x: &Value) -> Done {
        Done {
            out: Outcome {
                shape: x.shape,
                cost: Cost::ZERO,
                memory: Memory::ZERO,
            },
            bytes: x.bytes,
            buffer: x.buffer,
            alias: true,
        }
    }
}

impl Value {
    const EMPTY: Value = Value {
        shape: Shape::SCALAR,
        bytes: 0,
        buffer: 0,
        owned: false,
    };
}

/// One structure node being evaluated: a `Seq`, `Repeat`, `Residual` or `Parallel`.
#[derive(Clone, Copy)]
struct Frame<'n> {
    node: &'n Node,
    /// The summary kind of the entry this frame evaluates (a block's name, or the node's kind).
    kind: &'static str,
    /// The entry's name, if it is a named entry (then it has a row).
    name: Option<Segment>,
    row: usize,
    input: Value,
    /// Running result: a sequence's current output, a parallel merge's accumulator; `alias`
    /// says whether it is still the frame's input buffer.
    acc: Done,
    /// A residual's body result while its shortcut runs.
    saved: Done,
    /// Parallel: the merge's own cost so far (shape checks go pairwise, left to right).
    merge_cost: Cost,
    /// Parallel: bytes of the branch outputs, all read by the merge.
    reads: u64,
    /// Parallel: buffers of the branch outputs written so far, alive until the merge.
    held: u64,
    /// Parallel: a branch's output is the input buffer, so the frame keeps it until the merge.
    kept: bool,
    /// Next child index (Seq, Repeat, Parallel) or stage (Residual).
    step: u64,
}

impl Frame<'static> {
    const EMPTY: Frame<'static> = Frame {
        node: &Node::IDENTITY,
        kind: "",
        name: None,
        row: 0,
        input: Value::EMPTY,
        acc: Done::identity(&Value::EMPTY),
        saved: Done::identity(&Value::EMPTY),
        merge_cost: Cost::ZERO,
        reads: 0,
        held: 0,
        kept: false,
        step: 0,
    };
}

/// The tensor the next child of a sequence gets: the current output (a macro rather than a
/// method: rustc's const-eval step limit counts calls, and this runs once per layer).
macro_rules! current {
    ($frame:expr) => {
        Value {
            shape: $frame.acc.out.shape,
            bytes: $frame.acc.bytes,
            buffer: $frame.acc.buffer,
            owned: !$frame.acc.alias || $frame.input.owned,
        }
    };
}

impl Frame<'_> {
    /// The frame's input, handed on with ownership `owned`.
    const fn input(&self, owned: bool) -> Value {
        Value {
            owned,
            ..self.input
        }
    }
}

/// The state of one evaluation: where rows go (possibly nowhere), how deep we are, the dtypes,
/// and how many activation bytes are alive.
///
/// ```
/// use nncost_core::{layers::ReLU, DType, Entry, Node, Precision, Row, Shape, Walk};
/// const NET: Node = Node::Seq(&[Entry::new("relu", Node::Layer(ReLU.into_layer()))]);
/// let mut rows = [Row::EMPTY; 1];
/// let mut walk = Walk::new(&mut rows).precision(Precision::uniform(DType::F16));
/// let out = walk.eval(&NET, Shape::new(&[1, 4])).unwrap();
/// assert_eq!(out.cost.flops, 4);
/// // Read 4 values and write 4, 2 bytes each; input and output alive at once.
/// assert_eq!((out.memory.access, out.memory.peak), (16, 16));
/// assert_eq!(walk.rows(), 1);
/// assert_eq!(rows[0].kind, "ReLU");
/// ```
pub struct Walk<'r> {
    rows: &'r mut [Row],
    count: usize,
    depth: u16,
    precision: Precision,
    /// Bits of a weight and of an activation value (from `precision`).
    weight_bits: u64,
    activation_bits: u64,
    /// Activation bytes alive right now.
    live: u64,
    /// Merges recorded so far under the open named entry at each depth, 16 bits per merge kind
    /// (to number their rows: `add`, `add_2`).
    merges: [u64; MAX_NESTING + 1],
}

impl<'r> Walk<'r> {
    /// A walk that writes rows into `rows` (pass `&mut []` to count them only), at f32.
    pub const fn new(rows: &'r mut [Row]) -> Walk<'r> {
        Walk {
            rows,
            count: 0,
            depth: 0,
            precision: Precision::DEFAULT,
            weight_bits: Precision::DEFAULT.weights.bits(),
            activation_bits: Precision::DEFAULT.activations.bits(),
            live: 0,
            merges: [0; MAX_NESTING + 1],
        }
    }

    /// The walk at `precision` (what the memory figures are counted in).
    pub const fn precision(mut self, precision: Precision) -> Walk<'r> {
        self.precision = precision;
        self.weight_bits = precision.weights.bits();
        self.activation_bits = precision.activations.bits();
        self
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
    ///
    /// The outcome's memory is the root's own: it leaves out the input tensor (alive, owned by
    /// the walk, at the start) but its peak counts it while it is alive. It has no weights
    /// beyond each layer's.
    pub const fn eval(&mut self, root: &Node, input: Shape) -> Result<Outcome, Fault> {
        let mut stack = [Frame::EMPTY; MAX_NESTING];
        let mut depth = 0;
        let bytes = match tensor_bytes(&input, self.precision) {
            Ok(b) => b,
            Err(problem) => {
                let mut fault = Fault::new("input", problem);
                fault.input = input;
                // Not in any entry: reported at the model's name.
                fault.entry = usize::MAX;
                return Err(fault);
            }
        };
        self.live = bytes;
        let x = Value {
            shape: input,
            bytes,
            buffer: bytes,
            owned: true,
        };
        // The child to start next, if any: its node, input and entry name.
        let mut pending: Option<(&Node, Value, Option<Segment>)> = Some((root, x, None));
        // The result of the child that finished last.
        let mut returned = Done::identity(&x);
        loop {
            if let Some((node, x, name)) = pending {
                pending = None;
                let mut inner = node;
                while let Node::Block { body, .. } = inner {
                    inner = body;
                }
                // An identity (an empty sequence such as the untaken side of an `if`, or zero
                // repeats) has no row.
                let row = match (name, inner) {
                    (_, Node::Seq(&[]) | Node::Repeat(_, 0)) | (None, _) => 0,
                    // `self.reserve()`, inlined: rustc's const-eval step limit counts calls.
                    (Some(_), _) => {
                        self.count += 1;
                        self.count - 1
                    }
                };
                match inner {
                    Node::Seq(&[]) | Node::Repeat(_, 0) => returned = Done::identity(&x),
                    Node::Layer(layer) => match self.layer(layer, &x) {
                        Ok(done) => {
                            returned = done;
                            // At compile time there is no row buffer: skip the kind and the row.
                            if let Some(name) = name {
                                if row < self.rows.len() {
                                    self.record(row, name, node.kind(), false, done.out);
                                    let out = &done.out;
                                    self.rows[row].operators =
                                        Operators::of_layer(layer, &out.shape, &out.cost);
                                }
                            }
                        }
                        Err(problem) => {
                            let mut fault = Fault::new(layer.kind(), problem);
                            fault.input = x.shape;
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
                        let kind = node.kind();
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
                            acc: Done::identity(&x),
                            ..Frame::EMPTY
                        };
                        depth += 1;
                        if name.is_some() {
                            self.depth += 1;
                            self.merges[self.depth as usize] = 0;
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
                return Ok(returned.out);
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

    /// Runs one layer on `x`: its output is allocated (unless it is a view), then `x` is freed
    /// if this was its last use. Traffic: `x` read, weights read, output written.
    const fn layer(&mut self, layer: &Layer, x: &Value) -> Result<Done, Problem> {
        let (shape, cost) = match layer.apply(&x.shape) {
            Ok(v) => v,
            Err(problem) => return Err(problem),
        };
        let bytes = match elements(&shape) {
            Some(n) => match bytes_at(n, self.activation_bits) {
                Some(b) => b,
                None => {
                    return Err(Problem::Overflow {
                        what: ACTIVATION_BYTES,
                    })
                }
            },
            None => {
                return Err(Problem::Overflow {
                    what: "tensor size",
                })
            }
        };
        let read = match weights_read(layer, &x.shape, &shape, &cost) {
            Ok(Some(read)) => read,
            Ok(None) => {
                return Ok(Done {
                    out: Outcome {
                        shape,
                        cost,
                        memory: Memory::ZERO,
                    },
                    bytes,
                    buffer: x.buffer,
                    alias: true,
                })
            }
            Err(problem) => return Err(problem),
        };
        let Some(weights) = bytes_at(cost.params, self.weight_bits) else {
            return Err(Problem::Overflow { what: WEIGHT_BYTES });
        };
        let weights_read = if read == cost.params {
            weights
        } else {
            match bytes_at(read, self.weight_bits) {
                Some(b) => b,
                None => return Err(Problem::Overflow { what: ACCESS_BYTES }),
            }
        };
        // Each sum is below 3 · 2⁶⁴, so u128 cannot overflow; checked against u64 at the end.
        let access = x.bytes as u128 + weights_read as u128 + bytes as u128;
        if access > u64::MAX as u128 {
            return Err(Problem::Overflow { what: ACCESS_BYTES });
        }
        let live = self.live as u128 + bytes as u128;
        if live > u64::MAX as u128 {
            return Err(Problem::Overflow { what: PEAK_BYTES });
        }
        self.live = if x.owned {
            live as u64 - x.buffer
        } else {
            live as u64
        };
        Ok(Done {
            out: Outcome {
                shape,
                cost,
                memory: Memory {
                    weights,
                    activations: bytes,
                    peak: live as u64,
                    access: access as u64,
                },
            },
            bytes,
            buffer: bytes,
            alias: false,
        })
    }

    /// Feeds a finished child's result to `frame`; returns the next child to start, or `None`
    /// when the frame is complete (its result is then in `frame.acc`).
    #[allow(clippy::type_complexity)]
    const fn step<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        child: Option<Done>,
    ) -> Result<Option<(&'n Node, Value, Option<Segment>)>, Fault> {
        match frame.node {
            Node::Seq(entries) => {
                if let Some(done) = child {
                    frame.acc = match then(&frame.acc, &done, frame.kind) {
                        Ok(acc) => acc,
                        Err(fault) => {
                            let entry = &entries[frame.step as usize];
                            return Err(total_overflow(fault, entry.node.kind(), segment(entry)));
                        }
                    };
                    frame.step += 1;
                }
                let i = frame.step as usize;
                if i < entries.len() {
                    Ok(Some((
                        &entries[i].node,
                        current!(frame),
                        segment(&entries[i]),
                    )))
                } else {
                    Ok(None)
                }
            }
            Node::Repeat(inner, count) => {
                if let Some(done) = child {
                    frame.acc = match then(&frame.acc, &done, frame.kind) {
                        Ok(acc) => acc,
                        Err(fault) => {
                            let copy = Some(Segment::Index(frame.step));
                            return Err(total_overflow(fault, inner.kind(), copy));
                        }
                    };
                    frame.step += 1;
                }
                if frame.step < *count {
                    Ok(Some((
                        inner,
                        current!(frame),
                        Some(Segment::Index(frame.step)),
                    )))
                } else {
                    Ok(None)
                }
            }
            // The body borrows the input; the shortcut gets it to keep or free, unless the body
            // handed the input buffer back as its output (then the frame frees it at the add).
            Node::Residual { body, shortcut } => match (frame.step, child) {
                (0, _) => {
                    frame.step = 1;
                    Ok(Some((body, frame.input(false), None)))
                }
                (1, Some(body)) => {
                    frame.saved = body;
                    frame.step = 2;
                    let owned = frame.input.owned && !body.alias;
                    Ok(Some((shortcut, frame.input(owned), None)))
                }
                (_, Some(short)) => {
                    let body = frame.saved;
                    let what = "residual add";
                    let (shape, own) =
                        match pair(Merge::Add, what, &body.out.shape, &short.out.shape) {
                            Ok(merged) => merged,
                            Err(fault) => return Err(fault),
                        };
                    let reads = match body.bytes.checked_add(short.bytes) {
                        Some(v) => v,
                        None => return Err(overflow(Merge::Add, ACCESS_BYTES)),
                    };
                    let mut freed = 0;
                    if !body.alias {
                        freed += body.buffer;
                    }
                    if !short.alias {
                        freed += short.buffer;
                    }
                    if frame.input.owned && (body.alias || short.alias) {
                        freed += frame.input.buffer;
                    }
                    let inputs = match then(&body, &short, what) {
                        Ok(both) => both.out,
                        Err(fault) => return Err(fault),
                    };
                    frame.acc = match self.merge(Merge::Add, shape, own, reads, freed, inputs) {
                        Ok(done) => done,
                        Err(fault) => return Err(fault),
                    };
                    Ok(None)
                }
                (_, None) => Ok(None),
            },
            // Every branch but the last borrows the input; the last gets it to keep or free,
            // unless an earlier branch handed the input buffer back as its output. Branch
            // outputs stay alive until the merge, which runs once after the last branch.
            Node::Parallel { branches, merge } => {
                if let Some(done) = child {
                    if frame.step == 1 {
                        frame.acc = done;
                    } else {
                        let (shape, own) =
                            match pair(*merge, merge.name(), &frame.acc.out.shape, &done.out.shape)
                            {
                                Ok(merged) => merged,
                                Err(fault) => return Err(fault),
                            };
                        frame.acc = match then(&frame.acc, &done, merge.name()) {
                            Ok(acc) => acc,
                            Err(fault) => return Err(fault),
                        };
                        frame.acc.out.shape = shape;
                        frame.merge_cost = match frame.merge_cost.checked_add(&own) {
                            Ok(c) => c,
                            Err(what) => return Err(overflow(*merge, what)),
                        };
                    }
                    frame.reads = match frame.reads.checked_add(done.bytes) {
                        Some(v) => v,
                        None => return Err(overflow(*merge, ACCESS_BYTES)),
                    };
                    if done.alias {
                        frame.kept = true;
                    } else {
                        // Alive together, so their sum fits (it is at most `live`).
                        frame.held += done.buffer;
                    }
                }
                let i = frame.step as usize;
                if i < branches.len() {
                    frame.step += 1;
                    let owned = frame.input.owned && !frame.kept && i + 1 == branches.len();
                    Ok(Some((
                        &branches[i].node,
                        frame.input(owned),
                        segment(&branches[i]),
                    )))
                } else if branches.len() >= 2 {
                    let mut freed = frame.held;
                    if frame.input.owned && frame.kept {
                        freed += frame.input.buffer;
                    }
                    let shape = frame.acc.out.shape;
                    let inputs = frame.acc.out;
                    frame.acc = match self.merge(
                        *merge,
                        shape,
                        frame.merge_cost,
                        frame.reads,
                        freed,
                        inputs,
                    ) {
                        Ok(done) => done,
                        Err(fault) => return Err(fault),
                    };
                    Ok(None)
                } else {
                    // No branch: the identity; one branch: its result as it is.
                    Ok(None)
                }
            }
            // Layers, blocks and broken nodes never get a frame.
            _ => Ok(None),
        }
    }

    /// Records the row of a finished frame and returns its result.
    const fn finish(&mut self, frame: &Frame) -> Done {
        if let Some(name) = frame.name {
            self.depth -= 1;
            self.record(frame.row, name, frame.kind, true, frame.acc.out);
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
                memory: out.memory,
                operators: Operators::ZERO,
            },
        );
    }

    /// The merge operation after the last branch (or a residual's shortcut): it writes `shape`,
    /// having read `reads` bytes, then frees `freed` bytes of inputs. Records a row for the
    /// merge itself (cost `own`) and returns the total with `inputs`, the branches' result.
    const fn merge(
        &mut self,
        merge: Merge,
        shape: Shape,
        own: Cost,
        reads: u64,
        freed: u64,
        inputs: Outcome,
    ) -> Result<Done, Fault> {
        let bytes = match tensor_bytes(&shape, self.precision) {
            Ok(b) => b,
            Err(problem) => return Err(Fault::new(merge.name(), problem)),
        };
        let live = match self.live.checked_add(bytes) {
            Some(v) => v,
            None => return Err(overflow(merge, PEAK_BYTES)),
        };
        self.live = live - freed;
        let access = match reads.checked_add(bytes) {
            Some(v) => v,
            None => return Err(overflow(merge, ACCESS_BYTES)),
        };
        let own = Outcome {
            shape,
            cost: own,
            memory: Memory {
                weights: 0,
                activations: bytes,
                peak: live,
                access,
            },
        };
        let index = self.reserve();
        // Four 16-bit counters per depth, one per merge kind (see `_MERGE_KINDS_FIT`).
        let shift = 16 * merge as u64;
        let counts = &mut self.merges[self.depth as usize];
        let ordinal = ((*counts >> shift) & 0xffff) as u16 + 1;
        *counts = (*counts & !(0xffff << shift)) | ((ordinal as u64) << shift);
        let name = Segment::Merge {
            name: merge.name(),
            ordinal,
        };
        self.record(index, name, merge.kind(), false, own);
        if index < self.rows.len() {
            self.rows[index].operators = Operators::of_merge(merge, &own.cost);
        }
        let cost = match inputs.cost.checked_add(&own.cost) {
            Ok(c) => c,
            Err(what) => return Err(overflow(merge, what)),
        };
        let memory = match inputs.memory.then(&own.memory) {
            Ok(m) => m,
            Err(what) => return Err(overflow(merge, what)),
        };
        Ok(Done {
            out: Outcome {
                shape,
                cost,
                memory,
            },
            bytes,
            buffer: bytes,
            alias: false,
        })
    }
}

/// Checks two branch outputs against each other: the merged shape and the merge's own cost.
const fn pair(
    merge: Merge,
    what: &'static str,
    left: &Shape,
    right: &Shape,
) -> Result<(Shape, Cost), Fault> {
    let shape = match merged_shape(merge, what, left, right) {
        Ok(shape) => shape,
        Err(problem) => return Err(Fault::new(what, problem)),
    };
    let flops = match merge {
        Merge::Concat | Merge::MatMul => 0,
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
    let own = match merge {
        // The product's MACs and FLOPs (its shape was checked above).
        Merge::MatMul => match crate::layers::matmul(left, right) {
            Ok((_, cost)) => cost,
            Err(problem) => return Err(Fault::new(merge.name(), problem)),
        },
        _ => Cost {
            flops,
            ..Cost::ZERO
        },
    };
    Ok((shape, own))
}

/// A sum over a sequence overflowed when the child `kind` at `segment` was added: the fault
/// names that child.
const fn total_overflow(fault: Fault, kind: &'static str, segment: Option<Segment>) -> Fault {
    let what = match fault.problem {
        Problem::Overflow { what } | Problem::TotalOverflow { what } => what,
        _ => return fault,
    };
    let mut fault = Fault::new(kind, Problem::TotalOverflow { what });
    if let Some(segment) = segment {
        fault.enter(segment);
    }
    fault
}

const fn overflow(merge: Merge, what: &'static str) -> Fault {
    Fault::new(merge.name(), Problem::Overflow { what })
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

/// `next` run after `acc`: costs and memory add up, the output is `next`'s (still the input's
/// buffer only if both are).
const fn then(acc: &Done, next: &Done, kind: &'static str) -> Result<Done, Fault> {
    let cost = match acc.out.cost.checked_add(&next.out.cost) {
        Ok(cost) => cost,
        Err(what) => return Err(Fault::new(kind, Problem::Overflow { what })),
    };
    let memory = match acc.out.memory.then(&next.out.memory) {
        Ok(memory) => memory,
        Err(what) => return Err(Fault::new(kind, Problem::Overflow { what })),
    };
    Ok(Done {
        out: Outcome {
            shape: next.out.shape,
            cost,
            memory,
        },
        bytes: next.bytes,
        buffer: if next.alias { acc.buffer } else { next.buffer },
        alias: next.alias && acc.alias,
    })
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
        Merge::MatMul => match crate::layers::matmul(left, right) {
            Ok((shape, _)) => Ok(shape),
            Err(problem) => Err(problem),
        },
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

/// The per-depth merge counters pack one 16-bit count per merge kind into a `u64`.
const _MERGE_KINDS_FIT: () = assert!(
    Merge::MatMul as u64 <= 3,
    "one u64 holds four merge counters"
);
