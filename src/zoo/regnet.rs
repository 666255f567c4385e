//! RegNetY-800MF, as torchvision's `regnet_y_800mf()`.

use super::conv_norm_activation::Conv2dNormActivation;
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
    /// RegNet's stem, torchvision's `SimpleStemIN`: a `Conv2dNormActivation` with a 3×3
    /// convolution of stride 2 to `W_OUT` channels, BatchNorm and `ReLU` (`0`, `1`, `2`).
    pub block SimpleStemIN<const W_OUT: u64> {
        _: Conv2dNormActivation<ReLU, W_OUT, 3, 2>,
    }

    /// torchvision's `BottleneckTransform` of RegNetY with a bottleneck multiplier of 1: `a`, a
    /// 1×1 convolution to `W_OUT`; `b`, a grouped 3×3 convolution with stride `S` (groups of
    /// `GROUP_WIDTH` channels); `se`, squeeze-and-excitation; `c`, a 1×1 convolution. Each is
    /// a `Conv2dNormActivation` (`0`, `1`, `2`): convolution without bias, BatchNorm, and `ReLU`
    /// but in `c`.
    pub block BottleneckTransform<const W_IN: u64, const W_OUT: u64, const S: u64, const GROUP_WIDTH: u64> {
        a: Conv2dNormActivation<ReLU, W_OUT, 1>,
        b: (
            Conv2d::new(W_OUT, 3).stride(S).padding(1).groups(W_OUT / GROUP_WIDTH).bias(false),
            BatchNorm2d,
            ReLU,
        ),
        se: SqueezeExcitation<RegNetSqueeze<W_IN, W_OUT>>,
        c: (Conv2d::new(W_OUT, 1).bias(false), BatchNorm2d),
    }

    /// The residual bottleneck block of RegNet (Radosavovic et al., "Designing Network Design
    /// Spaces", CVPR 2020, arXiv:2003.13678), as torchvision's `ResBottleneckBlock`:
    /// `activation(proj(x) + f(x))` when the width or the resolution changes, `proj` a 1×1
    /// convolution with stride `S` and BatchNorm (`proj.0`, `proj.1`), else
    /// `activation(x + f(x))`. `proj` runs before `f`, as in torchvision's `forward`.
    pub block ResBottleneckBlock<const W_IN: u64, const W_OUT: u64, const S: u64, const GROUP_WIDTH: u64> {
        if W_IN != W_OUT || S != 1 {
            add {
                proj: (Conv2d::new(W_OUT, 1).stride(S).bias(false), BatchNorm2d),
                f: BottleneckTransform<W_IN, W_OUT, S, GROUP_WIDTH>,
            },
        } else {
            residual {
                f: BottleneckTransform<W_IN, W_OUT, S, GROUP_WIDTH>,
            },
        },
        activation: ReLU,
    }

    /// A RegNet stage, as torchvision's `AnyStage`: `DEPTH` [`ResBottleneckBlock`]s to `W_OUT`
    /// channels, the first from `W_IN` channels with stride `S`, numbered `0` to `DEPTH - 1`.
    ///
    /// torchvision names them `block{stage}-{i}` (`block2-0`), a name that carries the
    /// stage's index, which a generic block cannot spell; [`RegNetY800MF`] writes its stages
    /// out with those names (`"block2-0": ..`). This block is for RegNets of your own, and
    /// costs the same:
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::{AnyStage, RegNetY800MF, SimpleStemIN};
    /// network! {
    ///     #[input(3, 224, 224)]
    ///     model RegNet {
    ///         stem: SimpleStemIN<32>,
    ///         trunk_output: {
    ///             //               W_IN, W_OUT, S, DEPTH, GROUP_WIDTH
    ///             block1: AnyStage<  32,    64, 2,     1, 16>,
    ///             block2: AnyStage<  64,   144, 2,     3, 16>,
    ///             block3: AnyStage< 144,   320, 2,     8, 16>,
    ///             block4: AnyStage< 320,   784, 2,     2, 16>,
    ///         },
    ///         avgpool: AdaptiveAvgPool2d::new(1, 1),
    ///         flatten: Flatten,
    ///         fc: Linear::new(1000),
    ///     }
    /// }
    /// assert_eq!(RegNet::REPORT.cost, RegNetY800MF::REPORT.cost);
    /// assert_eq!(RegNet::REPORT.memory, RegNetY800MF::REPORT.memory);
    /// ```
    pub block AnyStage<const W_IN: u64, const W_OUT: u64, const S: u64, const DEPTH: u64, const GROUP_WIDTH: u64> {
        _: (
            ResBottleneckBlock<W_IN, W_OUT, S, GROUP_WIDTH>,
            ..[ResBottleneckBlock<W_OUT, W_OUT, 1, GROUP_WIDTH>; DEPTH - 1]
        ),
    }

    /// RegNetY-800MF (Radosavovic et al., "Designing Network Design Spaces", CVPR 2020,
    /// arXiv:2003.13678), as torchvision's `regnet_y_800mf()`: `depth=14, w_0=56, w_a=38.84,
    /// w_m=2.4, group_width=16, se_ratio=0.25`, which torchvision's `BlockParams` turns into four
    /// stages of 1, 3, 8 and 2 blocks on 64, 144, 320 and 784 channels.
    ///
    /// The paths are torchvision's (`stem.0`, `trunk_output.block2.block2-0.f.se.fc1`, `fc`),
    /// its blocks named by strings (`"block2-0": ..`); `flatten` stands for its
    /// `x.flatten(start_dim=1)`.
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
        stem: SimpleStemIN<32>,
        trunk_output: {
            //                           W_IN, W_OUT, S, GROUP_WIDTH
            block1: {
                "block1-0": ResBottleneckBlock<  32,    64, 2, 16>,
            },
            block2: {
                "block2-0": ResBottleneckBlock<  64,   144, 2, 16>,
                "block2-1": ResBottleneckBlock< 144,   144, 1, 16>,
                "block2-2": ResBottleneckBlock< 144,   144, 1, 16>,
            },
            block3: {
                "block3-0": ResBottleneckBlock< 144,   320, 2, 16>,
                "block3-1": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-2": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-3": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-4": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-5": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-6": ResBottleneckBlock< 320,   320, 1, 16>,
                "block3-7": ResBottleneckBlock< 320,   320, 1, 16>,
            },
            block4: {
                "block4-0": ResBottleneckBlock< 320,   784, 2, 16>,
                "block4-1": ResBottleneckBlock< 784,   784, 1, 16>,
            },
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
