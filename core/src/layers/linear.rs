//! `Linear`: a fully connected layer on the last dimension.

use super::{numel, require_positive, Ratio};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// A fully connected layer on the last dimension, any leading dims, as `torch.nn.Linear`.
///
/// Params: `in·out` (+ `out` bias). MACs: `leading elements · in · out`.
/// FLOPs: `2 · MACs`, plus one add per output element for the bias.
///
/// ```
/// use nncost_core::{layers::Linear, Shape};
/// let fc = Linear::new(1000).into_layer();
/// let (out, cost) = fc.apply(&Shape::new(&[1, 512])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 1000]));
/// assert_eq!((cost.params, cost.macs), (513_000, 512_000));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Linear {
    /// Declared input features; 0 means "inferred from the input".
    pub in_features: u64,
    /// Output features (unused when `out_ratio` is set).
    pub out_features: u64,
    /// Output features as a ratio of the input's (`Linear::ratio`), or `None` for `out_features`.
    pub out_ratio: Option<Ratio>,
    /// Whether the layer adds a learnable bias.
    pub bias: bool,
}

impl Linear {
    /// A layer with `out_features` outputs; input features are inferred.
    #[track_caller]
    pub const fn new(out_features: u64) -> Linear {
        require_positive("Linear", "out_features", out_features);
        Linear {
            in_features: 0,
            out_features,
            out_ratio: None,
            bias: true,
        }
    }

    /// A layer with `in_features · numerator / denominator` outputs (rounded down, as Python's
    /// `//`): a width relative to the input's, e.g. a transformer MLP's `Linear(dim, 4 * dim)` is
    /// `Linear::ratio(4, 1)`, and `Linear::ratio(1, 1)` keeps the width.
    ///
    /// ```
    /// use nncost_core::{layers::Linear, Shape};
    /// let (out, cost) = Linear::ratio(4, 1).into_layer().apply(&Shape::new(&[1, 49, 96])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 49, 384]));
    /// assert_eq!(cost.params, 96 * 384 + 384);
    /// ```
    #[track_caller]
    pub const fn ratio(numerator: u64, denominator: u64) -> Linear {
        let mut linear = Linear::new(1);
        linear.out_ratio = Some(Ratio::new(numerator, denominator));
        linear
    }

    /// Declares the input features (as PyTorch does); the input must then have them.
    #[track_caller]
    pub const fn in_features(mut self, in_features: u64) -> Linear {
        require_positive("Linear", "in_features", in_features);
        self.in_features = in_features;
        self
    }

    /// Whether the layer adds a learnable bias (default `true`).
    pub const fn bias(mut self, bias: bool) -> Linear {
        self.bias = bias;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Linear(self)
    }

    /// Output shape and cost for `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() < 2 {
            return Err(Problem::Rank {
                expected: "input with features last [N, .., F]",
                got: *input,
            });
        }
        let features = input.last();
        if self.in_features != 0 && self.in_features != features {
            let per_sample = tri!(numel(input)).checked_div(input.dim(0));
            if input.rank() > 2 && matches!(per_sample, Some(n) if n == self.in_features) {
                return Err(Problem::NotFlattened {
                    input: *input,
                    in_features: self.in_features,
                });
            }
            return Err(Problem::Declared {
                setting: "in_features",
                declared: self.in_features,
                actual_what: "features",
                actual: features,
            });
        }
        let out_features = match self.out_ratio {
            Some(ratio) => tri!(ratio.of(features)),
            None => self.out_features,
        };
        let out = input.with_dim(input.rank() - 1, out_features);
        let out_numel = tri!(numel(&out));
        let weights = checked!(checked_mul, features, out_features, "parameters");
        let macs = checked!(checked_mul, out_numel, features, "MACs");
        let flops = checked!(checked_mul, macs, 2, "FLOPs");
        let (params, flops) = if self.bias {
            (
                checked!(checked_add, weights, out_features, "parameters"),
                checked!(checked_add, flops, out_numel, "FLOPs"),
            )
        } else {
            (weights, flops)
        };
        Ok((
            out,
            Cost {
                params,
                buffers: 0,
                integer_buffers: 0,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}
