//! Batch normalisation: `BatchNorm1d/2d/3d` and torchvision's `FrozenBatchNorm2d`.
//!
//! In inference a batch norm with running statistics folds them (and its affine weights) into
//! one scale and one shift per channel: `2` FLOPs per element ([`FOLDED_FLOPS_PER_ELEMENT`]),
//! and it reads those `2·C` values. See [`super::norm`] for the normalisations that compute their
//! own statistics.

use super::norm::{statistics_flops, FOLDED_FLOPS_PER_ELEMENT};
use super::{numel, require_positive, spatial_rank_text};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// A batch normalisation of any rank: what the `BatchNorm*` builders produce.
///
/// - Shape: unchanged. `BatchNorm1d` takes `[N, C]` or `[N, C, L]`, `BatchNorm2d` `[N, C, H, W]`,
///   `BatchNorm3d` `[N, C, D, H, W]`; `C` is `num_features` (inferred, or declared and checked).
/// - Params: `2·C` (weight and bias) if `affine`, else 0.
/// - Buffers: `2·C` floating-point (running mean and variance) and 1 integer
///   (`num_batches_tracked`, in `integer_buffers`) if `track_running_stats`, else none.
/// - MACs: 0.
/// - FLOPs: with running statistics, `2` per element (inference folds everything into one scale
///   and one shift); without them PyTorch normalises with batch statistics even in `eval()`, so
///   `5` per element, `+2` if `affine` ([`STATISTICS_FLOPS_PER_ELEMENT`](super::STATISTICS_FLOPS_PER_ELEMENT)). See
///   [`FOLDED_FLOPS_PER_ELEMENT`].
///
/// ```
/// use nncost_core::{layers::BatchNorm2d, Shape};
/// let (out, cost) = BatchNorm2d::new().into_layer().apply(&Shape::new(&[1, 64, 56, 56])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 56, 56]));
/// assert_eq!((cost.params, cost.buffers, cost.macs, cost.flops), (128, 128, 0, 2 * 64 * 56 * 56));
/// assert_eq!(cost.integer_buffers, 1); // num_batches_tracked
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchNormSpec {
    /// Spatial rank: 1, 2 or 3.
    pub rank: usize,
    /// Declared channels; 0 means "inferred from the input".
    pub num_features: u64,
    /// Learnable per-channel weight and bias.
    pub affine: bool,
    /// Running mean and variance buffers (and their use in inference).
    pub track_running_stats: bool,
}

