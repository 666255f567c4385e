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

/// Whether the output of `layer` is channels first, given whether its input was (a macro rather
/// than a function: const evaluation pays for every call, and this runs once per layer).
macro_rules! channels_first_after {
    ($layer:expr, $input_channels_first:expr, $output:expr) => {
        match $layer {
            $crate::layer::Layer::Conv(_)
            | $crate::layer::Layer::Pool(_)
            | $crate::layer::Layer::AdaptivePool(_)
            | $crate::layer::Layer::Upsample(_)
            | $crate::layer::Layer::BatchNorm(_)
            | $crate::layer::Layer::GroupNorm(_) => $output.rank() >= 3,
            // Elementwise, or a residual's shortcut (the identity, or a 1×1 convolution of
            // what is channels first already): the layout passes through.
            $crate::layer::Layer::Activation(_)
            | $crate::layer::Layer::Dropout(_)
            | $crate::layer::Layer::Scale(_)
            | $crate::layer::Layer::Projection(_) => $input_channels_first,
            _ => false,
        }
    };
}
pub(crate) use channels_first_after;

/// Refuses a `Linear` whose `in_features` is left to inference, given a channels-first input
/// with spatial dims: it would act on the last spatial dim alone.
pub(crate) const fn check(layer: &Layer, input: &Shape) -> Result<(), Problem> {
    match layer {
        Layer::Linear(linear) if linear.in_features == 0 && input.rank() >= 3 => {
            Err(Problem::NotFlattened {
                input: *input,
                in_features: 0,
            })
        }
        _ => Ok(()),
    }
}
