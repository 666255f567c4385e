//! Pooling: `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d` and their adaptive forms.

use super::{numel, product, require_all_positive, require_positive, spatial_rank_text, spread};
use crate::cost::Cost;
use crate::error::{axis_name, Problem};
use crate::layer::Layer;
use crate::shape::Shape;

/// One output size of a sliding-window pooling, exactly as PyTorch's `pooling_output_shape`:
///
/// `out = ⌊(in + 2·pad − dil·(k − 1) − 1 + (ceil_mode ? stride − 1 : 0)) / stride⌋ + 1`, and in
/// `ceil_mode`, if the last window would start past the input and the left padding
/// (`(out − 1)·stride ≥ in + pad`), `out − 1`. In `ceil_mode` the window may be larger than the
/// padded input as long as the output is not empty (PyTorch allows it).
///
/// `axis` names the dimension in an error.
pub(crate) const fn pool_output_size(
    input: u64,
    kernel: u64,
    stride: u64,
    padding: u64,
    dilation: u64,
    ceil_mode: bool,
    axis: &'static str,
) -> Result<u64, Problem> {
    let window = checked!(checked_mul, dilation, kernel - 1, "kernel extent") + 1;
    let pad2 = checked!(checked_mul, padding, 2, "padding");
    let padded = checked!(checked_add, input, pad2, "padded input");
    let top = if ceil_mode {
        checked!(checked_add, padded, stride - 1, "padded input")
    } else {
        padded
    };
    if top < window {
        return Err(Problem::WindowTooLarge {
            axis,
            window,
            input,
            padding,
        });
    }
    let mut out = (top - window) / stride + 1;
    // The last window must start inside the input or the left padding.
    if ceil_mode && (out - 1) as u128 * stride as u128 >= input as u128 + padding as u128 {
        out -= 1;
    }
    if out == 0 {
        return Err(Problem::EmptyOutput {
            axis,
            input,
            padding,
        });
    }
    Ok(out)
}

/// A max or average pooling of any rank: what the `MaxPool*` and `AvgPool*` builders produce.
///
/// - Output size per spatial dim: PyTorch's `pooling_output_shape`,
///   `⌊(in + 2·pad − dil·(k − 1) − 1 + (ceil_mode ? stride − 1 : 0)) / stride⌋ + 1`, minus 1 in
///   `ceil_mode` when the last window would start at or past `in + pad` (it must start inside
///   the input or the left padding). Channels and batch are unchanged.
/// - Checks, as PyTorch: `pad ≤ k / 2` (`MaxPool2d`: `pad ≤ (dil·(k − 1) + 1) / 2`, the
///   effective kernel; `MaxPool1d` and `MaxPool3d` check the plain kernel), a non-empty output,
///   and for `AvgPool3d` an unpadded input at least the kernel size.
/// - Params, buffers, MACs: 0.
/// - FLOPs per output element: `MaxPool` `Πk − 1` comparisons; `AvgPool` `Πk` (`Πk − 1` adds
///   and 1 divide). Windows count their nominal size, also where they overlap the padding.
///
/// ```
/// use nncost_core::{layers::MaxPool2d, Shape};
/// let pool = MaxPool2d::new(3).stride(2).padding(1).into_layer();
/// let (out, cost) = pool.apply(&Shape::new(&[1, 64, 112, 112])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 64, 56, 56]));
/// assert_eq!((cost.macs, cost.flops), (0, 8 * 64 * 56 * 56));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSpec {
    /// Spatial rank: 1, 2 or 3.
    pub rank: usize,
    /// Max pooling (else average pooling).
    pub max: bool,
    /// Kernel size per spatial dim.
    pub kernel: [u64; 3],
    /// Stride per spatial dim; 0 means "the kernel size" (PyTorch's default).
    pub stride: [u64; 3],
    /// Implicit padding per spatial dim (both sides): `-inf` for max, zeros for average.
    pub padding: [u64; 3],
    /// Dilation per spatial dim (1 for average pooling).
    pub dilation: [u64; 3],
    /// Round the output size up instead of down.
    pub ceil_mode: bool,
    /// Average pooling: whether padded zeros count in the divisor (no effect on the cost).
    pub count_include_pad: bool,
}

