//! One layer run as one kernel: its output allocated (unless it is a view), its input freed
//! after its last use, and its traffic (inputs, weights, output) — under the walk's modes
//! (training-only, frozen, shared weights).

use crate::dtype::bytes_at;
use crate::error::Problem;
use crate::eval::liveness::{Done, Value};
use crate::eval::rows::Outcome;
use crate::eval::walk::Walk;
use crate::layer::Layer;
use crate::memory::WEIGHT_BYTES;
use crate::memory::{elements, weights_read, Memory, ACCESS_BYTES, ACTIVATION_BYTES, PEAK_BYTES};

impl Walk<'_> {
    /// Runs one layer on `x` (and `others`, its further inputs if any): its output is allocated
    /// (unless it is a view), then `x` is freed if this was its last use. Traffic: inputs read,
    /// weights read, output written.
    pub(crate) const fn layer(
        &mut self,
        layer: &Layer,
        x: &Value,
        others: &[Value],
    ) -> Result<Done, Problem> {
        if x.channels_first {
            if let Err(problem) = crate::layout::check(layer, &x.shape) {
                return Err(problem);
            }
        }
        // A second input (a cross-attention's source, an upsample's target) sets the layer's
        // sizes; separate keys and values make an attention's input the fused one they stand
        // for. The layer then runs in the walk's phase on `input`.
        let (resolved, input) = match (others, layer) {
            ([], _) => (*layer, x.shape),
            ([other], _) => match layer.with_second_input(&x.shape, &other.shape) {
                Ok(layer) => (layer, x.shape),
                Err(problem) => return Err(problem),
            },
            ([key, value], Layer::ScaledDotProductAttention(sdpa)) => {
                match sdpa.fused_input(&x.shape, &key.shape, &value.shape) {
                    Ok(fused) => (*layer, fused),
                    Err(problem) => return Err(problem),
                }
            }
            _ => return Err(Problem::Other(
                "a layer takes at most two inputs (a second one for a cross-attention's keys and values, or an upsample's target size); three, queries, keys and values, only ScaledDotProductAttention",
            )),
        };
        let layer = &resolved;
        let (shape, mut cost) = match layer.apply_in(&input, &self.phase) {
            Ok(v) => v,
            Err(problem) => return Err(problem),
        };
        let channels_first = crate::layout::channels_first_after!(layer, x.channels_first, shape);
        if self.frozen > 0 {
            cost = cost.frozen();
        }
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
        let read = match weights_read(layer, &input, &shape, &cost) {
            Ok(Some(read)) => read,
            Ok(None) => {
                if self.shared > 0 {
                    cost = cost.shared();
                }
                if self.train > 0 {
                    cost = cost.train_only();
                }
                // A parameter or buffer yields its own tensor (weights or state, no bytes of
                // activation): not a view of its input, which is released as after any reader.
                if self.train == 0 && matches!(layer, Layer::Parameter(_) | Layer::Buffer(_)) {
                    if x.owned {
                        self.live -= x.buffer;
                    }
                    return Ok(Done {
                        out: Outcome {
                            shape,
                            cost,
                            memory: Memory::ZERO,
                        },
                        bytes,
                        buffer: 0,
                        alias: false,
                        slot: crate::eval::liveness::NO_SLOT,
                        channels_first,
                    });
                }
                return Ok(Done {
                    out: Outcome {
                        shape,
                        cost,
                        memory: Memory::ZERO,
                    },
                    bytes,
                    buffer: x.buffer,
                    alias: true,
                    slot: crate::eval::liveness::NO_SLOT,
                    channels_first,
                });
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
        // Weights counted at another use are read here, not held again.
        let weights = if self.shared > 0 {
            cost = cost.shared();
            0
        } else {
            weights
        };
        if self.train > 0 {
            // Not run in inference: only its weights count.
            return Ok(Done {
                out: Outcome {
                    shape,
                    cost: cost.train_only(),
                    memory: Memory {
                        weights,
                        ..Memory::ZERO
                    },
                },
                bytes,
                buffer: x.buffer,
                alias: true,
                slot: crate::eval::liveness::NO_SLOT,
                channels_first,
            });
        }
        let mut other_bytes: u128 = 0;
        let mut i = 0;
        while i < others.len() {
            other_bytes += others[i].bytes as u128;
            i += 1;
        }
        // A decode step reads a cross-attention's projected source from its cache instead.
        if self.phase.is_decode() && matches!(layer, Layer::MultiheadAttention(_)) {
            other_bytes = 0;
        }
        // The KV cache: held after the step, read and written by it (see `crate::kv_cache`).
        let cache = match crate::kv_cache::cache_bytes(layer, &input, &self.phase, self.kv_bits) {
            Ok(cache) => cache,
            Err(problem) => return Err(problem),
        };
        // Each sum is below 5 · 2⁶⁴, so u128 cannot overflow; checked against u64 at the end.
        let access = x.bytes as u128
            + other_bytes
            + weights_read as u128
            + bytes as u128
            + cache.traffic as u128;
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
        let mut i = 0;
        while i < others.len() {
            if others[i].owned {
                self.live -= others[i].buffer;
            }
            i += 1;
        }
        // The roofline, when the walk has a device (`roofline.rs`).
        if let Some(device) = &self.device {
            let kernel = device.kernel(&cost, access as u64, self.precision);
            self.roofline.add(kernel);
        }
        Ok(Done {
            out: Outcome {
                shape,
                cost,
                memory: Memory {
                    weights,
                    activations: bytes,
                    peak: live as u64,
                    access: access as u64,
                    kv_cache: cache.held,
                },
            },
            bytes,
            buffer: bytes,
            alias: false,
            slot: crate::eval::liveness::NO_SLOT,
            channels_first,
        })
    }
}
