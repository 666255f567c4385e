//! The walk: the evaluator's loop over a stack of frames, layers and summary rows.

use crate::cost::Cost;
use crate::dtype::Precision;
use crate::error::{Fault, Problem, Segment};
use crate::eval::liveness::{Done, Slots, Value, MAX_SLOTS, NO_SLOT};
use crate::eval::rows::{Outcome, Row};
use crate::memory::tensor_bytes;
use crate::node::{Entry, Node, Read, Wiring};
use crate::operators::Operators;
use crate::phase::Phase;
use crate::shape::Shape;

/// Deepest structure nesting the evaluator handles (each block level takes two or three).
///
/// Evaluation keeps its own stack instead of recursing, because rustc limits const-eval call
/// depth to the crate's `recursion_limit` (128 by default).
pub(crate) const MAX_NESTING: usize = 512;

/// Most outputs a declaration may have.
pub(crate) const MAX_OUTPUTS: usize = crate::tensors::MAX_TENSORS;

/// The child a frame starts next: its node, its input, its further inputs, its name and how it
/// counts.
#[derive(Clone, Copy)]
pub(crate) struct Start<'n> {
    pub node: &'n Node,
    pub x: Value,
    /// Further inputs, as slots of the enclosing declaration (a block's other inputs, a
    /// cross-attention's keys, a join's operands).
    pub extras: &'static [Read],
    pub name: Option<Segment>,
    /// The entry's mode flags ([`Wiring`]).
    pub flags: u8,
    /// Whether a further input read for the last time may be taken over (not by a repeat,
    /// whose every copy reads it).
    pub take: bool,
}

impl<'n> Start<'n> {
    pub const fn new(node: &'n Node, x: Value, name: Option<Segment>) -> Start<'n> {
        Start {
            node,
            x,
            extras: &[],
            name,
            flags: 0,
            take: false,
        }
    }
}

/// One structure node being evaluated: a `Seq`, `Repeat`, `Residual`, `Parallel`, `Branches`
/// or `Graph`.
#[derive(Clone, Copy)]
pub(crate) struct Frame<'n> {
    pub node: &'n Node,
    /// The summary kind of the entry this frame evaluates (a block's name, or the node's kind).
    pub kind: &'static str,
    /// The entry's name, if it is a named entry (then it has a row).
    pub name: Option<Segment>,
    pub row: usize,
    pub input: Value,
    /// Further inputs handed on to every copy of a repeat.
    pub extras: &'static [Read],
    /// Running result: a sequence's current output, a parallel merge's accumulator; `alias`
    /// says whether it is still the frame's input buffer.
    pub acc: Done,
    /// A residual's body result while its shortcut runs.
    pub saved: Done,
    /// The input handed to the running child (a sequence entry reading a named tensor).
    pub given: Value,
    /// Parallel: the merge's own cost so far (shape checks go pairwise, left to right).
    pub merge_cost: Cost,
    /// Parallel: bytes of the branch outputs, all read by the merge.
    pub reads: u64,
    /// Parallel: buffers of the branch outputs written so far, alive until the merge.
    pub held: u64,
    /// Parallel: a branch's output is the input buffer, so the frame keeps it until the merge.
    pub kept: bool,
    /// Next child index (Seq, Repeat, Parallel, Graph) or stage (Residual).
    pub step: u64,
    /// Mode flags this frame entered (left when it finishes).
    pub modes: u8,
    /// A repeat whose copies after the first share the first one's weights.
    pub share_after_first: bool,
    /// Graph: the caller's slot base, restored when the declaration finishes.
    pub caller_base: usize,
    /// Graph: whether its further inputs may be taken over ([`Start::take`]).
    pub take: bool,
}

impl Frame<'static> {
    pub const EMPTY: Frame<'static> = Frame {
        node: &Node::IDENTITY,
        kind: "",
        name: None,
        row: 0,
        input: Value::EMPTY,
        extras: &[],
        acc: Done::identity(&Value::EMPTY),
        saved: Done::identity(&Value::EMPTY),
        given: Value::EMPTY,
        merge_cost: Cost::ZERO,
        reads: 0,
        held: 0,
        kept: false,
        step: 0,
        modes: 0,
        share_after_first: false,
        caller_base: 0,
        take: false,
    };
}

