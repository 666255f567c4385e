//! Convolutions: `Conv1d/2d/3d` and `ConvTranspose1d/2d/3d`.

use super::{numel, product, require_divisible, require_positive, spatial_rank_text, spread};
use crate::cost::Cost;
use crate::error::{axis_name, Problem};
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::Shape;

/// A convolution of any rank, plain or transposed: what the `Conv*` builders produce.
///
/// Output size per spatial dim (PyTorch's formulas):
/// - plain: `⌊(in + 2·pad − dil·(k − 1) − 1) / stride⌋ + 1`
/// - transposed: `(in − 1)·stride − 2·pad + dil·(k − 1) + output_padding + 1`
///
/// Params: `out·(in/groups)·Πk` (+ `out` bias); transposed `in·(out/groups)·Πk` (+ `out`).
/// MACs: `output elements · (in/groups) · Πk`; transposed counts over *input* positions:
/// `input elements · (out/groups) · Πk` (as torchvision, fvcore and FlopCounterMode).
/// FLOPs: `2 · MACs`, plus one add per output element for the bias.
///
/// ```
/// use nncost_core::{layers::Conv2d, Shape};
/// let conv = Conv2d::new(64, 7).stride(2).padding(3).bias(false).into_layer();
/// let (out, cost) = conv.apply(&Shape::input(1, &[3, 224, 224])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 112, 112]));
/// assert_eq!((cost.params, cost.macs), (9_408, 118_013_952));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvSpec {
    /// Spatial rank: 1, 2 or 3.
    pub rank: usize,
    /// Transposed convolution (`ConvTranspose*`).
    pub transposed: bool,
    /// Declared input channels; 0 means "inferred from the input".
    pub in_channels: u64,
    /// Output channels.
    pub out_channels: u64,
    /// Kernel size per spatial dim.
    pub kernel: [u64; 3],
    /// Stride per spatial dim.
    pub stride: [u64; 3],
    /// Zero padding per spatial dim (both sides).
    pub padding: [u64; 3],
    /// Dilation per spatial dim.
    pub dilation: [u64; 3],
    /// Extra size on one side of a transposed convolution's output.
    pub output_padding: [u64; 3],
    /// Groups; `groups == in_channels` is a depthwise convolution.
    pub groups: u64,
    /// Whether the layer has a bias.
    pub bias: bool,
}

