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
    /// Runs one layer on `x` (and `other`, its second input if any): its output is allocated
    /// (unless it is a view), then `x` is freed if this was its last use. Traffic: inputs read,
    /// weights read, output written.
    pub(crate) const fn layer(
        &mut self,
        layer: &Layer,
        x: &Value,
        other: Option<&Value>,
    ) -> Result<Done, Problem> {
        if x.channels_first {
            if let Err(problem) = crate::layout::check(layer, &x.shape) {
                return Err(problem);
            }
        }
        let (shape, mut cost) = match other {
            None => match layer.apply(&x.shape) {
                Ok(v) => v,
                Err(problem) => return Err(problem),
            },
            Some(other) => match layer.apply_pair(&x.shape, &other.shape) {
                Ok(v) => v,
                Err(problem) => return Err(problem),
            },
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
        let read = match weights_read(layer, &x.shape, &shape, &cost) {
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
        let other_bytes = match other {
            Some(other) => other.bytes,
            None => 0,
        };
        // Each sum is below 4 · 2⁶⁴, so u128 cannot overflow; checked against u64 at the end.
        let access = x.bytes as u128 + other_bytes as u128 + weights_read as u128 + bytes as u128;
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
        if let Some(other) = other {
            if other.owned {
                self.live -= other.buffer;
            }
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
