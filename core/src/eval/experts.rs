//! Evaluation of a mixture of experts ([`Node::Mixture`]): each part runs in a walk of its own
//! (so the main walk keeps no state for it), and the figures are combined as [`Mixture`]
//! describes: parameters for all `E` experts, work for the `k` a token runs through.

use crate::cost::Cost;
use crate::error::{Fault, Problem};
use crate::eval::liveness::{Done, Value, NO_SLOT};
use crate::eval::rows::{Outcome, Row};
use crate::eval::walk::Walk;
use crate::layers::ActivationKind;
use crate::memory::{tensor_bytes, Memory, ACCESS_BYTES, ACTIVATION_BYTES, PEAK_BYTES};
use crate::memory::{KV_CACHE_BYTES, WEIGHT_BYTES};
use crate::mixture::{Mixture, ROUTING_FLOPS_PER_SCORE};
use crate::node::{Entry, Node};
use crate::shape::Shape;

/// The kind faults of the mixture itself are reported under.
const KIND: &str = "MoE";

/// `value` (a `u128` sum of products of `u64`s) as a `u64`, or an overflow of `what`.
macro_rules! fit {
    ($value:expr, $what:expr) => {
        match $value {
            Some(v) if v <= u64::MAX as u128 => v as u64,
            _ => return Err(Fault::new(KIND, Problem::Overflow { what: $what })),
        }
    };
}

/// `Σ a·b` over pairs of `u64`s, in `u128`, `None` on overflow.
const fn dot<const N: usize>(pairs: [(u64, u64); N]) -> Option<u128> {
    let mut sum: u128 = 0;
    let mut i = 0;
    while i < N {
        sum = match sum.checked_add(pairs[i].0 as u128 * pairs[i].1 as u128) {
            Some(v) => v,
            None => return None,
        };
        i += 1;
    }
    Some(sum)
}

/// Bytes a part had alive at its peak beyond the mixture's input (which it borrows).
const fn extra(part: &Outcome, x: &Value) -> u64 {
    part.memory.peak.saturating_sub(x.bytes)
}

/// A part's outcome, or nothing for a part that is not there.
const ABSENT: Outcome = Outcome {
    shape: Shape::SCALAR,
    cost: Cost::ZERO,
    memory: Memory::ZERO,
};

