//! Which tensors are laid out channels first (`[N, C, L]`, `[N, C, H, W]`, `[N, C, D, H, W]`),
//! to catch a `Linear` applied to the last spatial dim of a feature map: a network whose layers
//! are listed out of order, or that lacks a `Flatten`, otherwise gives legal shapes and wrong
//! numbers.
//!
//! A tensor is channels first when a convolution, a pooling, a resampling or a normalization
//! over channels wrote it (or an elementwise layer passed such a tensor on); the model's input
//! and everything else are of unknown layout, and a `Linear` on them is never questioned. A
//! `Linear` on `[N, L, D]` after an embedding or attention, or on `[N, H, W, C]` after a
//! `Permute`, stays legal.

use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// Whether the output of `layer` is channels first, given whether its input was.
pub(crate) const fn channels_first_after(
    layer: &Layer,
    input_channels_first: bool,
    output: &Shape,
) -> bool {
    match layer {
        Layer::Conv(_)
        | Layer::Pool(_)
        | Layer::AdaptivePool(_)
        | Layer::Upsample(_)
        | Layer::BatchNorm(_)
        | Layer::GroupNorm(_) => output.rank() >= 3,
        // Elementwise, or a residual's shortcut (the identity, or a 1×1 convolution of
        // what is channels first already): the layout passes through.
        Layer::Activation(_) | Layer::Dropout(_) | Layer::Scale(_) | Layer::Projection(_) => {
            input_channels_first
        }
        _ => false,
    }
}

/// Refuses a `Linear` whose `in_features` is left to inference and whose input is channels
/// first with spatial dims: it would act on the last spatial dim alone.
pub(crate) const fn check(
    layer: &Layer,
    input: &Shape,
    input_channels_first: bool,
) -> Result<(), Problem> {
    match layer {
        Layer::Linear(linear)
            if linear.in_features == 0 && input_channels_first && input.rank() >= 3 =>
        {
            Err(Problem::NotFlattened {
                input: *input,
                in_features: 0,
            })
        }
        _ => Ok(()),
    }
}
