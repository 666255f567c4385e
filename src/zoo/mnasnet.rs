//! MnasNet 1.0, as torchvision builds it (`torchvision.models.mnasnet`): the classifier
//! `mnasnet1_0()`, its inverted residual and its stacks, with torchvision's layer paths
//! (`layers.3`, `layers.8.0.layers.3`, `classifier.1`).

use crate::prelude::*;

network! {
    /// The layers of MnasNet's inverted residual, torchvision's `_InvertedResidual.layers`,
    /// numbered as its `nn.Sequential`: a 1×1 expansion to `IN · T` channels (`0`), BatchNorm
    /// (`1`), `ReLU` (`2`); a depthwise `K`×`K` convolution with stride `S` and padding `K / 2`
    /// (`3`), BatchNorm (`4`), `ReLU` (`5`); a linear 1×1 projection to `OUT` channels (`6`)
    /// and BatchNorm (`7`). No convolution has a bias; the expansion is there even when `T` is
    /// 1 (unlike MobileNetV2's).
    pub block MnasNetInvertedResidualLayers<
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
    > {
        _: (
            Conv2d::new(IN * T, 1).in_channels(IN).bias(false),
            BatchNorm2d,
            ReLU,
            Conv2d::new(IN * T, K).padding(K / 2).stride(S).groups(IN * T).bias(false),
            BatchNorm2d,
            ReLU,
            Conv2d::new(OUT, 1).bias(false),
            BatchNorm2d,
        ),
    }

    /// MnasNet's inverted residual, torchvision's `_InvertedResidual(IN, OUT, K, S, T)` (Tan et
    /// al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile", CVPR 2019,
    /// arXiv:1807.11626): [`MnasNetInvertedResidualLayers`] as `layers`, plus the input when
    /// the stride is 1 and the channels are kept.
    pub block MnasNetInvertedResidual<
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
    > {
        if S == 1 && IN == OUT {
            residual {
                layers: MnasNetInvertedResidualLayers<IN, OUT, K, S, T>,
            },
        } else {
            layers: MnasNetInvertedResidualLayers<IN, OUT, K, S, T>,
        },
    }

    /// A stack of `N` [`MnasNetInvertedResidual`]s, torchvision's `_stack(IN, OUT, K, S, T,
    /// N)`: the first from `IN` to `OUT` channels with stride `S`, the rest from `OUT` with
    /// stride 1, numbered `0` to `N - 1` as the `nn.Sequential` it returns.
    pub block MnasNetStack<
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
        const N: u64,
    > {
        _: (
            MnasNetInvertedResidual<IN, OUT, K, S, T>,
            ..[MnasNetInvertedResidual<OUT, OUT, K, 1, T>; N - 1]
        ),
    }

    /// MnasNet-A1 without squeeze-and-excitation, depth multiplier 1.0: Tan et al., "MnasNet:
    /// Platform-Aware Neural Architecture Search for Mobile" (CVPR 2019, arXiv:1807.11626), as
    /// torchvision's `mnasnet1_0()`.
    ///
    /// The layout is torchvision's: `layers` is one `nn.Sequential` of 17 modules — a 3×3
    /// convolution with stride 2 (`0`..`2`), a depthwise separable 3×3 convolution to 16
    /// channels (`3`..`7`), six [`MnasNetStack`]s (`8`..`13`) and a 1×1 convolution to 1280
    /// channels (`14`..`16`) — then `x.mean([2, 3])` (an average pool to 1×1 and a flatten,
    /// grouped as `mean`) and `classifier.0`, `classifier.1`.
    ///
    /// **4,383,312 params, 314,415,872 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time).
    #[input(3, 224, 224)]
    pub model MnasNet1_0 {
        layers: {
            0: Conv2d::new(32, 3).padding(1).stride(2).bias(false),
            1: BatchNorm2d,
            2: ReLU,
            3: Conv2d::new(32, 3).padding(1).groups(32).bias(false),
            4: BatchNorm2d,
            5: ReLU,
            6: Conv2d::new(16, 1).bias(false),
            7: BatchNorm2d,
            //               in, out, k, s, t, n
            8: MnasNetStack<  16,  24, 3, 2, 3, 3>,
            9: MnasNetStack<  24,  40, 5, 2, 3, 3>,
            10: MnasNetStack< 40,  80, 5, 2, 6, 3>,
            11: MnasNetStack< 80,  96, 3, 1, 6, 2>,
            12: MnasNetStack< 96, 192, 5, 2, 6, 4>,
            13: MnasNetStack<192, 320, 3, 1, 6, 1>,
            14: Conv2d::new(1280, 1).bias(false),
            15: BatchNorm2d,
            16: ReLU,
        },
        mean: {
            avgpool: AdaptiveAvgPool2d::new(1, 1),
            flatten: Flatten,
        },
        classifier: (Dropout::new(0.2), Linear::new(1000)),
    }
}

crate::const_assert!(MnasNet1_0::PARAMS == 4_383_312);
crate::const_assert!(MnasNet1_0::MACS == 314_415_872);
crate::const_assert!(MnasNet1_0::BUFFERS == 37_920);
crate::const_assert!(MnasNet1_0::ALL_BUFFERS == 37_972);
crate::const_assert!(super::imagenet_logits(MnasNet1_0::OUTPUT_SHAPE));