impl PoolSpec {
    /// `"MaxPool2d"`, `"AvgPool1d"`, ...
    pub const fn kind(&self) -> &'static str {
        match (self.max, self.rank) {
            (true, 1) => "MaxPool1d",
            (true, 2) => "MaxPool2d",
            (true, _) => "MaxPool3d",
            (false, 1) => "AvgPool1d",
            (false, 2) => "AvgPool2d",
            (false, _) => "AvgPool3d",
        }
    }

    /// The stride along spatial dim `d`, with the default (the kernel size) resolved.
    pub const fn stride_at(&self, d: usize) -> u64 {
        if self.stride[d] == 0 {
            self.kernel[d]
        } else {
            self.stride[d]
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
        let mut out = *input;
        let mut d = 0;
        while d < rank {
            let (k, p, dil) = (self.kernel[d], self.padding[d], self.dilation[d]);
            // PyTorch: MaxPool2d checks the effective kernel, the others the plain kernel.
            let limit = if self.max && rank == 2 {
                checked!(checked_mul, dil, k - 1, "kernel extent") + 1
            } else {
                k
            };
            if p > limit / 2 {
                return Err(Problem::PaddingTooLarge {
                    padding: p,
                    kernel: limit,
                });
            }
            let size = input.dim(d + 2);
            if !self.max && rank == 3 && size < k {
                return Err(Problem::KernelTooLarge {
                    axis: axis_name(rank, d),
                    kernel: k,
                    input: size,
                });
            }
            let o = tri!(pool_output_size(
                size,
                k,
                self.stride_at(d),
                p,
                dil,
                self.ceil_mode,
                axis_name(rank, d)
            ));
            out = out.with_dim(d + 2, o);
            d += 1;
        }
        let taps = tri!(product(&self.kernel, rank, "kernel size"));
        let per_output = if self.max { taps - 1 } else { taps };
        let out_numel = tri!(numel(&out));
        Ok((
            out,
            Cost {
                params: 0,
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops: checked!(checked_mul, out_numel, per_output, "FLOPs"),
                ..Cost::ZERO
            },
        ))
    }
}

macro_rules! pool_builder {
    ($(#[$doc:meta])* $name:ident, $rank:literal, $max:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Settings default as in PyTorch: stride = kernel size, padding 0, dilation 1,
        /// `ceil_mode` off. Per-dimension values use the plural setter (`.strides([2, 1])`).
        /// Shape and cost rules: see [`PoolSpec`].
        #[doc = $example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[must_use = "a layer builder does nothing until it is used in a network"]
        pub struct $name(PoolSpec);

        impl $name {
            /// Windows of size `kernel_size` along every spatial dim, stride = kernel size.
            #[track_caller]
            pub const fn new(kernel_size: u64) -> Self {
                require_positive(stringify!($name), "kernel_size", kernel_size);
                $name(PoolSpec {
                    rank: $rank,
                    max: $max,
                    kernel: spread([kernel_size; $rank], 1),
                    stride: [0; 3],
                    padding: [0; 3],
                    dilation: [1; 3],
                    ceil_mode: false,
                    count_include_pad: true,
                })
            }

            window_setters! {
                $name, $rank, unset_stride: 0,
                /// Kernel size per spatial dim (the stride, unless set, follows it).
                kernel_sizes,
                /// The same implicit padding along every spatial dim (both sides); at most half the
                /// kernel size.
                padding,
                /// Implicit padding per spatial dim (both sides); at most half the kernel size.
                paddings,
            }

            /// Round output sizes up instead of down (default `false`); the last window must
            /// still start inside the input or the left padding.
            pub const fn ceil_mode(mut self, ceil_mode: bool) -> Self {
                self.0.ceil_mode = ceil_mode;
                self
            }

            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::Pool(self.0)
            }
        }
    };
}

