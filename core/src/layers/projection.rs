//! `Projection`: the shortcut of a residual block, identity or 1×1 convolution + BatchNorm.

use super::norm::FOLDED_FLOPS_PER_ELEMENT;
use super::{numel, require_positive};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// The shortcut of a residual block: the identity when the shape already matches, else a 1×1
/// convolution with stride `s`: [`Projection::conv_bn`] (no bias, then `BatchNorm2d`), as
/// torchvision's ResNet `downsample` (built when `stride != 1 or inplanes != planes *
/// expansion`), or [`Projection::conv`] (with a bias, no norm), as the `nin_shortcut` of a
/// diffusion U-Net's residual block.
///
/// On `[N, Cin, H, W]`, with `c` output channels and stride `s`:
/// - if `Cin == c` and `s == 1`: the identity, output `[N, Cin, H, W]`, zero cost;
/// - else output `[N, c, ⌊(H − 1)/s⌋ + 1, ⌊(W − 1)/s⌋ + 1]`, with
///   - params `c·Cin` (conv), `+ c` with a bias, `+ 2·c` with the BatchNorm (weight and bias);
///     with the BatchNorm, buffers `2·c` (running stats) and 1 integer buffer
///     (`num_batches_tracked`);
///   - MACs `output elements · Cin`;
///   - FLOPs `2 · MACs`, plus 1 per output element for a bias and `2` for the BatchNorm (folded
///     scale and shift).
///
/// ```
/// use nncost_core::{layers::Projection, Shape};
/// let down = Projection::conv_bn(128).stride(2).into_layer();
/// let (out, cost) = down.apply(&Shape::new(&[1, 64, 56, 56])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 28, 28]));
/// assert_eq!((cost.params, cost.buffers, cost.macs), (8_192 + 256, 256, 6_422_528));
/// // Same channels, stride 1: the identity.
/// let same = Projection::conv_bn(64).into_layer();
/// let (out, cost) = same.apply(&Shape::new(&[1, 64, 56, 56])).unwrap();
/// assert_eq!((out, cost), (Shape::new(&[1, 64, 56, 56]), nncost_core::Cost::ZERO));
/// // A biased 1×1 convolution, no norm.
/// let (_, cost) = Projection::conv(128).into_layer().apply(&Shape::new(&[1, 64, 8, 8])).unwrap();
/// assert_eq!((cost.params, cost.buffers), (128 * 64 + 128, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Projection {
    /// Output channels.
    pub out_channels: u64,
    /// Stride of the 1×1 convolution (both spatial dims).
    pub stride: u64,
    /// Whether a `BatchNorm2d` follows the convolution.
    pub batch_norm: bool,
    /// Whether the convolution has a bias.
    pub bias: bool,
}

impl Projection {
    /// A shortcut to `out_channels` channels: identity if the input already has them (and the
    /// stride is 1), else 1×1 convolution + BatchNorm.
    #[track_caller]
    pub const fn conv_bn(out_channels: u64) -> Projection {
        require_positive("Projection", "out_channels", out_channels);
        Projection {
            out_channels,
            stride: 1,
            batch_norm: true,
            bias: false,
        }
    }

    /// A shortcut to `out_channels` channels: identity if the input already has them (and the
    /// stride is 1), else a 1×1 convolution with a bias and no norm.
    #[track_caller]
    pub const fn conv(out_channels: u64) -> Projection {
        require_positive("Projection", "out_channels", out_channels);
        Projection {
            out_channels,
            stride: 1,
            batch_norm: false,
            bias: true,
        }
    }

    /// Whether the convolution has a bias (`conv_bn`: `false`, `conv`: `true`).
    pub const fn bias(mut self, bias: bool) -> Projection {
        self.bias = bias;
        self
    }

    /// The stride of the block (default 1); any stride other than 1 makes it a convolution.
    #[track_caller]
    pub const fn stride(mut self, stride: u64) -> Projection {
        require_positive("Projection", "stride", stride);
        self.stride = stride;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Projection(self)
    }

    /// Output shape and cost for `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 4 {
            return Err(Problem::Rank {
                expected: "4-D input [N, C, H, W]",
                got: *input,
            });
        }
        let cin = input.dim(1);
        let c = self.out_channels;
        if cin == c && self.stride == 1 {
            return Ok((*input, Cost::ZERO));
        }
        let mut out = input.with_dim(1, c);
        let mut d = 2;
        while d < 4 {
            let size = input.dim(d);
            if size == 0 {
                return Err(Problem::EmptyOutput {
                    axis: crate::error::axis_name(2, d - 2),
                    input: 0,
                    padding: 0,
                });
            }
            out = out.with_dim(d, (size - 1) / self.stride + 1);
            d += 1;
        }
        let out_numel = tri!(numel(&out));
        let mut params = checked!(checked_mul, c, cin, "parameters");
        let macs = checked!(checked_mul, out_numel, cin, "MACs");
        let mut flops = checked!(checked_mul, macs, 2, "FLOPs");
        if self.bias {
            params = checked!(checked_add, params, c, "parameters");
            flops = checked!(checked_add, flops, out_numel, "FLOPs");
        }
        let mut cost = Cost::ZERO;
        if self.batch_norm {
            let two_c = checked!(checked_mul, c, 2, "parameters");
            let bn_flops = checked!(checked_mul, out_numel, FOLDED_FLOPS_PER_ELEMENT, "FLOPs");
            params = checked!(checked_add, params, two_c, "parameters");
            flops = checked!(checked_add, flops, bn_flops, "FLOPs");
            cost.buffers = two_c;
            cost.integer_buffers = 1;
        }
        cost.params = params;
        cost.macs = macs;
        cost.flops = flops;
        Ok((out, cost))
    }
}
