//! Normalisation layers: `BatchNorm1d/2d/3d`, `GroupNorm`, `LayerNorm`.
//!
//! None of them has MACs. Their FLOPs follow two rules:
//! - **folded** (BatchNorm with running statistics, i.e. inference): the statistics and the
//!   affine weights fold into one scale and one shift per channel, so `2` FLOPs per element.
//! - **statistics** (GroupNorm, LayerNorm, and BatchNorm without running statistics, which
//!   normalises with the batch's own statistics even in `eval()`): `5` FLOPs per element
//!   (1 add for the mean; 1 multiply and 1 add for the mean of squares; 1 subtract and 1
//!   multiply by the reciprocal standard deviation), plus 1 per element for an affine weight and
//!   1 for an affine bias. Per-group work (the variance, the square root) is not counted.
//!
//! For comparison, fvcore counts 4 per element for LayerNorm/GroupNorm (+1 with affine) and
//! 1 (+1 with affine) for BatchNorm in inference; torchvision and `FlopCounterMode` count 0.

use super::{numel, require_divisible, require_positive, spatial_rank_text};
use crate::cost::Cost;
use crate::error::Problem;
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// FLOPs per element of a normalisation that computes its own statistics (GroupNorm, LayerNorm,
/// BatchNorm without running statistics): 1 add for the mean; 1 multiply and 1 add for the mean
/// of squares; 1 subtract and 1 multiply by the reciprocal standard deviation. An affine weight
/// adds 1 per element, an affine bias 1 more. Per-group work (variance, square root) is not
/// counted. (fvcore counts 4, +1 with affine; torchvision and `FlopCounterMode` count 0.)
pub const STATISTICS_FLOPS_PER_ELEMENT: u64 = 5;

/// FLOPs per element of a BatchNorm in inference with running statistics: mean, variance,
/// weight and bias fold into one scale and one shift per channel (1 multiply, 1 add).
/// (fvcore counts 1, +1 with affine.)
pub const FOLDED_FLOPS_PER_ELEMENT: u64 = 2;

/// `elements · (5 + affine_terms)`, checked.
const fn statistics_flops(elements: u64, affine_terms: u64) -> Result<u64, Problem> {
    Ok(checked!(
        checked_mul,
        elements,
        STATISTICS_FLOPS_PER_ELEMENT + affine_terms,
        "FLOPs"
    ))
}

/// The `normalized_shape` of a `LayerNorm` or `RMSNorm` (`layer`), checked (1 to 6 dims, each at
/// least 1), as a fixed array and its length.
#[track_caller]
pub(super) const fn trailing_dims(
    layer: &str,
    normalized_shape: &[u64],
) -> ([u64; MAX_RANK], usize) {
    let len = normalized_shape.len();
    if len == 0 || len > MAX_RANK {
        let mut m = Message::new();
        m.push_str(layer);
        m.push_str(": normalized_shape must have 1 to 6 dims, got ");
        m.push_u64(len as u64);
        panic!("{}", m.as_str());
    }
    let mut dims = [0; MAX_RANK];
    let mut i = 0;
    while i < len {
        require_positive(layer, "every normalized_shape entry", normalized_shape[i]);
        dims[i] = normalized_shape[i];
        i += 1;
    }
    (dims, len)
}

/// `Π normalized_shape` (the first `len` entries), once `input`'s trailing dims match it.
pub(super) const fn normalized_size(
    normalized_shape: &[u64; MAX_RANK],
    len: usize,
    input: &Shape,
) -> Result<u64, Problem> {
    let rank = input.rank();
    if rank < len {
        return Err(Problem::Rank {
            expected: "input with at least as many dims as normalized_shape",
            got: *input,
        });
    }
    let mut size: u64 = 1;
    let mut i = 0;
    while i < len {
        let declared = normalized_shape[i];
        let actual = input.dim(rank - len + i);
        if declared != actual {
            return Err(Problem::Mismatch {
                what: "normalized_shape",
                declared,
                actual_what: "in the matching trailing dim",
                actual,
            });
        }
        size = checked!(checked_mul, size, declared, "parameters");
        i += 1;
    }
    Ok(size)
}