impl BatchNormSpec {
    /// `"BatchNorm1d"`, `"BatchNorm2d"` or `"BatchNorm3d"`.
    pub const fn kind(&self) -> &'static str {
        match self.rank {
            1 => "BatchNorm1d",
            2 => "BatchNorm2d",
            _ => "BatchNorm3d",
        }
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let ok = if self.rank == 1 {
            input.rank() == 2 || input.rank() == 3
        } else {
            input.rank() == self.rank + 2
        };
        if !ok {
            return Err(Problem::Rank {
                expected: if self.rank == 1 {
                    "2-D input [N, C] or 3-D input [N, C, L]"
                } else {
                    spatial_rank_text(self.rank)
                },
                got: *input,
            });
        }
        let c = input.dim(1);
        if self.num_features != 0 && self.num_features != c {
            return Err(Problem::Declared {
                setting: "num_features",
                declared: self.num_features,
                actual_what: "channels",
                actual: c,
            });
        }
        let n = tri!(numel(input));
        let two_c = checked!(checked_mul, c, 2, "parameters");
        let flops = if self.track_running_stats {
            checked!(checked_mul, n, FOLDED_FLOPS_PER_ELEMENT, "FLOPs")
        } else {
            tri!(statistics_flops(n, if self.affine { 2 } else { 0 }))
        };
        Ok((
            *input,
            Cost {
                params: if self.affine { two_c } else { 0 },
                buffers: if self.track_running_stats { two_c } else { 0 },
                integer_buffers: if self.track_running_stats { 1 } else { 0 },
                macs: 0,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

macro_rules! batch_norm_builder {
    ($(#[$doc:meta])* $name:ident, $rank:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Defaults as in PyTorch: `affine` and `track_running_stats` on. Cost rules: see
        /// [`BatchNormSpec`].
        #[doc = $example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[must_use = "a layer builder does nothing until it is used in a network"]
        pub struct $name(BatchNormSpec);

        impl $name {
            /// A batch norm whose channels (`num_features`) are inferred from the input's dim 1.
            pub const fn new() -> Self {
                $name(BatchNormSpec {
                    rank: $rank,
                    num_features: 0,
                    affine: true,
                    track_running_stats: true,
                })
            }

            /// Declares the channels (as PyTorch does); the input must then have them.
            #[track_caller]
            pub const fn num_features(mut self, num_features: u64) -> Self {
                require_positive(stringify!($name), "num_features", num_features);
                self.0.num_features = num_features;
                self
            }

            /// Whether the layer has a learnable per-channel weight and bias (default `true`).
            pub const fn affine(mut self, affine: bool) -> Self {
                self.0.affine = affine;
                self
            }

            /// Whether the layer keeps running mean and variance buffers (default `true`).
            pub const fn track_running_stats(mut self, track_running_stats: bool) -> Self {
                self.0.track_running_stats = track_running_stats;
                self
            }

            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::BatchNorm(self.0)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        /// The type stands for `new()` (channels inferred), so a block can take its norm layer
        /// as a type parameter, as torchvision's `norm_layer`: `Norm: ModelCost = BatchNorm2d`.
        impl crate::model::ModelCost for $name {
            const NODE: crate::node::Node = crate::node::Node::Layer($name::new().into_layer());
        }
    };
}

batch_norm_builder!(
    /// Batch normalisation over `[N, C]` or `[N, C, L]`, as `torch.nn.BatchNorm1d`.
    BatchNorm1d, 1,
    "```\nuse nncost_core::{layers::BatchNorm1d, Shape};\nlet (_, cost) = BatchNorm1d::new().affine(false).into_layer().apply(&Shape::new(&[8, 32])).unwrap();\nassert_eq!((cost.params, cost.buffers, cost.flops), (0, 64, 512));\n```"
);
batch_norm_builder!(
    /// Batch normalisation over `[N, C, H, W]`, as `torch.nn.BatchNorm2d`.
    BatchNorm2d, 2,
    "```\nuse nncost_core::{layers::BatchNorm2d, Shape};\nlet (_, cost) = BatchNorm2d::new().num_features(16).into_layer().apply(&Shape::new(&[1, 16, 4, 4])).unwrap();\nassert_eq!((cost.params, cost.buffers), (32, 32));\nassert!(BatchNorm2d::new().num_features(8).into_layer().apply(&Shape::new(&[1, 16, 4, 4])).is_err());\n// As a type (a block's `Norm` parameter), it is `BatchNorm2d::new()`:\nassert!(matches!(<BatchNorm2d as nncost_core::ModelCost>::NODE, nncost_core::Node::Layer(_)));\n```"
);
batch_norm_builder!(
    /// Batch normalisation over `[N, C, D, H, W]`, as `torch.nn.BatchNorm3d`.
    BatchNorm3d, 3,
    "```\nuse nncost_core::{layers::BatchNorm3d, Shape};\nlet (_, cost) = BatchNorm3d::new().track_running_stats(false).into_layer().apply(&Shape::new(&[1, 2, 2, 2, 2])).unwrap();\nassert_eq!((cost.params, cost.buffers, cost.flops), (4, 0, 16 * 7));\n```"
);

/// torchvision's `FrozenBatchNorm2d(num_features)` (`torchvision.ops.misc`), the default norm of
/// its detection backbones: a BatchNorm2d whose weight, bias, running mean and running variance
/// are all fixed buffers.
///
/// - Shape: unchanged, `[N, C, H, W]`; `C` inferred, or declared with `.num_features(..)` and
///   checked.
/// - Params: 0. Buffers: `4·C` floating-point (weight, bias, running mean and variance); no
///   integer `num_batches_tracked`.
/// - MACs: 0. FLOPs: `2` per element, as any BatchNorm in inference (one folded scale and shift,
///   [`FOLDED_FLOPS_PER_ELEMENT`]); it reads those `2·C` values.
///
/// ```
/// use nncost_core::{layers::FrozenBatchNorm2d, Shape};
/// let (out, cost) = FrozenBatchNorm2d::new().into_layer().apply(&Shape::new(&[1, 64, 8, 8])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 8, 8]));
/// assert_eq!((cost.params, cost.buffers, cost.integer_buffers), (0, 4 * 64, 0));
/// assert_eq!(cost.flops, 2 * 64 * 8 * 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct FrozenBatchNorm2d {
    /// Declared channels; 0 means "inferred from the input".
    pub num_features: u64,
}

impl FrozenBatchNorm2d {
    /// A frozen batch norm whose channels are inferred from the input's dim 1.
    pub const fn new() -> FrozenBatchNorm2d {
        FrozenBatchNorm2d { num_features: 0 }
    }

    /// Declares the channels (torchvision's `num_features`); the input must then have them.
    #[track_caller]
    pub const fn num_features(mut self, num_features: u64) -> FrozenBatchNorm2d {
        require_positive("FrozenBatchNorm2d", "num_features", num_features);
        self.num_features = num_features;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::FrozenBatchNorm2d(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 4 {
            return Err(Problem::Rank {
                expected: spatial_rank_text(2),
                got: *input,
            });
        }
        let c = input.dim(1);
        if self.num_features != 0 && self.num_features != c {
            return Err(Problem::Declared {
                setting: "num_features",
                declared: self.num_features,
                actual_what: "channels",
                actual: c,
            });
        }
        let n = tri!(numel(input));
        Ok((
            *input,
            Cost {
                buffers: checked!(checked_mul, c, 4, "buffers"),
                flops: checked!(checked_mul, n, FOLDED_FLOPS_PER_ELEMENT, "FLOPs"),
                ..Cost::ZERO
            },
        ))
    }
}

impl Default for FrozenBatchNorm2d {
    fn default() -> Self {
        FrozenBatchNorm2d::new()
    }
}

/// The type stands for `new()` (channels inferred): `Bottleneck<FrozenBatchNorm2d, ..>` builds
/// a block with torchvision's `norm_layer=FrozenBatchNorm2d`.
///
/// ```
/// use nncost_core::{layers::FrozenBatchNorm2d, ModelCost, Node};
/// assert!(matches!(<FrozenBatchNorm2d as ModelCost>::NODE, Node::Layer(_)));
/// ```
impl crate::model::ModelCost for FrozenBatchNorm2d {
    const NODE: crate::node::Node = crate::node::Node::Layer(FrozenBatchNorm2d::new().into_layer());
}
