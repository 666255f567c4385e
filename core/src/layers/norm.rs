//! Normalisations that compute their own statistics: `GroupNorm`, `LayerNorm`, torchvision's
//! `LayerNorm2d` (and `RMSNorm`, in its own file); BatchNorm is in [`super::batch_norm`].
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

use super::{numel, require_divisible, require_positive};
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
pub(super) const fn statistics_flops(elements: u64, affine_terms: u64) -> Result<u64, Problem> {
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
                integer_buffers: 0,
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
        let size = match normalized_size(&self.normalized_shape, self.len, input) {
            Ok(size) => size,
            // `LayerNorm::new(C)` after a convolution: the channels are dim 1, not the last.
            Err(Problem::Mismatch { .. })
                if self.len == 1
                    && input.rank() == 4
                    && input.dim(1) == self.normalized_shape[0] =>
            {
                return Err(Problem::NormOverChannels {
                    channels: input.dim(1),
                    input: *input,
                })
            }
            Err(problem) => return Err(problem),
        };
        let terms = affine_terms(self.elementwise_affine, self.bias);
        let n = tri!(numel(input));
        Ok((
            *input,
            Cost {
                params: checked!(checked_mul, size, terms, "parameters"),
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops: tri!(statistics_flops(n, terms)),
                ..Cost::ZERO
            },
        ))
    }
}

/// How many per-element affine terms a norm adds: weight and bias (2), weight only (1), none.
const fn affine_terms(elementwise_affine: bool, bias: bool) -> u64 {
    match (elementwise_affine, bias) {
        (true, true) => 2,
        (true, false) => 1,
        (false, _) => 0,
    }
}

/// torchvision's `LayerNorm2d(num_channels)` (`torchvision.models.convnext`): a LayerNorm over
/// the channels of an `[N, C, H, W]` tensor at every position, as `permute(0, 2, 3, 1)`,
/// `LayerNorm(C)`, `permute(0, 3, 1, 2)` (ConvNeXt's stem, downsampling layers and head).
///
/// - Shape: unchanged; the input must be `[N, C, H, W]` with `C = num_channels`.
/// - Params: `C` each for the weight and the bias (`elementwise_affine`, default on;
///   `.bias(false)` drops the bias). Buffers: 0. MACs: 0.
/// - FLOPs: as [`LayerNorm`]: `5` per element, `+1` for the weight and `+1` for the bias
///   ([`STATISTICS_FLOPS_PER_ELEMENT`]). The permutes are views: no traffic of their own.
///
/// ```
/// use nncost_core::{layers::LayerNorm2d, Shape};
/// let (out, cost) = LayerNorm2d::new(96).into_layer().apply(&Shape::new(&[1, 96, 56, 56])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 96, 56, 56]));
/// assert_eq!((cost.params, cost.flops), (2 * 96, 7 * 96 * 56 * 56));
/// assert!(LayerNorm2d::new(96).into_layer().apply(&Shape::new(&[1, 56, 56, 96])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct LayerNorm2d {
    /// The channels normalised over (dim 1 of the input).
    pub num_channels: u64,
    /// Learnable per-channel weight (and bias, see `bias`).
    pub elementwise_affine: bool,
    /// Whether the affine part has a bias.
    pub bias: bool,
}

impl LayerNorm2d {
    /// Normalisation over the `num_channels` channels of `[N, C, H, W]` at every position.
    #[track_caller]
    pub const fn new(num_channels: u64) -> LayerNorm2d {
        require_positive("LayerNorm2d", "num_channels", num_channels);
        LayerNorm2d {
            num_channels,
            elementwise_affine: true,
            bias: true,
        }
    }

    /// Whether the layer has a learnable per-channel weight and bias (default `true`).
    pub const fn elementwise_affine(mut self, elementwise_affine: bool) -> LayerNorm2d {
        self.elementwise_affine = elementwise_affine;
        self
    }

    /// Whether the affine part has a bias (default `true`; no effect without `elementwise_affine`).
    pub const fn bias(mut self, bias: bool) -> LayerNorm2d {
        self.bias = bias;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::LayerNorm2d(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 4 {
            return Err(Problem::Rank {
                expected: "4-D input [N, C, H, W]",
                got: *input,
            });
        }
        let c = input.dim(1);
        if c != self.num_channels {
            return Err(Problem::Mismatch {
                what: "num_channels",
                declared: self.num_channels,
                actual_what: "channels (dim 1)",
                actual: c,
            });
        }
        let terms = affine_terms(self.elementwise_affine, self.bias);
        let n = tri!(numel(input));
        Ok((
            *input,
            Cost {
                params: checked!(checked_mul, c, terms, "parameters"),
                flops: tri!(statistics_flops(n, terms)),
                ..Cost::ZERO
            },
        ))
    }
}
