//! Merging: residual adds, parallel branches and joins of named tensors — the merged shape
//! (PyTorch's broadcasting for elementwise merges), the merge's own cost, and the merge
//! operation that reads every operand and writes one tensor.

use crate::cost::Cost;
use crate::error::{Fault, Problem, Segment};
use crate::eval::liveness::{then, Done, Value, NO_SLOT};
use crate::eval::rows::Outcome;
use crate::eval::walk::{segment, Frame, Start, Walk};
use crate::memory::{tensor_bytes, Memory, ACCESS_BYTES, PEAK_BYTES};
use crate::node::{Entry, Merge, Node, Read, Wiring};
use crate::operators::Operators;
use crate::shape::Shape;

impl Walk<'_> {
    /// `body(x) + shortcut(x)`. The body borrows the input; the shortcut gets it to keep or free,
    /// unless the body handed the input buffer back as its output (then the frame frees it at
    /// the add).
    pub(crate) const fn step_residual<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        body: &'n Node,
        shortcut: &'n Node,
        child: Option<Done>,
    ) -> Result<Option<Start<'n>>, Fault> {
        match (frame.step, child) {
            (0, _) => {
                frame.step = 1;
                Ok(Some(Start::new(body, frame.input(false), None)))
            }
            (1, Some(body)) => {
                frame.saved = body;
                frame.step = 2;
                let owned = frame.input.owned && !body.alias;
                Ok(Some(Start::new(shortcut, frame.input(owned), None)))
            }
            (_, Some(short)) => {
                let body = frame.saved;
                let what = "residual add";
                let (shape, own) = match pair(Merge::Add, what, &body.out.shape, &short.out.shape) {
                    Ok(merged) => merged,
                    Err(fault) => return Err(fault),
                };
                let reads = match body.bytes.checked_add(short.bytes) {
                    Some(v) => v,
                    None => return Err(overflow(Merge::Add, ACCESS_BYTES)),
                };
                let mut freed = 0;
                if body.fresh() {
                    freed += body.buffer;
                }
                if short.fresh() {
                    freed += short.buffer;
                }
                if frame.input.owned && (body.alias || short.alias) {
                    freed += frame.input.buffer;
                }
                let inputs = match then(&body, &short) {
                    Ok(both) => both.out,
                    Err(what) => return Err(overflow(Merge::Add, what)),
                };
                frame.acc = match self.merge(Merge::Add, shape, own, reads, freed, inputs) {
                    Ok(done) => done,
                    Err(fault) => return Err(fault),
                };
                frame.acc.channels_first = body.channels_first && short.channels_first;
                Ok(None)
            }
            (_, None) => Ok(None),
        }
    }

    /// Parallel branches on the same input, merged after the last: `branches` (entries, which
    /// may read named tensors instead of the input), or `copies` of one node (named `0`, `1`,
    /// ..). Every branch but the last borrows the input; the last gets it to keep or free,
    /// unless an earlier branch handed the input buffer back as its output. Branch outputs stay
    /// alive until the merge.
    pub(crate) const fn step_parallel<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        branches: &'static [Entry],
        copies: Option<(&'n Node, u64)>,
        merge: Merge,
        child: Option<Done>,
    ) -> Result<Option<Start<'n>>, Fault> {
        let count = match copies {
            Some((_, count)) => count,
            None => branches.len() as u64,
        };
        if let Some(done) = child {
            let index = (frame.step - 1) as usize;
            let entry = if copies.is_none() {
                Some(&branches[index])
            } else {
                None
            };
            if let Some(entry) = entry {
                // Tested here first: const evaluation pays for every call.
                if !entry.wiring.reuses.is_empty() {
                    if let Err(fault) = entry.check_reuse(&done.out.cost) {
                        return Err(fault);
                    }
                }
            }
            let done = match entry {
                Some(entry) if !entry.wiring.reads.is_empty() => done.detached(&frame.given),
                _ => done,
            };
            if frame.step == 1 {
                frame.acc = done;
            } else {
                let channels_first = frame.acc.channels_first && done.channels_first;
                let (shape, own) =
                    match pair(merge, merge.name(), &frame.acc.out.shape, &done.out.shape) {
                        Ok(merged) => merged,
                        Err(fault) => return Err(fault),
                    };
                frame.acc = match then(&frame.acc, &done) {
                    Ok(acc) => acc,
                    Err(what) => return Err(overflow(merge, what)),
                };
                frame.acc.out.shape = shape;
                frame.acc.channels_first = channels_first;
                frame.merge_cost = match frame.merge_cost.checked_add(&own) {
                    Ok(c) => c,
                    Err(what) => return Err(overflow(merge, what)),
                };
            }
            frame.reads = match frame.reads.checked_add(done.bytes) {
                Some(v) => v,
                None => return Err(overflow(merge, ACCESS_BYTES)),
            };
            let mut held = done.fresh();
            if let Some(entry) = entry {
                // A branch kept for later readers: its slot holds the buffer from now on.
                let mut k = 0;
                while k < entry.wiring.keeps.len() {
                    let index = self.slots.base + entry.wiring.keeps[k].slot as usize;
                    let value = done.value(&frame.input);
                    if self.slots.bind(index, &value) {
                        held = false;
                    }
                    k += 1;
                }
            }
            if done.alias {
                frame.kept = true;
            } else if held {
                // Alive together, so their sum fits (it is at most `live`).
                frame.held += done.buffer;
            }
            if let Some(entry) = entry {
                self.release_all(frame, entry.wiring.frees);
            }
        }
        let i = frame.step;
        if i < count {
            frame.step += 1;
            let last = i + 1 == count;
            return Ok(Some(match copies {
                Some((node, _)) => {
                    let owned = frame.input.owned && !frame.kept && last;
                    Start::new(node, frame.input(owned), Some(Segment::Index(i)))
                }
                None => self.branch_start(frame, &branches[i as usize], last),
            }));
        }
        if count >= 2 {
            let mut freed = frame.held;
            if frame.input.owned && frame.kept {
                freed += frame.input.buffer;
            }
            let shape = frame.acc.out.shape;
            let inputs = frame.acc.out;
            // A matrix product's output has no spatial layout.
            let channels_first = frame.acc.channels_first && !matches!(merge, Merge::MatMul);
            frame.acc = match self.merge(merge, shape, frame.merge_cost, frame.reads, freed, inputs)
            {
                Ok(done) => done,
                Err(fault) => return Err(fault),
            };
            frame.acc.channels_first = channels_first;
        }
        // No branch: the identity; one branch: its result as it is.
        Ok(None)
    }

    /// The start of a branch: the input, or the named tensors its wiring says.
    const fn branch_start<'n>(
        &mut self,
        frame: &mut Frame<'n>,
        entry: &'static Entry,
        last: bool,
    ) -> Start<'n> {
        let wiring = &entry.wiring;
        let mut start = Start {
            flags: wiring.flags,
            take: !wiring.has(Wiring::TRAIN_ONLY),
            ..Start::new(&entry.node, frame.input(false), segment(entry))
        };
        if wiring.reads.is_empty() {
            if last && !wiring.has(Wiring::TRAIN_ONLY) {
                start.x = frame.input(frame.input.owned && !frame.kept);
            }
            return start;
        }
        if last {
            // No branch takes the input over: the merge frees it.
            frame.kept = true;
        }
        let (first, extras) = wiring.reads.split_at(1);
        start.x = self.slots.read(&first[0], start.take);
        start.extras = extras;
        frame.given = start.x;
        start
    }

    /// A join of named tensors (`add(a, b)`, `concat(p3, p4, dim = 1)`): their merged shape,
    /// one merge operation reading all of them.
    pub(crate) const fn join(
        &mut self,
        merge: Merge,
        x: &Value,
        others: &'static [Read],
        take: bool,
    ) -> Result<Done, Fault> {
        let mut shape = x.shape;
        let mut channels_first = x.channels_first && !matches!(merge, Merge::MatMul);
        let mut own = Cost::ZERO;
        let mut reads = x.bytes;
        let mut freed = if x.owned { x.buffer } else { 0 };
        let mut i = 0;
        while i < others.len() {
            let other = self.slots.read(&others[i], take);
            let (merged, cost) = match pair(merge, merge.name(), &shape, &other.shape) {
                Ok(merged) => merged,
                Err(fault) => return Err(fault),
            };
            shape = merged;
            channels_first = channels_first && other.channels_first;
            own = match own.checked_add(&cost) {
                Ok(c) => c,
                Err(what) => return Err(overflow(merge, what)),
            };
            reads = match reads.checked_add(other.bytes) {
                Some(v) => v,
                None => return Err(overflow(merge, ACCESS_BYTES)),
            };
            if other.owned {
                freed += other.buffer;
            }
            i += 1;
        }
        if others.is_empty() {
            return Err(Fault::new(
                merge.name(),
                Problem::Other("a join merges at least two tensors"),
            ));
        }
        let out = match self.merge_op(merge, shape, own, reads, freed) {
            Ok(out) => out,
            Err(fault) => return Err(fault),
        };
        Ok(Done {
            out,
            bytes: out.memory.activations,
            buffer: out.memory.activations,
            alias: false,
            slot: NO_SLOT,
            channels_first,
        })
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
        let own = match self.merge_op(merge, shape, own, reads, freed) {
            Ok(out) => out,
            Err(fault) => return Err(fault),
        };
        let index = self.reserve();
        // 16-bit counters per depth, one per merge kind (see `_MERGE_KINDS_FIT`).
        let shift = 16 * merge.counter();
        let counts = &mut self.merges[self.depth as usize];
        let ordinal = ((*counts >> shift) & 0xffff) as u16 + 1;
        *counts = (*counts & !(0xffff << shift)) | ((ordinal as u128) << shift);
        let name = Segment::Merge {
            name: merge.name(),
            ordinal,
        };
        self.record(index, name, merge.kind(), false, own);
        if self.recording() {
            self.set_operators(index, Operators::of_merge(merge, &own.cost));
        }
        let cost = match inputs.cost.checked_add(&own.cost) {
            Ok(c) => c,
            Err(what) => return Err(overflow(merge, what)),
        };
        let memory = match inputs.memory.then(&own.memory) {
            Ok(m) => m,
            Err(what) => return Err(overflow(merge, what)),
        };
        let bytes = own.memory.activations;
        Ok(Done {
            out: Outcome {
                shape,
                cost,
                memory,
            },
            bytes,
            buffer: bytes,
            alias: false,
            slot: NO_SLOT,
            // Set by the caller, which knows the operands' layouts.
            channels_first: false,
        })
    }

    /// The merge's own outcome: `shape` written (allocated, with `reads` bytes read), then
    /// `freed` bytes of inputs freed. In a training-only head nothing runs: no bytes, no FLOPs.
    const fn merge_op(
        &mut self,
        merge: Merge,
        shape: Shape,
        own: Cost,
        reads: u64,
        freed: u64,
    ) -> Result<Outcome, Fault> {
        if self.train > 0 {
            return Ok(Outcome {
                shape,
                cost: own.train_only(),
                memory: Memory::ZERO,
            });
        }
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
        // The roofline, when the walk has a device (`roofline.rs`).
        if let Some(device) = &self.device {
            let kernel = device.kernel(&own, access, self.precision);
            self.roofline.add(kernel);
        }
        Ok(Outcome {
            shape,
            cost: own,
            memory: Memory {
                activations: bytes,
                peak: live,
                access,
                ..Memory::ZERO
            },
        })
    }
}

