//! Convolutions: `Conv1d/2d/3d` and `ConvTranspose1d/2d/3d`.

use super::Ratio;
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
/// Widths relative to the input, resolved when the input is known: `Conv2d::depthwise(k)`
/// (`groups = out_channels = in_channels`; `.depth_multiplier(m)` for `m·in_channels` outputs)
/// and `Conv2d::ratio(num, den, k)` (`out_channels = in_channels · num // den`), on every
/// convolution builder.
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
    /// Output channels (unused when `out_ratio` is set).
    pub out_channels: u64,
    /// Output channels as a ratio of the input's (`Conv2d::ratio`, `Conv2d::depthwise`), or
    /// `None` for `out_channels`.
    pub out_ratio: Option<Ratio>,
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
    /// Groups; `groups == in_channels` is a depthwise convolution, and 0 means exactly that:
    /// one group per input channel, whatever their number (`Conv2d::depthwise`).
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
        // Depthwise: a group per input channel (at least one, for an input without channels).
        let groups = match (self.groups, cin) {
            (0, 0) => 1,
            (0, c) => c,
            (g, _) => g,
        };
        if !cin.is_multiple_of(groups) {
            return Err(Problem::NotDivisible {
                what: "input channels",
                value: cin,
                by_what: "groups",
                by: groups,
            });
        }
        let out_channels = match self.out_ratio {
            Some(ratio) => tri!(ratio.of(cin)),
            None => self.out_channels,
        };
        // Checked by the builder for a fixed width; here for one relative to the input.
        if !out_channels.is_multiple_of(groups) {
            return Err(Problem::NotDivisible {
                what: "output channels",
                value: out_channels,
                by_what: "groups",
                by: groups,
            });
        }
        let mut out = input.with_dim(1, out_channels);
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
            let per_group = out_channels / groups;
            let w = checked!(checked_mul, cin, per_group, "parameters");
            let w = checked!(checked_mul, w, taps, "parameters");
            let in_numel = tri!(numel(input));
            let m = checked!(checked_mul, in_numel, per_group, "MACs");
            (w, checked!(checked_mul, m, taps, "MACs"))
        } else {
            let per_group = cin / groups;
            let w = checked!(checked_mul, out_channels, per_group, "parameters");
            let w = checked!(checked_mul, w, taps, "parameters");
            let m = checked!(checked_mul, out_numel, per_group, "MACs");
            (w, checked!(checked_mul, m, taps, "MACs"))
        };
        let (params, bias_flops) = if self.bias {
            (
                checked!(checked_add, weights, out_channels, "parameters"),
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
                integer_buffers: 0,
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
        /// Per-dimension values use the plural setter (`.strides([2, 1])`). Output channels may
        /// be relative to the input's: `depthwise(k)`, `ratio(num, den, k)`.
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
                    out_ratio: None,
                    kernel: spread([kernel_size; $rank], 1),
                    stride: [1; 3],
                    padding: [0; 3],
                    dilation: [1; 3],
                    output_padding: [0; 3],
                    groups: 1,
                    bias: true,
                })
            }

            /// Output channels `in_channels · numerator / denominator` (rounded down, as
            /// Python's `//`), filters of size `kernel_size`: a width relative to the input's,
            /// e.g. DenseNet's transition `out = in // 2` is `ratio(1, 2, 1)`, an expansion by 6
            /// `ratio(6, 1, 1)`.
            #[track_caller]
            pub const fn ratio(numerator: u64, denominator: u64, kernel_size: u64) -> Self {
                let mut conv = Self::new(1, kernel_size);
                conv.0.out_ratio = Some(Ratio::new(numerator, denominator));
                conv
            }

            /// A depthwise convolution with filters of size `kernel_size`: one group per input
            /// channel and as many output channels (PyTorch's `groups = in_channels`,
            /// `out_channels = in_channels`), whatever the input's width. For `K` filters per
            /// channel, add `.depth_multiplier(K)`.
            #[track_caller]
            pub const fn depthwise(kernel_size: u64) -> Self {
                let mut conv = Self::ratio(1, 1, kernel_size);
                conv.0.groups = 0;
                conv
            }

            /// `multiplier` output channels per input channel (PyTorch's
            /// `out_channels = K * in_channels`, Keras' `depth_multiplier`); for a width
            /// relative to the input (`depthwise`, `ratio`) it multiplies the ratio.
            #[track_caller]
            pub const fn depth_multiplier(mut self, multiplier: u64) -> Self {
                require_positive(stringify!($name), "depth_multiplier", multiplier);
                let ratio = match self.0.out_ratio {
                    Some(ratio) => ratio,
                    None => panic!(concat!(
                        stringify!($name),
                        ": depth_multiplier applies to a width relative to the input; start from `",
                        stringify!($name),
                        "::depthwise(kernel_size)`"
                    )),
                };
                let numerator = match ratio.numerator.checked_mul(multiplier) {
                    Some(n) => n,
                    None => panic!(concat!(stringify!($name), ": depth_multiplier is too large")),
                };
                self.0.out_ratio = Some(Ratio::new(numerator, ratio.denominator));
                self
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

            /// Channel groups; both channel counts must be divisible by it (for a width relative
            /// to the input, checked against the input).
            #[track_caller]
            pub const fn groups(mut self, groups: u64) -> Self {
                if self.0.out_ratio.is_none() {
                    check_groups(stringify!($name), self.0.out_channels, groups);
                } else {
                    require_positive(stringify!($name), "groups", groups);
                }
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
    "```\nuse nncost_core::{layers::Conv2d, Shape};\nlet x = Shape::new(&[1, 64, 56, 56]);\nlet (out, cost) = Conv2d::new(64, 3).padding(1).bias(false).into_layer().apply(&x).unwrap();\nassert_eq!(out, Shape::new(&[1, 64, 56, 56]));\nassert_eq!(cost.params, 36_864);\n// Depthwise: 64 groups of one channel, 64 outputs; with a multiplier of 2, 128.\nlet (out, cost) = Conv2d::depthwise(3).padding(1).bias(false).into_layer().apply(&x).unwrap();\nassert_eq!((out.dim(1), cost.params), (64, 64 * 9));\nlet (out, _) = Conv2d::depthwise(3).depth_multiplier(2).into_layer().apply(&x).unwrap();\nassert_eq!(out.dim(1), 128);\n// DenseNet's transition: half the channels.\nlet (out, cost) = Conv2d::ratio(1, 2, 1).bias(false).into_layer().apply(&x).unwrap();\nassert_eq!((out.dim(1), cost.params), (32, 32 * 64));\n```"
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