/// A batch normalisation of any rank: what the `BatchNorm*` builders produce.
///
/// - Shape: unchanged. `BatchNorm1d` takes `[N, C]` or `[N, C, L]`, `BatchNorm2d` `[N, C, H, W]`,
///   `BatchNorm3d` `[N, C, D, H, W]`; `C` is `num_features` (inferred, or declared and checked).
/// - Params: `2·C` (weight and bias) if `affine`, else 0.
/// - Buffers: `2·C` (running mean and variance) if `track_running_stats`, else 0; the integer
///   `num_batches_tracked` is not counted.
/// - MACs: 0.
/// - FLOPs: with running statistics, `2` per element (inference folds everything into one scale
///   and one shift); without them PyTorch normalises with batch statistics even in `eval()`, so
///   `5` per element, `+2` if `affine` ([`STATISTICS_FLOPS_PER_ELEMENT`]). See
///   [`FOLDED_FLOPS_PER_ELEMENT`].
///
/// ```
/// use nncost_core::{layers::BatchNorm2d, Shape};
/// let (out, cost) = BatchNorm2d::new().into_layer().apply(&Shape::new(&[1, 64, 56, 56])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 56, 56]));
/// assert_eq!((cost.params, cost.buffers, cost.macs, cost.flops), (128, 128, 0, 2 * 64 * 56 * 56));
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
    "```\nuse nncost_core::{layers::BatchNorm2d, Shape};\nlet (_, cost) = BatchNorm2d::new().num_features(16).into_layer().apply(&Shape::new(&[1, 16, 4, 4])).unwrap();\nassert_eq!((cost.params, cost.buffers), (32, 32));\nassert!(BatchNorm2d::new().num_features(8).into_layer().apply(&Shape::new(&[1, 16, 4, 4])).is_err());\n```"
);
batch_norm_builder!(
    /// Batch normalisation over `[N, C, D, H, W]`, as `torch.nn.BatchNorm3d`.
    BatchNorm3d, 3,
    "```\nuse nncost_core::{layers::BatchNorm3d, Shape};\nlet (_, cost) = BatchNorm3d::new().track_running_stats(false).into_layer().apply(&Shape::new(&[1, 2, 2, 2, 2])).unwrap();\nassert_eq!((cost.params, cost.buffers, cost.flops), (4, 0, 16 * 7));\n```"
);

/// Group normalisation over `[N, C, *]`, as `torch.nn.GroupNorm(num_groups, num_channels)`.
///
/// - Shape: unchanged; `C` (inferred, or declared with `.num_channels(..)` and checked) must be
///   divisible by `num_groups`.
/// - Params: `2·C` if `affine` (default), else 0. Buffers: 0. MACs: 0.
/// - FLOPs: `5` per element, `+2` if `affine` ([`STATISTICS_FLOPS_PER_ELEMENT`]).
///
/// ```
/// use nncost_core::{layers::GroupNorm, Shape};
/// let (out, cost) = GroupNorm::new(32).into_layer().apply(&Shape::new(&[1, 64, 8, 8])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 8, 8]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (128, 0, 7 * 64 * 8 * 8));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct GroupNorm {
    /// The number of channel groups.
    pub num_groups: u64,
    /// Declared channels; 0 means "inferred from the input".
    pub num_channels: u64,
    /// Learnable per-channel weight and bias.
    pub affine: bool,
}

impl GroupNorm {
    /// Normalisation over `num_groups` groups of channels; the channels are inferred.
    #[track_caller]
    pub const fn new(num_groups: u64) -> GroupNorm {
        require_positive("GroupNorm", "num_groups", num_groups);
        GroupNorm {
            num_groups,
            num_channels: 0,
            affine: true,
        }
    }

    /// Declares the channels (as PyTorch does); they must be divisible by `num_groups`, and the
    /// input must then have them.
    #[track_caller]
    pub const fn num_channels(mut self, num_channels: u64) -> GroupNorm {
        require_positive("GroupNorm", "num_channels", num_channels);
        require_divisible(
            "GroupNorm",
            "num_channels",
            num_channels,
            "num_groups",
            self.num_groups,
        );
        self.num_channels = num_channels;
        self
    }

