//! The memory model: bytes of weights, of activations, at the peak, and moved per layer.
//!
//! Execution model (the crate docs of `nncost` state it for users):
//! - A layer is one kernel. It reads its input once, its weights once and writes its output once
//!   (compulsory traffic, as with a perfect cache); its internal temporaries are not counted.
//! - Activations are not computed in place: every layer that computes something writes a new
//!   tensor. Views (`Flatten`, `Dropout` and `StochasticDepth` in inference, `Identity`, an
//!   identity `Projection`, the shape operations `Reshape`, `Unflatten`, `Transpose`, `Permute`,
//!   `Select`, `Narrow`) alias their input: no tensor, no traffic. A `Parameter` or `Buffer`
//!   yielded as an operand is weights or state, not an activation: it writes nothing either, and
//!   its reader (a merge, an `IndexSelect`) reads it at the activation dtype.
//! - A merge (a residual add, the end of `concat`/`add`/`mul`/`matmul` branches) is one operation
//!   after the last branch: it reads every branch's output and writes one tensor.
//! - Layers run in declaration order; a tensor is freed right after its last reader has run. A
//!   residual's input stays alive until the shortcut has read it, branch outputs until their merge.
//! - BatchNorm with running statistics reads one folded scale and shift per channel (`2·C`
//!   values, in the weight dtype), matching its FLOPs rule; an `Embedding` reads one table row per
//!   index, a `PositionEmbedding` the rows of the positions present, a tied `Linear` the shared
//!   matrix.

use crate::cost::Cost;
use crate::dtype::Precision;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// Memory figures in bytes, at a model's [`Precision`].
///
/// For a whole model ([`crate::Report::memory`]):
/// - `weights`: parameters × the weight dtype's size (`WEIGHT_BYTES`);
/// - `activations`: the input plus every tensor the layers and merges write, all allocated at
///   once (`ACTIVATION_BYTES`);
/// - `peak`: `weights` plus the most activation bytes alive at once (`PEAK_MEMORY_BYTES`);
/// - `access`: bytes read and written, summed over layers and merges (`MEMORY_ACCESS_BYTES`).
///
/// For a summary row (a layer, a merge or a group of them): `weights` are the row's parameters
/// (rounded up to a whole byte per layer), `activations` the tensors it writes, `peak` the most
/// activation bytes alive at once while it runs (including tensors held for later layers; no
/// weights), `access` its traffic.
///
/// ```
/// use nncost_core::Memory;
/// let m = Memory { access: 1_000, ..Memory::ZERO };
/// assert_eq!(m.arithmetic_intensity(4_000), 4.0);
/// assert_eq!(Memory::ZERO.arithmetic_intensity(10), 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Memory {
    /// Bytes of parameters in the weight dtype.
    pub weights: u64,
    /// Bytes of activation tensors written (for a model, plus its input).
    pub activations: u64,
    /// The most bytes alive at once (for a model, weights included).
    pub peak: u64,
    /// Bytes read and written (inputs + weights + outputs).
    pub access: u64,
}

impl Memory {
    /// Nothing: the memory of an identity.
    pub const ZERO: Memory = Memory {
        weights: 0,
        activations: 0,
        peak: 0,
        access: 0,
    };

    /// FLOPs per byte of traffic (`flops / access`), or 0 when nothing is moved.
    pub const fn arithmetic_intensity(&self, flops: u64) -> f64 {
        if self.access == 0 {
            0.0
        } else {
            flops as f64 / self.access as f64
        }
    }

    /// The sum of two nodes run one after the other: bytes add up, the peak is the larger one.
    /// `Err` names the figure that overflowed `u64`.
    ///
    /// ```
    /// use nncost_core::Memory;
    /// let a = Memory { weights: 1, activations: 2, peak: 5, access: 3 };
    /// let b = Memory { weights: 10, activations: 20, peak: 4, access: 30 };
    /// assert_eq!(a.then(&b), Ok(Memory { weights: 11, activations: 22, peak: 5, access: 33 }));
    /// ```
    pub const fn then(&self, next: &Memory) -> Result<Memory, &'static str> {
        // Sums in u128 (they cannot overflow it), checked against u64: cheaper in const eval
        // than `checked_add`, which matters for 10,000-layer models.
        let max = u64::MAX as u128;
        let weights = self.weights as u128 + next.weights as u128;
        if weights > max {
            return Err(WEIGHT_BYTES);
        }
        let activations = self.activations as u128 + next.activations as u128;
        if activations > max {
            return Err(ACTIVATION_BYTES);
        }
        let access = self.access as u128 + next.access as u128;
        if access > max {
            return Err(ACCESS_BYTES);
        }
        Ok(Memory {
            weights: weights as u64,
            activations: activations as u64,
            peak: if next.peak > self.peak {
                next.peak
            } else {
                self.peak
            },
            access: access as u64,
        })
    }
}