macro_rules! max_pool_extras {
    ($name:ident, $rank:literal) => {
        impl $name {
            window_setters!(@dilation $name, $rank);
        }
    };
}

macro_rules! avg_pool_extras {
    ($name:ident) => {
        impl $name {
            /// Whether padded zeros count in the divisor (default `true`; no effect on the cost).
            pub const fn count_include_pad(mut self, count_include_pad: bool) -> Self {
                self.0.count_include_pad = count_include_pad;
                self
            }
        }
    };
}

pool_builder!(
    /// 1-D max pooling over `[N, C, L]`, as `torch.nn.MaxPool1d`. `Πk − 1` FLOPs per output.
    MaxPool1d, 1, true,
    "```\nuse nncost_core::{layers::MaxPool1d, Shape};\nlet (out, cost) = MaxPool1d::new(2).ceil_mode(true).into_layer().apply(&Shape::new(&[1, 4, 9])).unwrap();\nassert_eq!(out, Shape::new(&[1, 4, 5]));\nassert_eq!(cost.flops, 20);\n```"
);
pool_builder!(
    /// 2-D max pooling over `[N, C, H, W]`, as `torch.nn.MaxPool2d`. `Πk − 1` FLOPs per output.
    MaxPool2d, 2, true,
    "```\nuse nncost_core::{layers::MaxPool2d, Shape};\nlet (out, _) = MaxPool2d::new(2).into_layer().apply(&Shape::new(&[1, 6, 28, 28])).unwrap();\nassert_eq!(out, Shape::new(&[1, 6, 14, 14]));\n```"
);
pool_builder!(
    /// 3-D max pooling over `[N, C, D, H, W]`, as `torch.nn.MaxPool3d`. `Πk − 1` FLOPs per output.
    MaxPool3d, 3, true,
    "```\nuse nncost_core::{layers::MaxPool3d, Shape};\nlet (out, _) = MaxPool3d::new(2).kernel_sizes([1, 2, 2]).into_layer().apply(&Shape::new(&[1, 2, 4, 8, 8])).unwrap();\nassert_eq!(out, Shape::new(&[1, 2, 4, 4, 4]));\n```"
);
pool_builder!(
    /// 1-D average pooling over `[N, C, L]`, as `torch.nn.AvgPool1d`. `Πk` FLOPs per output.
    AvgPool1d, 1, false,
    "```\nuse nncost_core::{layers::AvgPool1d, Shape};\nlet (out, cost) = AvgPool1d::new(3).stride(1).padding(1).into_layer().apply(&Shape::new(&[1, 2, 10])).unwrap();\nassert_eq!(out, Shape::new(&[1, 2, 10]));\nassert_eq!(cost.flops, 60);\n```"
);
pool_builder!(
    /// 2-D average pooling over `[N, C, H, W]`, as `torch.nn.AvgPool2d`. `Πk` FLOPs per output.
    AvgPool2d, 2, false,
    "```\nuse nncost_core::{layers::AvgPool2d, Shape};\nlet (out, cost) = AvgPool2d::new(2).into_layer().apply(&Shape::new(&[1, 8, 4, 4])).unwrap();\nassert_eq!(out, Shape::new(&[1, 8, 2, 2]));\nassert_eq!(cost.flops, 8 * 4 * 4);\n```"
);
pool_builder!(
    /// 3-D average pooling over `[N, C, D, H, W]`, as `torch.nn.AvgPool3d`. `Πk` FLOPs per output.
    AvgPool3d, 3, false,
    "```\nuse nncost_core::{layers::AvgPool3d, Shape};\nlet (out, _) = AvgPool3d::new(2).into_layer().apply(&Shape::new(&[1, 1, 4, 4, 4])).unwrap();\nassert_eq!(out, Shape::new(&[1, 1, 2, 2, 2]));\n```"
);
max_pool_extras!(MaxPool1d, 1);
max_pool_extras!(MaxPool2d, 2);
max_pool_extras!(MaxPool3d, 3);
avg_pool_extras!(AvgPool1d);
avg_pool_extras!(AvgPool2d);
avg_pool_extras!(AvgPool3d);