/// Checks two operands against each other: the merged shape and the merge's own cost.
pub(crate) const fn pair(
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
        Merge::Concat | Merge::ConcatDim(_) | Merge::MatMul => 0,
        Merge::Add | Merge::Mul | Merge::Sub | Merge::Div => match shape.numel() {
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

const fn overflow(merge: Merge, what: &'static str) -> Fault {
    Fault::new(merge.name(), Problem::Overflow { what })
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
    let dim = match merge {
        Merge::MatMul => {
            return match crate::layers::matmul(left, right) {
                Ok((shape, _)) => Ok(shape),
                Err(problem) => Err(problem),
            }
        }
        // PyTorch's broadcasting (see `Shape::broadcast`): each operand is read at its own size.
        Merge::Add | Merge::Mul | Merge::Sub | Merge::Div => {
            return match left.broadcast(right) {
                Ok(shape) => Ok(shape),
                Err(_) => Err(mismatch),
            }
        }
        Merge::Concat => 1,
        Merge::ConcatDim(dim) => dim,
    };
    if left.rank() != right.rank() || left.rank() < 1 {
        return Err(mismatch);
    }
    let rank = left.rank() as i64;
    if dim >= rank || dim < -rank {
        return Err(Problem::DimOutOfRange {
            what: "concat dim",
            dim,
            rank: left.rank(),
        });
    }
    let d = if dim < 0 { rank + dim } else { dim } as usize;
    if left.rank() < 2 && matches!(merge, Merge::Concat) {
        return Err(mismatch);
    }
    let mut i = 0;
    while i < left.rank() {
        if i != d && left.dim(i) != right.dim(i) {
            return Err(mismatch);
        }
        i += 1;
    }
    match left.dim(d).checked_add(right.dim(d)) {
        Some(c) => Ok(left.with_dim(d, c)),
        None => Err(Problem::Overflow { what: "channels" }),
    }
}

/// The per-depth merge counters pack one 16-bit count per merge kind into a `u64`.
const _MERGE_KINDS_FIT: () = assert!(
    Merge::Div.counter() <= 7,
    "one u128 holds eight merge counters"
);