impl Walk<'_> {
    /// Runs `mixture` on `x`: the router, the expert (once, counted `k` and `E` times), the shared
    /// expert and its gate, each in a walk of its own whose rows follow this walk's (at one level
    /// deeper when the mixture has a row of its own, `named`).
    pub(super) const fn mixture(
        &mut self,
        mixture: &'static Mixture,
        x: &Value,
        named: bool,
    ) -> Result<Done, Fault> {
        let depth = if named { self.depth + 1 } else { self.depth };
        let (e, k) = (mixture.experts, mixture.top_k);
        let router = match self.part(&mixture.router, x, depth, 1) {
            Ok((out, _)) => out,
            Err(fault) => return Err(fault),
        };
        if router.shape.last() != e {
            return Err(Fault::new(
                KIND,
                Problem::Mismatch {
                    what: "experts",
                    declared: e,
                    actual_what: "router scores per token (one per expert)",
                    actual: router.shape.last(),
                },
            ));
        }
        let (expert, expert_row) = match self.part(&mixture.expert, x, depth, k) {
            Ok(part) => part,
            Err(fault) => return Err(fault),
        };
        let shape = expert.shape;
        let shared = match &mixture.shared {
            Some(entry) => match self.part(entry, x, depth, 1) {
                Ok((out, _)) => out,
                Err(fault) => return Err(fault),
            },
            None => ABSENT,
        };
        if mixture.shared.is_some() && !shared.shape.same_as(&shape) {
            return Err(Fault::new(
                KIND,
                Problem::Merge {
                    what: "experts + shared expert",
                    left: shape,
                    right: shared.shape,
                },
            ));
        }
        let gate = match &mixture.shared_gate {
            Some(entry) => match self.part(entry, x, depth, 1) {
                Ok((out, _)) => out,
                Err(fault) => return Err(fault),
            },
            None => ABSENT,
        };
        if mixture.shared_gate.is_some() {
            let per_token = shape.with_dim(shape.rank().saturating_sub(1), 1);
            if mixture.shared.is_none() || !gate.shape.same_as(&per_token) {
                return Err(Fault::new(
                    KIND,
                    Problem::Merge {
                        what: "shared expert gate (one value per token) × shared expert",
                        left: gate.shape,
                        right: shared.shape,
                    },
                ));
            }
        }

        // Tokens, output elements and bytes.
        let width = x.shape.last();
        let tokens = match x.shape.numel() {
            Some(n) if width > 0 => n / width,
            Some(_) => 0,
            None => {
                return Err(Fault::new(
                    KIND,
                    Problem::Overflow {
                        what: "tensor size",
                    },
                ))
            }
        };
        let elements = match shape.numel() {
            Some(n) => n,
            None => {
                return Err(Fault::new(
                    KIND,
                    Problem::Overflow {
                        what: "tensor size",
                    },
                ))
            }
        };
        let out_bytes = match tensor_bytes(&shape, self.precision) {
            Ok(b) => b,
            Err(problem) => return Err(Fault::new(KIND, problem)),
        };
        let (has_shared, has_gate) = (
            mixture.shared.is_some() as u64,
            mixture.shared_gate.is_some() as u64,
        );

        // Cost: all E experts' weights, k experts' work.
        let (r, x1, s, g) = (router.cost, expert.cost, shared.cost, gate.cost);
        let params = fit!(
            dot([(r.params, 1), (x1.params, e), (s.params, 1), (g.params, 1)]),
            "parameters"
        );
        let active = fit!(
            dot([
                (r.active_params(), 1),
                (x1.active_params(), k),
                (s.active_params(), 1),
                (g.active_params(), 1)
            ]),
            "parameters"
        );
        let buffers = fit!(
            dot([
                (r.buffers, 1),
                (x1.buffers, e),
                (s.buffers, 1),
                (g.buffers, 1)
            ]),
            "buffers"
        );
        let integer_buffers = fit!(
            dot([
                (r.integer_buffers, 1),
                (x1.integer_buffers, e),
                (s.integer_buffers, 1),
                (g.integer_buffers, 1)
            ]),
            "integer buffers"
        );
        let frozen_params = fit!(
            dot([
                (r.frozen_params, 1),
                (x1.frozen_params, e),
                (s.frozen_params, 1),
                (g.frozen_params, 1)
            ]),
            "parameters"
        );
        let macs = fit!(
            dot([(r.macs, 1), (x1.macs, k), (s.macs, 1), (g.macs, 1)]),
            "MACs"
        );
        let sigmoid = ActivationKind::Sigmoid.flops_per_element();
        let scores = fit!(Some(tokens as u128 * e as u128), "FLOPs");
        // k weights applied and k − 1 adds per element; the shared expert's add; the gate's
        // multiply.
        let combine = fit!(
            Some(2 * k as u128 - 1 + (has_shared + has_gate) as u128),
            "FLOPs"
        );
        let flops = fit!(
            dot([
                (r.flops, 1),
                (x1.flops, k),
                (s.flops, 1),
                (g.flops, 1),
                (scores, ROUTING_FLOPS_PER_SCORE),
                (elements, combine),
                (tokens, sigmoid * has_gate),
            ]),
            "FLOPs"
        );
        let cost = Cost {
            params,
            buffers,
            integer_buffers,
            macs,
            flops,
            frozen_params,
            inactive_params: params - active,
        };

        // Memory: the weights of every expert held; the weights of min(E, k · tokens) read.
        let (rm, xm, sm, gm) = (router.memory, expert.memory, shared.memory, gate.memory);
        let read = if (k as u128) * (tokens as u128) < e as u128 {
            k * tokens
        } else {
            e
        };
        let weights = fit!(
            dot([
                (rm.weights, 1),
                (xm.weights, e),
                (sm.weights, 1),
                (gm.weights, 1)
            ]),
            WEIGHT_BYTES
        );
        let router_bytes = match tensor_bytes(&router.shape, self.precision) {
            Ok(b) => b,
            Err(problem) => return Err(Fault::new(KIND, problem)),
        };
        let gate_bytes = match tensor_bytes(&gate.shape, self.precision) {
            Ok(b) if has_gate == 1 => b,
            Ok(_) => 0,
            Err(problem) => return Err(Fault::new(KIND, problem)),
        };
        let expert_moves = xm.access.saturating_sub(xm.weights);
        let expert_access = fit!(dot([(expert_moves, k), (xm.weights, read)]), ACCESS_BYTES);
        let activations = fit!(
            dot([
                (rm.activations, 1),
                (xm.activations, k),
                (sm.activations, 1),
                (gm.activations, 1),
                (out_bytes, 1)
            ]),
            ACTIVATION_BYTES
        );
        // The combine reads the router's scores, k expert outputs, the shared one and its gate,
        // and writes the output.
        let access = fit!(
            dot([
                (rm.access, 1),
                (expert_access, 1),
                (sm.access, 1),
                (gm.access, 1),
                (router_bytes, 1),
                (out_bytes, k + has_shared + 1),
                (gate_bytes, 1),
            ]),
            ACCESS_BYTES
        );
        let kv_cache = fit!(
            dot([
                (rm.kv_cache, 1),
                (xm.kv_cache, 1),
                (sm.kv_cache, 1),
                (gm.kv_cache, 1)
            ]),
            KV_CACHE_BYTES
        );
        // Alive: what was alive before (the input included), the output, and the largest part
        // over it (the router's scores kept while the experts run).
        let mut after_router = extra(&expert, x);
        if extra(&shared, x) > after_router {
            after_router = extra(&shared, x);
        }
        if extra(&gate, x) > after_router {
            after_router = extra(&gate, x);
        }
        let mut most = router_bytes as u128 + after_router as u128;
        if (extra(&router, x) as u128) > most {
            most = extra(&router, x) as u128;
        }
        let peak = fit!(
            Some(self.live as u128 + out_bytes as u128 + most),
            PEAK_BYTES
        );
        self.live = if x.owned {
            (self.live + out_bytes) - x.buffer
        } else {
            self.live + out_bytes
        };

        // The experts' row shows all E experts' parameters and k experts' work; the rows inside
        // it are one expert's.
        if expert_row < self.rows.len() && !mixture.expert.name.is_empty() {
            let row = &mut self.rows[expert_row];
            row.cost = Cost {
                params: fit!(dot([(x1.params, e)]), "parameters"),
                buffers: fit!(dot([(x1.buffers, e)]), "buffers"),
                macs: fit!(dot([(x1.macs, k)]), "MACs"),
                flops: fit!(dot([(x1.flops, k)]), "FLOPs"),
                // Each at most E · params, which fits: the mixture's parameters did.
                integer_buffers: x1.integer_buffers * e,
                frozen_params: x1.frozen_params * e,
                inactive_params: (x1.params * e) - (x1.active_params() * k),
            };
            row.memory = Memory {
                weights: fit!(dot([(xm.weights, e)]), WEIGHT_BYTES),
                activations: fit!(dot([(xm.activations, k)]), ACTIVATION_BYTES),
                access: expert_access,
                ..xm
            };
        }
        Ok(Done {
            out: Outcome {
                shape,
                cost,
                memory: Memory {
                    weights,
                    activations,
                    peak,
                    access,
                    kv_cache,
                },
            },
            bytes: out_bytes,
            buffer: out_bytes,
            alias: false,
            slot: NO_SLOT,
            // An MoE works on token vectors: not a channels-first feature map.
            channels_first: false,
        })
    }

    /// Runs `entry` on `x` (borrowed) in a walk of its own at `depth`, writing its rows after
    /// this walk's; returns its outcome and the index of its first row. With a device, its
    /// kernels join this walk's roofline `runs` times (the expert: once per expert a token
    /// picks, `k`; its weights read `k` times, which is what a decode step of one token reads).
    const fn part(
        &mut self,
        entry: &'static Entry,
        x: &Value,
        depth: u16,
        runs: u64,
    ) -> Result<(Outcome, usize), Fault> {
        let first = self.count;
        let root = Node::Seq(core::slice::from_ref(entry));
        let rows: &mut [Row] = if first < self.rows.len() {
            self.rows.split_at_mut(first).1
        } else {
            &mut []
        };
        let mut walk = Walk::new(rows).precision(self.precision).phase(self.phase);
        if let Some(device) = &self.device {
            walk = walk.device(device);
        }
        walk.depth = depth;
        walk.input_borrowed = true;
        // The mixture's modes (training-only, frozen, shared) hold for its parts.
        walk.train = self.train;
        walk.frozen = self.frozen;
        walk.shared = self.shared;
        let out = walk.eval(&root, x.shape);
        self.count += walk.rows();
        if self.device.is_some() {
            self.roofline.add_runs(&walk.roofline, runs);
        }
        match out {
            Ok(out) => Ok((out, first)),
            Err(fault) => Err(fault),
        }
    }
}