    /// Whether the layer has a learnable per-channel weight and bias (default `true`).
    pub const fn affine(mut self, affine: bool) -> GroupNorm {
        self.affine = affine;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::GroupNorm(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() < 2 {
            return Err(Problem::Rank {
                expected: "input [N, C, ..]",
                got: *input,
            });
        }
        let c = input.dim(1);
        if self.num_channels != 0 && self.num_channels != c {
            return Err(Problem::Mismatch {
                what: "num_channels",
                declared: self.num_channels,
                actual_what: "channels",
                actual: c,
            });
        }
        if !c.is_multiple_of(self.num_groups) {
            return Err(Problem::NotDivisible {
                what: "channels",
                value: c,
                by_what: "num_groups",
                by: self.num_groups,
            });
        }
        let n = tri!(numel(input));
        let params = if self.affine {
            checked!(checked_mul, c, 2, "parameters")
        } else {
            0
        };
        let flops = tri!(statistics_flops(n, if self.affine { 2 } else { 0 }));
        Ok((
            *input,
            Cost {
                params,
                buffers: 0,
                macs: 0,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

/// Layer normalisation over the trailing dims, as `torch.nn.LayerNorm(normalized_shape)`.
///
/// [`LayerNorm::new(d)`](LayerNorm::new) normalises over the last dim, which must be `d`;
/// [`LayerNorm::over(&[..])`](LayerNorm::over) over several trailing dims, which must equal the
/// given `normalized_shape`.
///
/// - Shape: unchanged.
/// - Params: `Π normalized_shape` each for the weight and the bias when `elementwise_affine`
///   (default on; `.bias(false)` drops the bias). Buffers: 0. MACs: 0.
/// - FLOPs: `5` per element, `+1` for the weight and `+1` for the bias
///   ([`STATISTICS_FLOPS_PER_ELEMENT`]).
///
/// ```
/// use nncost_core::{layers::LayerNorm, Shape};
/// let (out, cost) = LayerNorm::new(768).into_layer().apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!((cost.params, cost.flops), (1536, 7 * 128 * 768));
/// let (_, cost) = LayerNorm::over(&[4, 5]).bias(false).into_layer().apply(&Shape::new(&[2, 3, 4, 5])).unwrap();
/// assert_eq!(cost.params, 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct LayerNorm {
    /// The normalised trailing dims, in order; entries from `len` on are unused.
    pub normalized_shape: [u64; MAX_RANK],
    /// How many trailing dims are normalised.
    pub len: usize,
    /// Learnable elementwise weight (and bias, see `bias`).
    pub elementwise_affine: bool,
    /// Whether the affine part has a bias.
    pub bias: bool,
}

impl LayerNorm {
    /// Normalisation over the last dim, whose size must be `normalized_dim`.
    #[track_caller]
    pub const fn new(normalized_dim: u64) -> LayerNorm {
        LayerNorm::over(&[normalized_dim])
    }

    /// Normalisation over the trailing dims `normalized_shape` (as PyTorch's list form), which the
    /// input's last dims must equal.
    #[track_caller]
    pub const fn over(normalized_shape: &[u64]) -> LayerNorm {
        let (dims, len) = trailing_dims("LayerNorm", normalized_shape);
        LayerNorm {
            normalized_shape: dims,
            len,
            elementwise_affine: true,
            bias: true,
        }
    }

    /// Whether the layer has a learnable elementwise weight and bias (default `true`).
    pub const fn elementwise_affine(mut self, elementwise_affine: bool) -> LayerNorm {
        self.elementwise_affine = elementwise_affine;
        self
    }

    /// Whether the affine part has a bias (default `true`; no effect without `elementwise_affine`).
    pub const fn bias(mut self, bias: bool) -> LayerNorm {
        self.bias = bias;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::LayerNorm(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let size = tri!(normalized_size(&self.normalized_shape, self.len, input));
        let terms = if self.elementwise_affine {
            if self.bias {
                2
            } else {
                1
            }
        } else {
            0
        };
        let n = tri!(numel(input));
        Ok((
            *input,
            Cost {
                params: checked!(checked_mul, size, terms, "parameters"),
                buffers: 0,
                macs: 0,
                flops: tri!(statistics_flops(n, terms)),
                ..Cost::ZERO
            },
        ))
    }
}