/// Greatest common divisor (Euclid).
const fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// The total size of PyTorch's adaptive pooling windows along one dim, `Σ_i (end_i − start_i)`
/// with `start_i = ⌊i·in/out⌋` and `end_i = ⌈(i + 1)·in/out⌉` for `i` in `0..out`; `None` on
/// overflow or when `input` or `output` is 0.
///
/// It equals `in + out − gcd(in, out)`: with `g = gcd(in, out)`, `Σ ⌈(i+1)·in/out⌉` exceeds
/// `Σ ⌊(i+1)·in/out⌋` by the `out − g` indices where `out ∤ (i+1)·in`, and the floors of
/// `(i+1)·in/out` and of `i·in/out` differ by exactly `in` in total. So the cost is O(log) per dim.
///
/// ```
/// use nncost_core::layers::adaptive_window_total;
/// // in = 10, out = 7: windows [0,2) [1,3) [2,5) [4,6) [5,8) [7,9) [8,10)
/// assert_eq!(adaptive_window_total(10, 7), Some(2 + 2 + 3 + 2 + 3 + 2 + 2));
/// assert_eq!(adaptive_window_total(7, 1), Some(7));
/// ```
pub const fn adaptive_window_total(input: u64, output: u64) -> Option<u64> {
    if input == 0 || output == 0 {
        return None;
    }
    match input.checked_add(output) {
        Some(sum) => Some(sum - gcd(input, output)),
        None => None,
    }
}

/// An adaptive max or average pooling of any rank: what the `Adaptive*Pool*` builders produce.
///
/// - Output: `[N, C, output_size..]`, whatever the input's spatial size.
/// - Windows, as PyTorch: output index `i` of `out` along a dim of size `in` pools
///   `[⌊i·in/out⌋, ⌈(i + 1)·in/out⌉)`; windows are separable across dims.
/// - Params, buffers, MACs: 0.
/// - FLOPs (exact, over the real windows): with `W = Π_dims Σ_i window_i` (see
///   [`adaptive_window_total`]) per channel, average pooling costs `N·C·W` (adds and one divide
///   per output), max pooling `N·C·(W − Π out)` comparisons.
///
/// ```
/// use nncost_core::{layers::AdaptiveAvgPool2d, Shape};
/// let (out, cost) = AdaptiveAvgPool2d::new(1, 1).into_layer().apply(&Shape::new(&[1, 512, 7, 7])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 512, 1, 1]));
/// assert_eq!((cost.macs, cost.flops), (0, 512 * 49));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdaptivePoolSpec {
    /// Spatial rank: 1, 2 or 3.
    pub rank: usize,
    /// Max pooling (else average pooling).
    pub max: bool,
    /// Output size per spatial dim.
    pub output_size: [u64; 3],
}

impl AdaptivePoolSpec {
    /// `"AdaptiveAvgPool2d"`, `"AdaptiveMaxPool1d"`, ...
    pub const fn kind(&self) -> &'static str {
        match (self.max, self.rank) {
            (true, 1) => "AdaptiveMaxPool1d",
            (true, 2) => "AdaptiveMaxPool2d",
            (true, _) => "AdaptiveMaxPool3d",
            (false, 1) => "AdaptiveAvgPool1d",
            (false, 2) => "AdaptiveAvgPool2d",
            (false, _) => "AdaptiveAvgPool3d",
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
        let mut out = *input;
        let mut window: u64 = 1;
        let mut d = 0;
        while d < rank {
            let size = input.dim(d + 2);
            if size == 0 {
                return Err(Problem::Other(
                    "adaptive pooling needs a non-empty input along every spatial dim",
                ));
            }
            let total = match adaptive_window_total(size, self.output_size[d]) {
                Some(t) => t,
                None => {
                    return Err(Problem::Overflow {
                        what: "window size",
                    })
                }
            };
            window = checked!(checked_mul, window, total, "FLOPs");
            out = out.with_dim(d + 2, self.output_size[d]);
            d += 1;
        }
        let outputs = tri!(product(&self.output_size, rank, "output size"));
        // `window >= outputs`: every window holds at least one element.
        let per_channel = if self.max { window - outputs } else { window };
        tri!(numel(&out));
        let channels = checked!(checked_mul, input.dim(0), input.dim(1), "FLOPs");
        Ok((
            out,
            Cost {
                params: 0,
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops: checked!(checked_mul, channels, per_channel, "FLOPs"),
                ..Cost::ZERO
            },
        ))
    }
}

