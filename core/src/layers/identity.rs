//! Layers that are the identity in inference: `Identity` and torchvision's `StochasticDepth`.
//!
//! Both are views: their output is their input's buffer, so they write and move nothing (see
//! the execution model at [`crate::Memory`]). `Dropout`, the identity in inference too, is with
//! the reshapes in `reshape.rs`.

use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// The identity, as `torch.nn.Identity`: the input passed on unchanged.
///
/// Usable as a value (`Identity`) and as a type in `network!`. Its main use is a branch that
/// keeps the input, e.g. the `input` of a squeeze-and-excitation's `scale * input`:
/// `mul { input: Identity, scale: { .. } }`.
///
/// - Output: the input's shape. Params, buffers, MACs, FLOPs: 0.
/// - Memory: a view (it writes nothing; its output is its input's buffer).
///
/// ```
/// use nncost_core::{layers::Identity, Cost, Shape};
/// let x = Shape::new(&[1, 64, 56, 56]);
/// assert_eq!(Identity.into_layer().apply(&x), Ok((x, Cost::ZERO)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity;

impl Identity {
    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Identity
    }
}

impl crate::model::ModelCost for Identity {
    const NODE: crate::node::Node = crate::node::Node::Layer(Identity.into_layer());
}

/// How [`StochasticDepth`] drops in training (no effect on inference's cost).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StochasticDepthMode {
    /// `"row"`: drops whole samples of the batch (torchvision's EfficientNet, ConvNeXt).
    Row,
    /// `"batch"`: drops the whole batch.
    Batch,
}

/// torchvision's `StochasticDepth(p, mode)` (`torchvision.ops`), "drop path": in training it
/// zeroes a residual branch with probability `p`; in inference it is the identity.
///
/// - Output: the input's shape. Params, buffers, MACs, FLOPs: 0 (costs are for inference).
/// - Memory: a view, as [`Identity`].
///
/// ```
/// use nncost_core::{layers::StochasticDepth, Cost, Shape};
/// let x = Shape::new(&[1, 96, 56, 56]);
/// let drop_path = StochasticDepth::row(0.1).into_layer();
/// assert_eq!(drop_path.apply(&x), Ok((x, Cost::ZERO)));
/// assert_eq!(drop_path.kind(), "StochasticDepth");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct StochasticDepth {
    /// The probability of dropping the branch in training.
    pub p: f64,
    /// Whether samples or the whole batch are dropped.
    pub mode: StochasticDepthMode,
}

impl StochasticDepth {
    /// `StochasticDepth(p, "row")`; panics unless `0 <= p <= 1`, as torchvision does.
    #[track_caller]
    pub const fn row(p: f64) -> StochasticDepth {
        StochasticDepth::new(p, StochasticDepthMode::Row)
    }

    /// `StochasticDepth(p, "batch")`; panics unless `0 <= p <= 1`.
    #[track_caller]
    pub const fn batch(p: f64) -> StochasticDepth {
        StochasticDepth::new(p, StochasticDepthMode::Batch)
    }

    /// `StochasticDepth(p, mode)`; panics unless `0 <= p <= 1`.
    #[track_caller]
    pub const fn new(p: f64, mode: StochasticDepthMode) -> StochasticDepth {
        if !(p >= 0.0 && p <= 1.0) {
            panic!("StochasticDepth: p must be between 0 and 1");
        }
        StochasticDepth { p, mode }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::StochasticDepth(self)
    }

    /// Output shape (the input's) and cost (zero).
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        Ok((*input, Cost::ZERO))
    }
}
