//! RegNetY-800MF, as torchvision's `regnet_y_800mf()`.

use super::squeeze_excitation::{SqueezeChannels, SqueezeExcitation};
use crate::prelude::*;

/// The squeeze-and-excitation widths of a RegNetY block from `W_IN` to `W_OUT` channels:
/// torchvision's `SqueezeExcitation(w_b, round(se_ratio · width_in))` with `se_ratio = 0.25` and
/// a bottleneck multiplier of 1 (`w_b = W_OUT`). RegNet widths are multiples of 8, so the
/// rounding is exact.
pub struct RegNetSqueeze<const W_IN: u64, const W_OUT: u64>;

impl<const W_IN: u64, const W_OUT: u64> SqueezeChannels for RegNetSqueeze<W_IN, W_OUT> {
    const INPUT_CHANNELS: u64 = W_OUT;
    const SQUEEZE_CHANNELS: u64 = W_IN / 4;
}

network! {
    /// torchvision's `BottleneckTransform` of RegNetY with a bottleneck multiplier of 1: a 1×1
    /// convolution to `W_OUT`, a grouped 3×3 convolution with stride `S` (groups of
    /// `GROUP_WIDTH` channels), squeeze-and-excitation, a 1×1 convolution; convolutions without
    /// bias, each followed by BatchNorm, the first two by `ReLU`.
    pub block BottleneckTransform<const W_IN: u64, const W_OUT: u64, const S: u64, const GROUP_WIDTH: u64> {
        a: {
            conv: Conv2d::new(W_OUT, 1).bias(false),
            bn: BatchNorm2d::new(),
            act: ReLU,
        },
        b: {
            conv: Conv2d::new(W_OUT, 3).stride(S).padding(1).groups(W_OUT / GROUP_WIDTH).bias(false),
            bn: BatchNorm2d::new(),
            act: ReLU,
        },
        se: SqueezeExcitation<RegNetSqueeze<W_IN, W_OUT>>,
        c: {
            conv: Conv2d::new(W_OUT, 1).bias(false),
            bn: BatchNorm2d::new(),
        },
    }

    /// The residual bottleneck block of RegNet (Radosavovic et al., "Designing Network Design
    /// Spaces", CVPR 2020, arXiv:2003.13678), as torchvision's `ResBottleneckBlock`:
    /// `relu(proj(x) + f(x))`, the projection (1×1 convolution + BatchNorm) present only when
    /// the width or the resolution changes.
    pub block ResBottleneckBlock<const W_IN: u64, const W_OUT: u64, const S: u64, const GROUP_WIDTH: u64> {
        residual {
            f: BottleneckTransform<W_IN, W_OUT, S, GROUP_WIDTH>,
        } shortcut {
            proj: Projection::conv_bn(W_OUT).stride(S),
        },
        activation: ReLU,
    }

    /// A RegNet stage, as torchvision's `AnyStage`: `DEPTH` [`ResBottleneckBlock`]s to `W_OUT`
    /// channels, the first from `W_IN` channels with stride `S`.
    pub block AnyStage<const W_IN: u64, const W_OUT: u64, const S: u64, const DEPTH: u64, const GROUP_WIDTH: u64> {
        first: ResBottleneckBlock<W_IN, W_OUT, S, GROUP_WIDTH>,
        rest: [ResBottleneckBlock<W_OUT, W_OUT, 1, GROUP_WIDTH>; DEPTH - 1],
    }

    /// RegNetY-800MF (Radosavovic et al., "Designing Network Design Spaces", CVPR 2020,
    /// arXiv:2003.13678), as torchvision's `regnet_y_800mf()`: `depth=14, w_0=56, w_a=38.84,
    /// w_m=2.4, group_width=16, se_ratio=0.25`, which torchvision's `BlockParams` turns into four
    /// stages of 1, 3, 8 and 2 blocks on 64, 144, 320 and 784 channels.
    ///
    /// **6,432,512 params, 833,856,256 MACs** at 3×224×224, batch 1; buffers 30,432
    /// floating-point and 30,479 in all (47 BatchNorms' `num_batches_tracked`): torchvision's
    /// figures, asserted at compile time.
    ///
    /// ```
    /// use nncost::zoo::RegNetY800MF;
    /// assert_eq!(RegNetY800MF::PARAMS, 6_432_512);
    /// assert_eq!(RegNetY800MF::BUFFERS, 30_432);
    /// ```
    #[input(3, 224, 224)]
    pub model RegNetY800MF {
        stem: {
            conv: Conv2d::new(32, 3).stride(2).padding(1).bias(false),
            bn: BatchNorm2d::new(),
            act: ReLU,
        },
        trunk_output: {
            //               W_IN, W_OUT, S, DEPTH, GROUP_WIDTH
            block1: AnyStage<  32,    64, 2,     1, 16>,
            block2: AnyStage<  64,   144, 2,     3, 16>,
            block3: AnyStage< 144,   320, 2,     8, 16>,
            block4: AnyStage< 320,   784, 2,     2, 16>,
        },
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }
}

crate::const_assert!(RegNetY800MF::PARAMS == 6_432_512);
crate::const_assert!(RegNetY800MF::MACS == 833_856_256);
crate::const_assert!(RegNetY800MF::BUFFERS == 30_432);
crate::const_assert!(RegNetY800MF::ALL_BUFFERS == 30_479);
crate::const_assert!(super::imagenet_logits(RegNetY800MF::OUTPUT_SHAPE));