/// Figure names in overflow messages.
pub(crate) const WEIGHT_BYTES: &str = "weight bytes";
pub(crate) const ACTIVATION_BYTES: &str = "activation bytes";
pub(crate) const PEAK_BYTES: &str = "peak memory bytes";
pub(crate) const ACCESS_BYTES: &str = "memory access bytes";

/// `n` values of `dtype`, as bytes, or an overflow of `what`.
pub(crate) const fn bytes_of(
    dtype: crate::dtype::DType,
    n: u64,
    what: &'static str,
) -> Result<u64, Problem> {
    match dtype.bytes(n) {
        Some(b) => Ok(b),
        None => Err(Problem::Overflow { what }),
    }
}

/// Bytes of `shape` in the activation dtype.
pub(crate) const fn tensor_bytes(shape: &Shape, precision: Precision) -> Result<u64, Problem> {
    match elements(shape) {
        Some(n) => bytes_of(precision.activations, n, ACTIVATION_BYTES),
        None => Err(Problem::Overflow {
            what: "tensor size",
        }),
    }
}

/// Number of elements of `shape`, or `None` past `u64`: [`Shape::numel`] with fewer calls and
/// no loop, which is what rustc's const-eval step limit counts (and this runs once per layer).
pub(crate) const fn elements(shape: &Shape) -> Option<u64> {
    let max = u64::MAX as u128;
    let rank = shape.rank();
    if rank > 4 {
        return shape.numel();
    }
    // Multiplied left to right as `Shape::numel`, each partial product checked against u64, so
    // no product overflows u128.
    let mut n: u128 = 1;
    if rank > 0 {
        n = shape.dim(0) as u128;
    }
    if rank > 1 {
        n *= shape.dim(1) as u128;
    }
    if rank > 2 {
        if n > max {
            return None;
        }
        n *= shape.dim(2) as u128;
    }
    if rank > 3 {
        if n > max {
            return None;
        }
        n *= shape.dim(3) as u128;
    }
    if n > max {
        None
    } else {
        Some(n as u64)
    }
}

/// How many weight values `layer` reads when it runs on `input` giving `output` at `cost`, or
/// `None` for a view (its output is (part of) its input's buffer: nothing read or written).
pub(crate) const fn weights_read(
    layer: &Layer,
    input: &Shape,
    output: &Shape,
    cost: &Cost,
) -> Result<Option<u64>, Problem> {
    Ok(Some(match layer {
        Layer::Flatten(_)
        | Layer::Dropout(_)
        | Layer::Reshape(_)
        | Layer::Unflatten(_)
        | Layer::Transpose(_)
        | Layer::Permute(_)
        | Layer::Select(_)
        | Layer::Narrow(_)
        | Layer::Identity
        | Layer::StochasticDepth(_)
        // A parameter or buffer yielded as an operand is not an activation: nothing written.
        | Layer::Parameter(_)
        | Layer::Buffer(_) => return Ok(None),
        Layer::Custom(custom) if custom.view => return Ok(None),
        Layer::Custom(custom) => match custom.weights_read {
            Some(values) => values,
            None => cost.params,
        },
        // Four fixed buffers fold into a scale and a shift per channel: 2·C values read.
        Layer::FrozenBatchNorm2d(_) => cost.buffers / 2,
        Layer::Projection(p) if p.stride == 1 && p.out_channels == input.dim(1) => return Ok(None),
        // Inference folds running statistics (and the affine weights) into a scale and a shift.
        Layer::BatchNorm(spec) if spec.track_running_stats => cost.buffers,
        // One table row per index: as many values as the output has.
        Layer::Embedding(_) => match output.numel() {
            Some(n) => n,
            None => {
                return Err(Problem::Overflow {
                    what: "tensor size",
                })
            }
        },
        // The rows for the positions present: one sample's worth.
        Layer::PositionEmbedding(_) => match input.numel_from(1) {
            Some(n) => n,
            None => {
                return Err(Problem::Overflow {
                    what: "tensor size",
                })
            }
        },
        // The shared matrix (counted as another layer's parameters) and its own bias.
        Layer::TiedLinear(t) => match t.in_features.checked_mul(t.out_features) {
            Some(n) => match n.checked_add(cost.params) {
                Some(n) => n,
                None => return Err(Problem::Overflow { what: ACCESS_BYTES }),
            },
            None => return Err(Problem::Overflow { what: ACCESS_BYTES }),
        },
        _ => cost.params,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_agrees_with_numel() {
        let big = 1 << 40;
        for dims in [
            &[][..],
            &[7],
            &[2, 3],
            &[2, 3, 4],
            &[1, 64, 112, 112],
            &[2, 3, 4, 5, 6],
            &[big, big],
            &[big, big, 0],
            &[0, big, big],
            &[big, 1 << 20, 1 << 3],
            &[big, 1 << 23, 2, 1],
            &[u64::MAX, 1, 1, 1],
            &[1, 1, 1, u64::MAX],
        ] {
            let shape = Shape::new(dims);
            assert_eq!(elements(&shape), shape.numel(), "{dims:?}");
        }
    }
}
