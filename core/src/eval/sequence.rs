//! Sequencing: sequences, repeats and declarations with named tensors ([`Graph`]s) — which
//! entry runs next, on which tensor, and what becomes of its output.

use crate::error::same;
use crate::error::{Fault, Problem, Segment};
use crate::eval::liveness::{beside, then, Done, Slot, Value, MAX_SLOTS, NO_SLOT};
use crate::eval::walk::{current, segment, total_overflow, Frame, Start, Walk};
use crate::node::{Entry, Graph, Node, Output, Wiring};

impl Walk<'_> {
    /// Feeds a finished child's result to `frame`; returns the next child to start, or `None`
    /// when the frame is complete (its result is then in `frame.acc`).
    pub(crate) const fn step<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        child: Option<Done>,
    ) -> Result<Option<Start<'n>>, Fault> {
        match frame.node {
            Node::Seq(entries) => self.step_entries(frame, entries, child),
            Node::Graph(graph) => self.step_entries(frame, graph.body, child),
            Node::Repeat(inner, count) => self.step_repeat(frame, inner, *count, 0, child),
            Node::RepeatFrom { node, count, start } => {
                self.step_repeat(frame, node, *count, *start, child)
            }
            Node::Residual { body, shortcut } => self.step_residual(frame, body, shortcut, child),
            Node::Parallel { branches, merge } => {
                self.step_parallel(frame, branches, None, *merge, child)
            }
            Node::Branches { node, count, merge } => {
                self.step_parallel(frame, &[], Some((node, *count)), *merge, child)
            }
            // Layers, blocks, joins and broken nodes never get a frame.
            _ => Ok(None),
        }
    }

    /// A sequence's or a declaration's entries, one after the other.
    const fn step_entries<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        entries: &'static [Entry],
        child: Option<Done>,
    ) -> Result<Option<Start<'n>>, Fault> {
        if let Some(done) = child {
            let entry = &entries[frame.step as usize];
            // Tested here first: const evaluation pays for every call.
            if !entry.wiring.reuses.is_empty() {
                if let Err(fault) = entry.check_reuse(&done.out.cost) {
                    return Err(fault);
                }
            }
            if let Err(fault) = self.entry_done(frame, entry, done) {
                return Err(fault);
            }
            frame.step += 1;
        }
        let i = frame.step as usize;
        if i < entries.len() {
            Ok(Some(self.entry_start(frame, &entries[i])))
        } else {
            Ok(None)
        }
    }

    /// The start of a sequence's entry: it reads the current output, or the named tensors its
    /// wiring says (then the current output has no reader left and is dropped).
    const fn entry_start<'n>(&mut self, frame: &mut Frame<'n>, entry: &'static Entry) -> Start<'n> {
        let wiring = &entry.wiring;
        let train = wiring.has(Wiring::TRAIN_ONLY);
        let repeat = matches!(entry.node, Node::Repeat(..) | Node::RepeatFrom { .. });
        let mut start = Start {
            flags: wiring.flags,
            take: !train && !repeat,
            ..Start::new(&entry.node, current!(frame), segment(entry))
        };
        if wiring.reads.is_empty() {
            if train {
                // A head attached here reads the tensor; the next entry still gets it.
                start.x = start.x.with_owned(false);
            }
            return start;
        }
        if !train {
            let dropped = current!(frame);
            if dropped.owned {
                self.live -= dropped.buffer;
                // Nothing of it is left to free.
                frame.acc.slot = NO_SLOT;
                frame.acc.alias = false;
                frame.acc.buffer = 0;
            }
        }
        let (first, extras) = wiring.reads.split_at(1);
        start.x = self.slots.read(&first[0], !train);
        start.extras = extras;
        frame.given = start.x;
        start
    }

    /// The end of a sequence's entry: its output becomes the current one (a train-only head's
    /// does not), is kept where later readers find it, and the tensors it read last are freed.
    const fn entry_done(
        &mut self,
        frame: &mut Frame,
        entry: &'static Entry,
        done: Done,
    ) -> Result<(), Fault> {
        let wiring = &entry.wiring;
        let done = if wiring.reads.is_empty() {
            done
        } else {
            done.detached(&frame.given)
        };
        let acc = if wiring.has(Wiring::TRAIN_ONLY) {
            beside(&frame.acc, &done)
        } else {
            then(&frame.acc, &done)
        };
        frame.acc = match acc {
            Ok(acc) => acc,
            Err(what) => return Err(total_overflow(what, entry.node.kind(), segment(entry))),
        };
        let mut k = 0;
        while k < wiring.keeps.len() {
            let keep = &wiring.keeps[k];
            let index = self.slots.base + keep.slot as usize;
            if keep.output.is_empty() || self.is_first_output(keep.output) {
                let value = current!(frame);
                if self.slots.bind(index, &value) {
                    // The slot holds the buffer now: the sequence only reads it.
                    frame.acc.alias = false;
                    frame.acc.slot = index as u16;
                }
            } else {
                match self.further_output(keep.output) {
                    Some(i) => {
                        let value = self.extra_values[i];
                        if self.slots.bind(index, &value) {
                            self.extra_values[i].owned = false;
                        }
                    }
                    None => {
                        let problem = Problem::NoOutput {
                            name: keep.output,
                            outputs: self.finished,
                        };
                        let mut fault = crate::error::Fault::new(entry.node.kind(), problem);
                        if let Some(segment) = segment(entry) {
                            fault.enter(segment);
                        }
                        return Err(fault);
                    }
                }
            }
            k += 1;
        }
        self.release_all(frame, wiring.frees);
        Ok(())
    }

    /// Releases the slots `frees` of the innermost declaration; a buffer whose last holder that
    /// was becomes the sequence's own when its current output is a view of it (else it is freed).
    pub(crate) const fn release_all(&mut self, frame: &mut Frame, frees: &[u16]) {
        let mut f = 0;
        while f < frees.len() {
            let index = self.slots.base + frees[f] as usize;
            self.release_slot(frame, index);
            f += 1;
        }
    }

    /// Releases one slot (see [`Walk::release_all`]).
    const fn release_slot(&mut self, frame: &mut Frame, index: usize) {
        let owner = self.slots.table[index].owner;
        let freed = self.slots.release(index);
        if freed > 0 {
            if frame.acc.slot == owner {
                frame.acc.slot = NO_SLOT;
            } else {
                self.live -= freed;
            }
        }
    }

    /// Whether `name` is the first output of the declaration that finished last.
    const fn is_first_output(&self, name: &str) -> bool {
        !self.finished.is_empty() && same(self.finished[0].name, name)
    }

    /// The index among the further outputs of the declaration that finished last of `name`.
    const fn further_output(&self, name: &str) -> Option<usize> {
        let mut i = 1;
        while i < self.finished.len() {
            if same(self.finished[i].name, name) {
                if i - 1 < self.extra_count {
                    return Some(i - 1);
                }
                return None;
            }
            i += 1;
        }
        None
    }

    /// A repeat: `count` copies in a row, named from `start`. Every copy gets the tensors the
    /// repeat's entry reads beside its input (a decoder layer's encoder output).
    const fn step_repeat<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        inner: &'n Node,
        count: u64,
        start: u64,
        child: Option<Done>,
    ) -> Result<Option<Start<'n>>, Fault> {
        if let Some(done) = child {
            frame.acc = match then(&frame.acc, &done) {
                Ok(acc) => acc,
                Err(what) => {
                    let copy = Some(Segment::Index(start + frame.step));
                    return Err(total_overflow(what, inner.kind(), copy));
                }
            };
            frame.step += 1;
        }
        if frame.step < count {
            if frame.share_after_first && frame.step == 1 {
                // The copies after the first apply the first one's weights.
                self.shared += 1;
            }
            Ok(Some(Start {
                extras: frame.extras,
                ..Start::new(
                    inner,
                    current!(frame),
                    Some(Segment::Index(start + frame.step)),
                )
            }))
        } else {
            Ok(None)
        }
    }

    /// Binds a declaration's inputs to its slots: the first is the frame's input, the others
    /// the tensors its entry reads beside it (slots of the caller).
    pub(crate) const fn enter_graph(
        &mut self,
        frame: &mut Frame,
        graph: &Graph,
    ) -> Result<(), Problem> {
        let base = self.slots.top;
        let end = base + graph.slots as usize;
        if end > MAX_SLOTS {
            return Err(Problem::Other(
                "more named tensors alive at once than nncost's limit of 512",
            ));
        }
        let given = 1 + frame.extras.len();
        if graph.inputs.len() != given || (graph.slots as usize) < given {
            return Err(Problem::Inputs {
                expected: graph.inputs,
                given,
            });
        }
        let mut i = base;
        while i < end {
            self.slots.table[i] = Slot::EMPTY;
            i += 1;
        }
        if self.slots.bind(base, &frame.input) {
            frame.acc.alias = false;
            frame.acc.slot = base as u16;
        }
        // Read at the caller's base, before the declaration's own begins.
        let mut e = 0;
        while e < frame.extras.len() {
            let value = self.slots.read(&frame.extras[e], frame.take);
            self.slots.bind(base + 1 + e, &value);
            e += 1;
        }
        frame.caller_base = self.slots.base;
        self.slots.base = base;
        self.slots.top = end;
        Ok(())
    }

    /// Hands a declaration's outputs to its caller (the first as its result, the others as
    /// further outputs) and gives its slots back.
    pub(crate) const fn leave_graph(
        &mut self,
        frame: &mut Frame,
        graph: &'static Graph,
    ) -> Result<(), Problem> {
        let base = self.slots.base;
        let top = self.slots.top;
        // Everything but the outputs is released (a buffer the last entry's output views
        // becomes the declaration's own).
        let mut i = base;
        while i < top {
            if !is_output(graph.outputs, (i - base) as u16) {
                self.release_slot(frame, i);
            }
            i += 1;
        }
        let count = graph.outputs.len();
        if count > crate::tensors::MAX_TENSORS {
            return Err(Problem::Other("a declaration has at most 8 outputs"));
        }
        let mut first = Value::EMPTY;
        let mut o = 0;
        while o < count {
            let output = &graph.outputs[o];
            let value = if output.slot == Output::LAST {
                current!(frame)
            } else {
                self.slots.hand_over(base + output.slot as usize, base)
            };
            if o == 0 {
                first = value;
            } else {
                self.extra_names[o - 1] = output.name;
                self.extra_values[o - 1] = value;
            }
            o += 1;
        }
        self.extra_count = if count > 0 { count - 1 } else { 0 };
        self.finished = graph.outputs;
        frame.acc.out.shape = first.shape;
        frame.acc.bytes = first.bytes;
        frame.acc.buffer = first.buffer;
        frame.acc.slot = first.slot;
        frame.acc.channels_first = first.channels_first;
        // A tensor no slot holds and nobody owns is the declaration's (borrowed) input.
        frame.acc.alias = !first.owned && first.slot == NO_SLOT;
        self.slots.base = frame.caller_base;
        self.slots.top = base;
        Ok(())
    }
}

/// Whether slot `slot` holds one of `outputs`.
const fn is_output(outputs: &[Output], slot: u16) -> bool {
    let mut i = 0;
    while i < outputs.len() {
        if outputs[i].slot == slot {
            return true;
        }
        i += 1;
    }
    false
}