/// The tensor the next child of a sequence gets: the current output (a macro rather than a
/// method: rustc's const-eval step limit counts calls, and this runs once per layer).
macro_rules! current {
    ($frame:expr) => {
        $crate::eval::liveness::Value {
            shape: $frame.acc.out.shape,
            bytes: $frame.acc.bytes,
            buffer: $frame.acc.buffer,
            owned: $frame.acc.slot == $crate::eval::liveness::NO_SLOT
                && (!$frame.acc.alias || ($frame.input.owned && $frame.input.slot == NO_SLOT)),
            slot: if $frame.acc.alias {
                $frame.input.slot
            } else {
                $frame.acc.slot
            },
            channels_first: $frame.acc.channels_first,
        }
    };
}
pub(crate) use current;

impl Frame<'_> {
    /// The frame's input, handed on with ownership `owned`.
    pub const fn input(&self, owned: bool) -> Value {
        self.input.with_owned(owned)
    }
}

/// The state of one evaluation: where rows go (possibly nowhere), how deep we are, the dtypes,
/// how many activation bytes are alive, and the named tensors.
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
    pub(crate) rows: &'r mut [Row],
    pub(crate) count: usize,
    pub(crate) depth: u16,
    pub(crate) precision: Precision,
    /// Bits of a weight, of an activation value and of a KV cache value (from `precision`).
    pub(crate) weight_bits: u64,
    pub(crate) activation_bits: u64,
    pub(crate) kv_bits: u64,
    /// Whole sequence, or a step over a KV cache: handed to every layer.
    pub(crate) phase: Phase,
    /// The inputs belong to an enclosing walk (a mixture's part): never freed here.
    pub(crate) input_borrowed: bool,
    /// Activation bytes alive right now.
    pub(crate) live: u64,
    /// Merges recorded so far under the open named entry at each depth, 16 bits per merge kind
    /// (to number their rows: `add`, `add_2`).
    pub(crate) merges: [u128; MAX_NESTING + 1],
    /// Named tensors of the declarations being evaluated.
    pub(crate) slots: Slots,
    /// Entries running in training-only, frozen or shared mode (nesting counts).
    pub(crate) train: u32,
    pub(crate) frozen: u32,
    pub(crate) shared: u32,
    /// The further outputs of the declaration that finished last (its first is its result),
    /// until its parent keeps or drops them.
    pub(crate) extra_names: [&'static str; MAX_OUTPUTS],
    pub(crate) extra_values: [Value; MAX_OUTPUTS],
    pub(crate) extra_count: usize,
    /// The outputs of the declaration that finished last, until its parent has kept them.
    pub(crate) finished: &'static [crate::node::Output],
    /// The device each layer and merge is timed on, and the sum so far (`roofline.rs`).
    pub(crate) device: Option<crate::device::Device>,
    pub(crate) roofline: crate::roofline::Roofline,
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
            kv_bits: Precision::DEFAULT.kv_cache.bits(),
            phase: Phase::WHOLE,
            input_borrowed: false,
            live: 0,
            merges: [0; MAX_NESTING + 1],
            slots: Slots::new(),
            train: 0,
            frozen: 0,
            shared: 0,
            extra_names: [""; MAX_OUTPUTS],
            extra_values: [Value::EMPTY; MAX_OUTPUTS],
            extra_count: 0,
            finished: &[],
            device: None,
            roofline: crate::roofline::Roofline::NONE,
        }
    }

    /// The walk at `precision` (what the memory figures are counted in).
    pub const fn precision(mut self, precision: Precision) -> Walk<'r> {
        self.precision = precision;
        self.weight_bits = precision.weights.bits();
        self.activation_bits = precision.activations.bits();
        self.kv_bits = precision.kv_cache.bits();
        self
    }

    /// The walk in `phase` (the whole sequence by default; a step over a KV cache).
    ///
    /// ```
    /// use nncost_core::{layers::MultiheadAttention, Entry, Node, Phase, Shape, Walk};
    /// const NET: Node = Node::Seq(&[Entry::new("attn", Node::Layer(MultiheadAttention::new(8, 2).into_layer()))]);
    /// let step = Walk::new(&mut []).phase(Phase::cached(9)).eval(&NET, Shape::new(&[1, 1, 8])).unwrap();
    /// // 10 positions of 2 · 8 values cached, f32.
    /// assert_eq!(step.memory.kv_cache, 10 * 16 * 4);
    /// ```
    pub const fn phase(mut self, phase: Phase) -> Walk<'r> {
        self.phase = phase;
        self
    }

    /// How many rows the walk produced so far (written or not).
    pub const fn rows(&self) -> usize {
        self.count
    }

    pub(crate) const fn reserve(&mut self) -> usize {
        self.count += 1;
        self.count - 1
    }

    const fn fill(&mut self, index: usize, row: Row) {
        if index < self.rows.len() {
            self.rows[index] = row;
        }
    }

    /// The further outputs of the last evaluation (a declaration with several outputs): their
    /// shapes, in declaration order after the first.
    pub(crate) const fn extra_shape(&self, i: usize) -> Shape {
        self.extra_values[i].shape
    }

    /// Evaluates `root` on `input` in one pass, each layer once per use.
    ///
    /// The outcome's memory is the root's own: it leaves out the input tensor (alive, owned by
    /// the walk, at the start) but its peak counts it while it is alive. It has no weights
    /// beyond each layer's.
    pub const fn eval(&mut self, root: &Node, input: Shape) -> Result<Outcome, Fault> {
        self.eval_inputs(root, &[input])
    }

    /// Evaluates `root` on several inputs (a declaration with named inputs, bound in order); see
    /// [`Walk::eval`].
    pub const fn eval_inputs(&mut self, root: &Node, inputs: &[Shape]) -> Result<Outcome, Fault> {
        /// The walk's own slots for inputs after the first, read by the root declaration.
        const INPUT_READS: [Read; crate::tensors::MAX_TENSORS] = {
            let mut reads = [Read {
                slot: 0,
                last: true,
            }; crate::tensors::MAX_TENSORS];
            let mut i = 0;
            while i < reads.len() {
                reads[i].slot = i as u16;
                i += 1;
            }
            reads
        };
        let mut stack = [Frame::EMPTY; MAX_NESTING];
        let mut depth = 0;
        if inputs.is_empty() || inputs.len() > crate::tensors::MAX_TENSORS {
            let fault = Fault::new(
                "input",
                Problem::Other("a model has between 1 and 8 inputs"),
            );
            return Err(fault);
        }
        let mut x = Value::EMPTY;
        let mut i = 0;
        while i < inputs.len() {
            let bytes = match tensor_bytes(&inputs[i], self.precision) {
                Ok(b) => b,
                Err(problem) => {
                    let mut fault = Fault::new("input", problem);
                    fault.input = inputs[i];
                    // Not in any entry: reported at the model's name.
                    fault.entry = usize::MAX;
                    return Err(fault);
                }
            };
            self.live += bytes;
            let value = Value {
                shape: inputs[i],
                bytes,
                buffer: bytes,
                owned: !self.input_borrowed,
                slot: NO_SLOT,
                channels_first: false,
            };
            if i == 0 {
                x = value;
            } else {
                // Inputs after the first wait in the walk's own slots until the root reads them.
                self.slots.bind(i - 1, &value);
            }
            i += 1;
        }
        self.slots.top = inputs.len() - 1;
        let (_, extras) = INPUT_READS.split_at(0);
        let (extras, _) = extras.split_at(inputs.len() - 1);
        let mut pending: Option<Start> = Some(Start {
            extras,
            take: true,
            ..Start::new(root, x, None)
        });
        // The result of the child that finished last.
        let mut returned = Done::identity(&x);
        loop {
            if let Some(start) = pending {
                pending = None;
                let node = start.node;
                let x = start.x;
                let name = start.name;
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
                    Node::Layer(layer) => {
                        self.enter_modes(start.flags);
                        // A second input's shape, for the row's MACs by operator.
                        let mut second = None;
                        let result = match start.extras.len() {
                            0 => self.layer(layer, &x, &[]),
                            1 => {
                                let other = self.slots.read(&start.extras[0], start.take);
                                second = Some(other.shape);
                                self.layer(layer, &x, &[other])
                            }
                            2 => {
                                let key = self.slots.read(&start.extras[0], start.take);
                                let value = self.slots.read(&start.extras[1], start.take);
                                self.layer(layer, &x, &[key, value])
                            }
                            _ => Err(Problem::Other(
                                "a layer takes at most three inputs (queries, keys and values of a ScaledDotProductAttention)",
                            )),
                        };
                        match result {
                            Ok(done) => {
                                returned = done;
                                // At compile time there is no row buffer: skip the kind and the row.
                                if let Some(name) = name {
                                    if row < self.rows.len() {
                                        self.record(row, name, node.kind(), false, done.out);
                                        self.set_operators(
                                            row,
                                            Operators::of_layer(
                                                layer,
                                                &done.out.shape,
                                                &done.out.cost,
                                                second.as_ref(),
                                                &self.phase,
                                            ),
                                        );
                                    }
                                }
                                self.leave_modes(start.flags);
                            }
                            Err(problem) => {
                                let mut fault = Fault::new(layer.kind(), problem);
                                fault.input = x.shape;
                                if let Some(name) = name {
                                    fault.enter(name);
                                }
                                return Err(unwind(fault, &stack, depth));
                            }
                        }
                    }
                    Node::Join(merge) => {
                        self.enter_modes(start.flags);
                        match self.join(*merge, &x, start.extras, start.take) {
                            Ok(done) => {
                                returned = done;
                                if let Some(name) = name {
                                    if row < self.rows.len() {
                                        self.record(row, name, merge.kind(), false, done.out);
                                        let ops = Operators::of_merge(*merge, &done.out.cost);
                                        self.set_operators(row, ops);
                                    }
                                }
                                self.leave_modes(start.flags);
                            }
                            Err(fault) => {
                                let mut fault = fault;
                                if let Some(name) = name {
                                    fault.enter(name);
                                }
                                return Err(unwind(fault, &stack, depth));
                            }
                        }
                    }
                    // A mixture of experts: its parts run in walks of their own (`experts.rs`).
                    Node::Mixture(mixture) => {
                        self.enter_modes(start.flags);
                        let result = if start.extras.is_empty() {
                            self.mixture(mixture, &x, name.is_some())
                        } else {
                            Err(Fault::new(
                                node.kind(),
                                Problem::Other("a mixture of experts takes one input"),
                            ))
                        };
                        match result {
                            Ok(done) => {
                                returned = done;
                                if let Some(name) = name {
                                    self.record(row, name, node.kind(), true, done.out);
                                }
                                self.leave_modes(start.flags);
                            }
                            Err(mut fault) => {
                                if let Some(name) = name {
                                    fault.enter(name);
                                }
                                return Err(unwind(fault, &stack, depth));
                            }
                        }
                    }
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
                        let takes_extras = matches!(
                            inner,
                            Node::Graph(_) | Node::Repeat(..) | Node::RepeatFrom { .. }
                        );
                        if !start.extras.is_empty() && !takes_extras {
                            let mut fault = Fault::new(
                                kind,
                                Problem::Other("takes one input, but its entry reads several tensors; a block with several inputs declares them, as in `block Fpn(c3, c4, c5) { .. }`"),
                            );
                            if let Some(name) = name {
                                fault.enter(name);
                            }
                            return Err(unwind(fault, &stack, depth));
                        }
                        stack[depth] = Frame {
                            node: inner,
                            kind,
                            name,
                            row,
                            input: x,
                            extras: start.extras,
                            acc: Done::identity(&x),
                            modes: start.flags
                                & (Wiring::TRAIN_ONLY | Wiring::FROZEN | Wiring::SHARED),
                            share_after_first: start.flags & Wiring::SHARED_AFTER_FIRST != 0,
                            take: start.take,
                            ..Frame::EMPTY
                        };
                        self.enter_modes(start.flags);
                        depth += 1;
                        if name.is_some() {
                            self.depth += 1;
                            self.merges[self.depth as usize] = 0;
                        }
                        if let Node::Graph(graph) = inner {
                            if let Err(problem) = self.enter_graph(&mut stack[depth - 1], graph) {
                                let fault = Fault::new(kind, problem);
                                return Err(unwind(fault, &stack, depth));
                            }
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
                        returned = match self.finish(&mut stack[depth]) {
                            Ok(done) => done,
                            Err(fault) => return Err(unwind(fault, &stack, depth + 1)),
                        };
                    }
                }
            }
            if depth == 0 {
                return Ok(returned.out);
            }
            let stepped = self.step(&mut stack[depth - 1], Some(returned));
            // Further outputs the parent did not keep are dropped.
            self.drop_extras();
            match stepped {
                Ok(Some(next)) => pending = Some(next),
                Ok(None) => {
                    depth -= 1;
                    returned = match self.finish(&mut stack[depth]) {
                        Ok(done) => done,
                        Err(fault) => return Err(unwind(fault, &stack, depth + 1)),
                    };
                }
                Err(fault) => return Err(unwind(fault, &stack, depth)),
            }
        }
    }

    /// Counts the modes an entry runs in (training-only, frozen, shared).
    pub(crate) const fn enter_modes(&mut self, flags: u8) {
        if flags & Wiring::TRAIN_ONLY != 0 {
            self.train += 1;
        }
        if flags & Wiring::FROZEN != 0 {
            self.frozen += 1;
        }
        if flags & Wiring::SHARED != 0 {
            self.shared += 1;
        }
    }

    /// Leaves the modes [`Walk::enter_modes`] entered.
    pub(crate) const fn leave_modes(&mut self, flags: u8) {
        if flags & Wiring::TRAIN_ONLY != 0 {
            self.train -= 1;
        }
        if flags & Wiring::FROZEN != 0 {
            self.frozen -= 1;
        }
        if flags & Wiring::SHARED != 0 {
            self.shared -= 1;
        }
    }

    /// The flags of the mode the walk is in, for rows.
    const fn mode_flags(&self) -> u8 {
        let mut flags = 0;
        if self.train > 0 {
            flags |= Wiring::TRAIN_ONLY;
        }
        if self.frozen > 0 {
            flags |= Wiring::FROZEN;
        }
        if self.shared > 0 {
            flags |= Wiring::SHARED;
        }
        flags
    }

    /// Frees the further outputs of the last finished declaration that nobody kept.
    const fn drop_extras(&mut self) {
        let mut i = 0;
        while i < self.extra_count {
            let value = self.extra_values[i];
            if value.owned {
                self.live -= value.buffer;
            }
            i += 1;
        }
        self.extra_count = 0;
        self.finished = &[];
    }

    /// Records the row of a finished frame and returns its result.
    const fn finish(&mut self, frame: &mut Frame) -> Result<Done, Fault> {
        if let Node::Graph(graph) = frame.node {
            if let Err(problem) = self.leave_graph(frame, graph) {
                return Err(Fault::new(frame.kind, problem));
            }
        }
        if frame.share_after_first && frame.step > 1 {
            self.shared -= 1;
        }
        if let Some(name) = frame.name {
            self.depth -= 1;
            self.record(frame.row, name, frame.kind, true, frame.acc.out);
        }
        self.leave_modes(frame.modes);
        Ok(frame.acc)
    }

    /// Whether rows are recorded (at run time, for summaries; never at compile time).
    pub(crate) const fn recording(&self) -> bool {
        !self.rows.is_empty()
    }

    /// Sets a recorded row's MACs by operator.
    pub(crate) const fn set_operators(&mut self, index: usize, operators: Operators) {
        if index < self.rows.len() {
            self.rows[index].operators = operators;
        }
    }

    pub(crate) const fn record(
        &mut self,
        index: usize,
        name: Segment,
        kind: &'static str,
        group: bool,
        out: crate::eval::walk::Outcome,
    ) {
        if index >= self.rows.len() {
            return;
        }
        let flags = self.mode_flags();
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
                flags,
                operators: Operators::ZERO,
            },
        );
    }
}

