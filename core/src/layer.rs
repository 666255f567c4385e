//! [`Layer`]: one layer of any kind, as the evaluator sees it.

use crate::cost::Cost;
use crate::error::Problem;
use crate::layers::{Activation, ConvSpec, Linear};
use crate::shape::Shape;

/// One layer, built by a builder's `.into_layer()`.
///
/// ```
/// use nncost_core::{layers::Linear, Shape};
/// let layer = Linear::new(10).into_layer();
/// assert_eq!(layer.kind(), "Linear");
/// assert_eq!(layer.apply(&Shape::new(&[1, 4])).unwrap().1.params, 50);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Layer {
    /// `Conv1d/2d/3d`, `ConvTranspose1d/2d/3d`.
    Conv(ConvSpec),
    /// `Linear`.
    Linear(Linear),
    /// Elementwise activations (`ReLU`, `GELU`, `Softmax`, ...).
    Activation(Activation),
}

impl Layer {
    /// The PyTorch class name (`"Conv2d"`), shown in summaries and errors.
    pub const fn kind(&self) -> &'static str {
        match self {
            Layer::Conv(spec) => spec.kind(),
            Layer::Linear(_) => "Linear",
            Layer::Activation(act) => act.kind.name(),
        }
    }

    /// Output shape and cost of the layer applied to `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        match self {
            Layer::Conv(spec) => spec.apply(input),
            Layer::Linear(linear) => linear.apply(input),
            Layer::Activation(act) => act.apply(input),
        }
    }

    /// The layer itself (so `.into_layer()` works on a `Layer` value too).
    pub const fn into_layer(self) -> Layer {
        self
    }
}