macro_rules! adaptive_builder {
    ($(#[$doc:meta])* $name:ident, $rank:literal, $max:literal, ($($arg:ident),+), $example:literal) => {
        $(#[$doc])*
        ///
        /// Shape and cost rules (exact window FLOPs): see [`AdaptivePoolSpec`].
        #[doc = $example]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[must_use = "a layer builder does nothing until it is used in a network"]
        pub struct $name(AdaptivePoolSpec);

        impl $name {
            /// Pools any input to this output size (PyTorch's `output_size`).
            #[track_caller]
            pub const fn new($($arg: u64),+) -> Self {
                let sizes = [$($arg),+];
                require_all_positive(stringify!($name), "output_size", sizes);
                $name(AdaptivePoolSpec {
                    rank: $rank,
                    max: $max,
                    output_size: spread(sizes, 1),
                })
            }

            /// The layer, for a [`crate::Node::Layer`].
            pub const fn into_layer(self) -> Layer {
                Layer::AdaptivePool(self.0)
            }
        }
    };
}

adaptive_builder!(
    /// Adaptive average pooling over `[N, C, L]` to `[N, C, l]`, as `torch.nn.AdaptiveAvgPool1d`.
    AdaptiveAvgPool1d, 1, false, (l),
    "```\nuse nncost_core::{layers::AdaptiveAvgPool1d, Shape};\nlet (out, cost) = AdaptiveAvgPool1d::new(3).into_layer().apply(&Shape::new(&[1, 1, 5])).unwrap();\nassert_eq!(out, Shape::new(&[1, 1, 3]));\nassert_eq!(cost.flops, 7); // windows [0,2) [1,4) [3,5)\n```"
);
adaptive_builder!(
    /// Adaptive average pooling over `[N, C, H, W]` to `[N, C, h, w]`, as
    /// `torch.nn.AdaptiveAvgPool2d((h, w))`.
    AdaptiveAvgPool2d, 2, false, (h, w),
    "```\nuse nncost_core::{layers::AdaptiveAvgPool2d, Shape};\nlet (out, _) = AdaptiveAvgPool2d::new(7, 7).into_layer().apply(&Shape::new(&[1, 256, 13, 13])).unwrap();\nassert_eq!(out, Shape::new(&[1, 256, 7, 7]));\n```"
);
adaptive_builder!(
    /// Adaptive average pooling over `[N, C, D, H, W]` to `[N, C, d, h, w]`, as
    /// `torch.nn.AdaptiveAvgPool3d((d, h, w))`.
    AdaptiveAvgPool3d, 3, false, (d, h, w),
    "```\nuse nncost_core::{layers::AdaptiveAvgPool3d, Shape};\nlet (out, cost) = AdaptiveAvgPool3d::new(1, 1, 1).into_layer().apply(&Shape::new(&[2, 3, 2, 2, 2])).unwrap();\nassert_eq!(out, Shape::new(&[2, 3, 1, 1, 1]));\nassert_eq!(cost.flops, 2 * 3 * 8);\n```"
);
adaptive_builder!(
    /// Adaptive max pooling over `[N, C, L]` to `[N, C, l]`, as `torch.nn.AdaptiveMaxPool1d`.
    AdaptiveMaxPool1d, 1, true, (l),
    "```\nuse nncost_core::{layers::AdaptiveMaxPool1d, Shape};\nlet (_, cost) = AdaptiveMaxPool1d::new(3).into_layer().apply(&Shape::new(&[1, 1, 5])).unwrap();\nassert_eq!(cost.flops, 7 - 3);\n```"
);
adaptive_builder!(
    /// Adaptive max pooling over `[N, C, H, W]` to `[N, C, h, w]`, as
    /// `torch.nn.AdaptiveMaxPool2d((h, w))`.
    AdaptiveMaxPool2d, 2, true, (h, w),
    "```\nuse nncost_core::{layers::AdaptiveMaxPool2d, Shape};\nlet (out, cost) = AdaptiveMaxPool2d::new(1, 1).into_layer().apply(&Shape::new(&[1, 4, 3, 3])).unwrap();\nassert_eq!(out, Shape::new(&[1, 4, 1, 1]));\nassert_eq!(cost.flops, 4 * 8);\n```"
);
adaptive_builder!(
    /// Adaptive max pooling over `[N, C, D, H, W]` to `[N, C, d, h, w]`, as
    /// `torch.nn.AdaptiveMaxPool3d((d, h, w))`.
    AdaptiveMaxPool3d, 3, true, (d, h, w),
    "```\nuse nncost_core::{layers::AdaptiveMaxPool3d, Shape};\nlet (out, _) = AdaptiveMaxPool3d::new(1, 2, 2).into_layer().apply(&Shape::new(&[1, 1, 3, 4, 4])).unwrap();\nassert_eq!(out, Shape::new(&[1, 1, 1, 2, 2]));\n```"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn out1(pool: PoolSpec, input: u64) -> Result<u64, Problem> {
        let mut p = pool;
        p.rank = 1;
        match p.apply(&Shape::new(&[1, 1, input])) {
            Ok((shape, _)) => Ok(shape.dim(2)),
            Err(e) => Err(e),
        }
    }

    #[test]
    fn ceil_mode_rounds_up() {
        // (9 - 2) / 2 + 1 = 4 floor, 5 ceil; the fifth window starts at 8 < 9.
        let pool = MaxPool1d::new(2).into_layer();
        assert_eq!(pool.apply(&Shape::new(&[1, 1, 9])).unwrap().0.dim(2), 4);
        let pool = MaxPool1d::new(2).ceil_mode(true).into_layer();
        assert_eq!(pool.apply(&Shape::new(&[1, 1, 9])).unwrap().0.dim(2), 5);
        // Exact division: ceil changes nothing.
        let pool = MaxPool1d::new(2).ceil_mode(true).into_layer();
        assert_eq!(pool.apply(&Shape::new(&[1, 1, 8])).unwrap().0.dim(2), 4);
    }

    #[test]
    fn ceil_mode_drops_a_window_starting_in_the_right_padding() {
        // k=2, s=3, p=1, in=4: ceil((4+2-2)/3)+1 = 3, but window 2 starts at 6 >= 4+1: 2.
        let spec = PoolSpec {
            rank: 1,
            max: true,
            kernel: [2, 1, 1],
            stride: [3, 0, 0],
            padding: [1, 0, 0],
            dilation: [1; 3],
            ceil_mode: true,
            count_include_pad: true,
        };
        assert_eq!(out1(spec, 4), Ok(2));
        // k=1, s=2, no padding, in=4: ceil(3/2)+1 = 3, window 2 starts at 4 >= 4: 2.
        let spec = PoolSpec {
            kernel: [1, 1, 1],
            stride: [2, 0, 0],
            padding: [0; 3],
            ..spec
        };
        assert_eq!(out1(spec, 4), Ok(2));
        assert_eq!(out1(spec, 5), Ok(3));
        // The same rule in 2-D through the builder (torchvision's GoogLeNet pools use it).
        let pool = MaxPool2d::new(3).stride(2).ceil_mode(true).into_layer();
        let (out, _) = pool.apply(&Shape::new(&[1, 64, 112, 112])).unwrap();
        assert_eq!(out, Shape::new(&[1, 64, 56, 56]));
        let (out, _) = pool.apply(&Shape::new(&[1, 192, 56, 56])).unwrap();
        assert_eq!(out, Shape::new(&[1, 192, 28, 28]));
        // 13 -> ceil(10/2)+1 = 6 with ceil mode (floor: 6 as well); 14 -> 7 vs floor 6.
        let (out, _) = pool.apply(&Shape::new(&[1, 1, 13, 14])).unwrap();
        assert_eq!(out, Shape::new(&[1, 1, 6, 7]));
    }

    #[test]
    fn ceil_mode_allows_a_window_larger_than_the_input() {
        // PyTorch: MaxPool2d(2, ceil_mode=True) on 1x1 gives 1x1; without ceil mode an error.
        let pool = MaxPool2d::new(2).ceil_mode(true).into_layer();
        assert_eq!(
            pool.apply(&Shape::new(&[1, 3, 1, 1])).unwrap().0,
            Shape::new(&[1, 3, 1, 1])
        );
        let pool = MaxPool2d::new(2).into_layer();
        assert_eq!(
            pool.apply(&Shape::new(&[1, 3, 1, 1])).unwrap_err(),
            Problem::WindowTooLarge {
                axis: "H",
                window: 2,
                input: 1,
                padding: 0
            }
        );
        // Ceil mode cannot rescue a window of 4 on 1 with stride 2: (1 + 1 - 4) < 0.
        let pool = MaxPool2d::new(4).stride(2).ceil_mode(true).into_layer();
        assert_eq!(
            pool.apply(&Shape::new(&[1, 3, 1, 8])).unwrap_err(),
            Problem::WindowTooLarge {
                axis: "H",
                window: 4,
                input: 1,
                padding: 0
            }
        );
    }

    #[test]
    fn padding_limits() {
        // pad <= k / 2.
        let x = Shape::new(&[1, 1, 9, 9]);
        assert!(MaxPool2d::new(3).padding(1).into_layer().apply(&x).is_ok());
        assert_eq!(
            MaxPool2d::new(3)
                .padding(2)
                .into_layer()
                .apply(&x)
                .unwrap_err(),
            Problem::PaddingTooLarge {
                padding: 2,
                kernel: 3
            }
        );
        assert!(AvgPool2d::new(2).padding(1).into_layer().apply(&x).is_ok());
        assert_eq!(
            AvgPool2d::new(1)
                .padding(1)
                .into_layer()
                .apply(&x)
                .unwrap_err(),
            Problem::PaddingTooLarge {
                padding: 1,
                kernel: 1
            }
        );
        // MaxPool2d checks the effective kernel: k=3, dilation 2 spans 5, so pad 2 is allowed.
        let (out, _) = MaxPool2d::new(3)
            .dilation(2)
            .padding(2)
            .into_layer()
            .apply(&x)
            .unwrap();
        assert_eq!(out, Shape::new(&[1, 1, 3, 3]));
        // ... but MaxPool1d and MaxPool3d check the plain kernel, as PyTorch does.
        let err = MaxPool1d::new(3)
            .dilation(2)
            .padding(2)
            .into_layer()
            .apply(&Shape::new(&[1, 1, 9]))
            .unwrap_err();
        assert_eq!(
            err,
            Problem::PaddingTooLarge {
                padding: 2,
                kernel: 3
            }
        );
        let err = MaxPool3d::new(3)
            .dilation(2)
            .padding(2)
            .into_layer()
            .apply(&Shape::new(&[1, 1, 9, 9, 9]))
            .unwrap_err();
        assert_eq!(
            err,
            Problem::PaddingTooLarge {
                padding: 2,
                kernel: 3
            }
        );
        // Per-dim: only the offending dim matters.
        let pool = MaxPool2d::new(3)
            .kernel_sizes([1, 3])
            .paddings([0, 1])
            .into_layer();
        assert_eq!(pool.apply(&x).unwrap().0, Shape::new(&[1, 1, 9, 3]));
    }

    #[test]
    fn avg_pool3d_needs_the_input_at_least_the_kernel() {
        // PyTorch's AvgPool3d checks the unpadded input against the kernel.
        let err = AvgPool3d::new(3)
            .padding(1)
            .into_layer()
            .apply(&Shape::new(&[1, 1, 2, 8, 8]))
            .unwrap_err();
        assert_eq!(
            err,
            Problem::KernelTooLarge {
                axis: "D",
                kernel: 3,
                input: 2
            }
        );
        // AvgPool2d only needs the padded input to hold the window.
        let (out, _) = AvgPool2d::new(3)
            .padding(1)
            .into_layer()
            .apply(&Shape::new(&[1, 1, 2, 8]))
            .unwrap();
        assert_eq!(out, Shape::new(&[1, 1, 1, 3]));
    }

    #[test]
    fn pool_flops() {
        let x = Shape::new(&[2, 3, 8, 8]);
        let (_, c) = MaxPool2d::new(2).into_layer().apply(&x).unwrap();
        assert_eq!(c.flops, 2 * 3 * 16 * 3);
        let (_, c) = AvgPool2d::new(2).into_layer().apply(&x).unwrap();
        assert_eq!(c.flops, 2 * 3 * 16 * 4);
        let (_, c) = MaxPool2d::new(1).into_layer().apply(&x).unwrap();
        assert_eq!((c.params, c.buffers, c.macs, c.flops), (0, 0, 0, 0));
        // Stride defaults to the kernel size, also per dim after kernel_sizes.
        let (out, _) = AvgPool2d::new(2)
            .kernel_sizes([2, 4])
            .into_layer()
            .apply(&x)
            .unwrap();
        assert_eq!(out, Shape::new(&[2, 3, 4, 2]));
    }

    /// The windows PyTorch's adaptive pooling uses, summed the slow way.
    fn brute_window_total(input: u64, output: u64) -> u64 {
        (0..output)
            .map(|i| {
                let start = i * input / output;
                let end = ((i + 1) * input).div_ceil(output);
                end - start
            })
            .sum()
    }

    #[test]
    fn adaptive_window_total_matches_pytorch_windows() {
        for input in 1..=40 {
            for output in 1..=40 {
                assert_eq!(
                    adaptive_window_total(input, output),
                    Some(brute_window_total(input, output)),
                    "in {input}, out {output}"
                );
            }
        }
        assert_eq!(adaptive_window_total(0, 3), None);
        assert_eq!(adaptive_window_total(u64::MAX, 2), None);
        assert_eq!(adaptive_window_total(1 << 40, 1 << 20), Some(1 << 40));
    }

    #[test]
    fn adaptive_flops_are_exact() {
        // 10 -> 7 and 30 -> 5: windows total 16 and 30 per row/column.
        let x = Shape::new(&[1, 5, 10, 30]);
        let (out, c) = AdaptiveAvgPool2d::new(7, 5).into_layer().apply(&x).unwrap();
        assert_eq!(out, Shape::new(&[1, 5, 7, 5]));
        assert_eq!(c.flops, 5 * 16 * 30);
        let (_, c) = AdaptiveMaxPool2d::new(7, 5).into_layer().apply(&x).unwrap();
        assert_eq!(c.flops, 5 * (16 * 30 - 35));
        // Upsampling (out > in) repeats elements: 3 -> 5 has windows 1,2,1,2,1.
        let (_, c) = AdaptiveAvgPool1d::new(5)
            .into_layer()
            .apply(&Shape::new(&[2, 2, 3]))
            .unwrap();
        assert_eq!(c.flops, 4 * 7);
        let (_, c) = AdaptiveMaxPool1d::new(5)
            .into_layer()
            .apply(&Shape::new(&[2, 2, 3]))
            .unwrap();
        assert_eq!(c.flops, 4 * 2);
        // 3-D: separable windows.
        let (_, c) = AdaptiveAvgPool3d::new(2, 3, 4)
            .into_layer()
            .apply(&Shape::new(&[1, 1, 5, 7, 9]))
            .unwrap();
        assert_eq!(
            c.flops,
            brute_window_total(5, 2) * brute_window_total(7, 3) * brute_window_total(9, 4)
        );
        assert!(AdaptiveAvgPool2d::new(1, 1)
            .into_layer()
            .apply(&Shape::new(&[1, 8, 7]))
            .is_err());
    }
}