impl ConvSpec {
    /// `"Conv2d"`, `"ConvTranspose3d"`, ...
    pub const fn kind(&self) -> &'static str {
        match (self.transposed, self.rank) {
            (false, 1) => "Conv1d",
            (false, 2) => "Conv2d",
            (false, _) => "Conv3d",
            (true, 1) => "ConvTranspose1d",
            (true, 2) => "ConvTranspose2d",
            (true, _) => "ConvTranspose3d",
        }
    }

    /// Output shape and cost for `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = self.rank;
        if input.rank() != rank + 2 {
            return Err(Problem::Rank {
                expected: spatial_rank_text(rank),
                got: *input,
            });
        }
        let cin = input.dim(1);
        if self.in_channels != 0 && self.in_channels != cin {
            return Err(Problem::Declared {
                setting: "in_channels",
                declared: self.in_channels,
                actual_what: "channels",
                actual: cin,
            });
        }
        if !cin.is_multiple_of(self.groups) {
            return Err(Problem::NotDivisible {
                what: "input channels",
                value: cin,
                by_what: "groups",
                by: self.groups,
            });
        }
        let mut out = input.with_dim(1, self.out_channels);
        let mut d = 0;
        while d < rank {
            let size = input.dim(d + 2);
            let k = self.kernel[d];
            let window = checked!(checked_mul, self.dilation[d], k - 1, "kernel extent") + 1;
            let pad2 = checked!(checked_mul, self.padding[d], 2, "padding");
            let o = if self.transposed {
                if size == 0 {
                    return Err(Problem::EmptyOutput {
                        axis: axis_name(rank, d),
                        input: size,
                        padding: self.padding[d],
                    });
                }
                let grown = checked!(checked_mul, size - 1, self.stride[d], "output size");
                let grown = checked!(checked_add, grown, window, "output size");
                let grown = checked!(checked_add, grown, self.output_padding[d], "output size");
                if grown <= pad2 {
                    return Err(Problem::EmptyOutput {
                        axis: axis_name(rank, d),
                        input: size,
                        padding: self.padding[d],
                    });
                }
                grown - pad2
            } else {
                let padded = checked!(checked_add, size, pad2, "padded input");
                if window > padded {
                    return Err(Problem::WindowTooLarge {
                        axis: axis_name(rank, d),
                        window,
                        input: size,
                        padding: self.padding[d],
                    });
                }
                (padded - window) / self.stride[d] + 1
            };
            out = out.with_dim(d + 2, o);
            d += 1;
        }
        let taps = tri!(product(&self.kernel, rank, "kernel size"));
        let out_numel = tri!(numel(&out));
        let (weights, macs) = if self.transposed {
            let per_group = self.out_channels / self.groups;
            let w = checked!(checked_mul, cin, per_group, "parameters");
            let w = checked!(checked_mul, w, taps, "parameters");
            let in_numel = tri!(numel(input));
            let m = checked!(checked_mul, in_numel, per_group, "MACs");
            (w, checked!(checked_mul, m, taps, "MACs"))
        } else {
            let per_group = cin / self.groups;
            let w = checked!(checked_mul, self.out_channels, per_group, "parameters");
            let w = checked!(checked_mul, w, taps, "parameters");
            let m = checked!(checked_mul, out_numel, per_group, "MACs");
            (w, checked!(checked_mul, m, taps, "MACs"))
        };
        let (params, bias_flops) = if self.bias {
            (
                checked!(checked_add, weights, self.out_channels, "parameters"),
                out_numel,
            )
        } else {
            (weights, 0)
        };
        let flops = checked!(checked_mul, macs, 2, "FLOPs");
        let flops = checked!(checked_add, flops, bias_flops, "FLOPs");
        Ok((
            out,
            Cost {
                params,
                buffers: 0,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }
}

#[track_caller]
const fn check_groups(kind: &str, out_channels: u64, groups: u64) {
    require_positive(kind, "groups", groups);
    require_divisible(kind, "out_channels", out_channels, "groups", groups);
}

macro_rules! conv_builder {
    ($(#[$doc:meta])* $name:ident, $rank:literal, $transposed:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Settings default as in PyTorch: stride 1, padding 0, dilation 1, groups 1, bias on.
        /// Per-dimension values use the plural setter (`.strides([2, 1])`).
        #[doc = $example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[must_use = "a layer builder does nothing until it is used in a network"]
        pub struct $name(ConvSpec);

        impl $name {
            /// `out_channels` filters of size `kernel_size` along every spatial dim.
            #[track_caller]
            pub const fn new(out_channels: u64, kernel_size: u64) -> Self {
                require_positive(stringify!($name), "out_channels", out_channels);
                require_positive(stringify!($name), "kernel_size", kernel_size);
                $name(ConvSpec {
                    rank: $rank,
                    transposed: $transposed,
                    in_channels: 0,
                    out_channels,
                    kernel: spread([kernel_size; $rank], 1),
                    stride: [1; 3],
                    padding: [0; 3],
                    dilation: [1; 3],
                    output_padding: [0; 3],
                    groups: 1,
                    bias: true,
                })
            }

            /// Declares the input channels (as PyTorch does); the input must then have them.
            #[track_caller]
            pub const fn in_channels(mut self, in_channels: u64) -> Self {
                require_positive(stringify!($name), "in_channels", in_channels);
                self.0.in_channels = in_channels;
                self
            }

            window_setters! {
                $name, $rank, unset_stride: 1,
                /// Kernel size per spatial dim.
                kernel_sizes,
                /// The same zero padding along every spatial dim (both sides).
                padding,
                /// Zero padding per spatial dim (both sides).
                paddings,
            }
            window_setters!(@dilation $name, $rank);

            /// Channel groups; both channel counts must be divisible by it.
            #[track_caller]
            pub const fn groups(mut self, groups: u64) -> Self {
                check_groups(stringify!($name), self.0.out_channels, groups);
                self.0.groups = groups;
                self
            }

            /// Whether the layer adds a learnable bias (default `true`).
            pub const fn bias(mut self, bias: bool) -> Self {
                self.0.bias = bias;
                self
            }

            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::Conv(self.0)
            }
        }
    };
}

conv_builder!(
    /// 1-D convolution over `[N, C, L]`, as `torch.nn.Conv1d`.
    Conv1d, 1, false,
    "```\nuse nncost_core::{layers::Conv1d, Shape};\nlet (out, _) = Conv1d::new(12, 3).padding(1).into_layer().apply(&Shape::new(&[2, 8, 36])).unwrap();\nassert_eq!(out, Shape::new(&[2, 12, 36]));\n```"
);
conv_builder!(
    /// 2-D convolution over `[N, C, H, W]`, as `torch.nn.Conv2d`.
    Conv2d, 2, false,
    "```\nuse nncost_core::{layers::Conv2d, Shape};\nlet (out, cost) = Conv2d::new(64, 3).padding(1).bias(false).into_layer().apply(&Shape::new(&[1, 64, 56, 56])).unwrap();\nassert_eq!(out, Shape::new(&[1, 64, 56, 56]));\nassert_eq!(cost.params, 36_864);\n```"
);
conv_builder!(
    /// 3-D convolution over `[N, C, D, H, W]`, as `torch.nn.Conv3d`.
    Conv3d, 3, false,
    "```\nuse nncost_core::{layers::Conv3d, Shape};\nlet (out, _) = Conv3d::new(2, 3).into_layer().apply(&Shape::new(&[1, 1, 4, 5, 6])).unwrap();\nassert_eq!(out, Shape::new(&[1, 2, 2, 3, 4]));\n```"
);

macro_rules! transposed_extras {
    ($name:ident, $rank:literal) => {
        impl $name {
            /// The same output padding along every spatial dim.
            #[track_caller]
            pub const fn output_padding(self, output_padding: u64) -> Self {
                self.output_paddings([output_padding; $rank])
            }

            /// Output padding per spatial dim; PyTorch requires it below the stride or the dilation.
            #[track_caller]
            pub const fn output_paddings(mut self, output_padding: [u64; $rank]) -> Self {
                let mut i = 0;
                while i < $rank {
                    let (s, d) = (self.0.stride[i], self.0.dilation[i]);
                    if output_padding[i] >= s && output_padding[i] >= d {
                        let mut m = Message::new();
                        m.push_str(stringify!($name));
                        m.push_str(": output_padding (");
                        m.push_u64(output_padding[i]);
                        m.push_str(") must be smaller than the stride (");
                        m.push_u64(s);
                        m.push_str(") or the dilation (");
                        m.push_u64(d);
                        m.push_str("); set them first");
                        panic!("{}", m.as_str());
                    }
                    i += 1;
                }
                self.0.output_padding = spread(output_padding, 0);
                self
            }
        }
    };
}

conv_builder!(
    /// 1-D transposed convolution over `[N, C, L]`, as `torch.nn.ConvTranspose1d`.
    ConvTranspose1d, 1, true,
    "```\nuse nncost_core::{layers::ConvTranspose1d, Shape};\nlet (out, _) = ConvTranspose1d::new(1, 4).stride(3).padding(1).output_padding(1).into_layer().apply(&Shape::new(&[1, 1, 36])).unwrap();\nassert_eq!(out, Shape::new(&[1, 1, 108]));\n```"
);
conv_builder!(
    /// 2-D transposed convolution over `[N, C, H, W]`, as `torch.nn.ConvTranspose2d`.
    ConvTranspose2d, 2, true,
    "```\nuse nncost_core::{layers::ConvTranspose2d, Shape};\nlet (out, _) = ConvTranspose2d::new(8, 2).stride(2).into_layer().apply(&Shape::new(&[1, 4, 7, 7])).unwrap();\nassert_eq!(out, Shape::new(&[1, 8, 14, 14]));\n```"
);
conv_builder!(
    /// 3-D transposed convolution over `[N, C, D, H, W]`, as `torch.nn.ConvTranspose3d`.
    ConvTranspose3d, 3, true,
    "```\nuse nncost_core::{layers::ConvTranspose3d, Shape};\nlet (out, _) = ConvTranspose3d::new(2, 2).stride(2).into_layer().apply(&Shape::new(&[1, 5, 2, 2, 2])).unwrap();\nassert_eq!(out, Shape::new(&[1, 2, 4, 4, 4]));\n```"
);
transposed_extras!(ConvTranspose1d, 1);
transposed_extras!(ConvTranspose2d, 2);
transposed_extras!(ConvTranspose3d, 3);
