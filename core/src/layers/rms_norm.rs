//! `RMSNorm`: root-mean-square normalisation over the trailing dims.

use super::norm::{normalized_size, trailing_dims};
use super::numel;
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// FLOPs per element of an RMSNorm: 1 multiply and 1 add for the mean of squares, 1 multiply by
/// the reciprocal root; an affine weight adds 1. Per-row work (the root) is not counted. (As
/// [`STATISTICS_FLOPS_PER_ELEMENT`](super::STATISTICS_FLOPS_PER_ELEMENT) without the mean.)
///
/// ```
/// use nncost_core::{layers::{RMSNorm, RMS_FLOPS_PER_ELEMENT}, Shape};
/// let norm = RMSNorm::new(8).elementwise_affine(false).into_layer();
/// assert_eq!(norm.apply(&Shape::new(&[2, 8])).unwrap().1.flops, RMS_FLOPS_PER_ELEMENT * 16);
/// ```
pub const RMS_FLOPS_PER_ELEMENT: u64 = 3;

/// Root-mean-square normalisation over the trailing dims, as
/// `torch.nn.RMSNorm(normalized_shape)` (LLaMA's, T5's norm).
///
/// [`RMSNorm::new(d)`](RMSNorm::new) normalises over the last dim, which must be `d`;
/// [`RMSNorm::over(&[..])`](RMSNorm::over) over several trailing dims.
///
/// - Shape: unchanged.
/// - Params: `Π normalized_shape` (the weight) when `elementwise_affine` (default on); no bias.
/// - MACs: 0. FLOPs: [`RMS_FLOPS_PER_ELEMENT`] per element, `+1` with the weight.
///
/// ```
/// use nncost_core::{layers::RMSNorm, Shape};
/// let (out, cost) = RMSNorm::new(4096).into_layer().apply(&Shape::new(&[1, 16, 4096])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 16, 4096]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (4096, 0, 4 * 16 * 4096));
/// assert!(RMSNorm::new(512).into_layer().apply(&Shape::new(&[1, 16, 4096])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct RMSNorm {
    /// The normalised trailing dims, in order; entries from `len` on are unused.
    pub normalized_shape: [u64; MAX_RANK],
    /// How many trailing dims are normalised.
    pub len: usize,
    /// A learnable elementwise weight.
    pub elementwise_affine: bool,
}

impl RMSNorm {
    /// Normalisation over the last dim, whose size must be `normalized_dim`.
    #[track_caller]
    pub const fn new(normalized_dim: u64) -> RMSNorm {
        RMSNorm::over(&[normalized_dim])
    }

    /// Normalisation over the trailing dims `normalized_shape`, which the input's last dims must
    /// equal.
    #[track_caller]
    pub const fn over(normalized_shape: &[u64]) -> RMSNorm {
        let (dims, len) = trailing_dims("RMSNorm", normalized_shape);
        RMSNorm {
            normalized_shape: dims,
            len,
            elementwise_affine: true,
        }
    }

    /// Whether the layer has a learnable elementwise weight (default `true`).
    pub const fn elementwise_affine(mut self, elementwise_affine: bool) -> RMSNorm {
        self.elementwise_affine = elementwise_affine;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::RMSNorm(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let size = tri!(normalized_size(&self.normalized_shape, self.len, input));
        let n = tri!(numel(input));
        let per_element = RMS_FLOPS_PER_ELEMENT + self.elementwise_affine as u64;
        Ok((
            *input,
            Cost {
                params: if self.elementwise_affine { size } else { 0 },
                flops: checked!(checked_mul, n, per_element, "FLOPs"),
                ..Cost::ZERO
            },
        ))
    }
}