/// A sum over a sequence overflowed when the child `kind` at `segment` was added: the fault
/// names that child.
pub(crate) const fn total_overflow(
    what: &'static str,
    kind: &'static str,
    segment: Option<Segment>,
) -> Fault {
    let mut fault = Fault::new(kind, Problem::TotalOverflow { what });
    if let Some(segment) = segment {
        fault.enter(segment);
    }
    fault
}

/// Adds the path of every open frame to `fault`, innermost first, and notes which top-level
/// entry it is in (the step of the outermost sequence).
const fn unwind(mut fault: Fault, stack: &[Frame], depth: usize) -> Fault {
    let mut i = depth;
    while i > 0 {
        i -= 1;
        let frame = &stack[i];
        if let Node::Seq(_) | Node::Graph(_) = frame.node {
            fault.entry = frame.step as usize;
        }
        if let Some(name) = frame.name {
            fault.enter(name);
        }
    }
    fault
}

/// The segment an entry is named by in paths, or `None` for a transparent entry.
pub(crate) const fn segment(entry: &Entry) -> Option<Segment> {
    if entry.name.is_empty() {
        None
    } else {
        Some(Segment::Name(entry.name))
    }
}

/// The slot table must fit the `u16` slot numbers (two values are reserved).
const _SLOTS_FIT: () = assert!(MAX_SLOTS < u16::MAX as usize - 1);
