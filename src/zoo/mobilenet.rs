//! MobileNetV2, as torchvision's `mobilenet_v2()`, and the inverted residual block it shares
//! with MnasNet.

use super::make_divisible;
use crate::prelude::*;

/// The channel count of the head: `_make_divisible(1280 · max(1, width), 8)` (torchvision
/// widens the head only for width multipliers above 1).
const fn last_channel(width_pct: u64) -> u64 {
    let width_pct = if width_pct > 100 { width_pct } else { 100 };
    make_divisible(1280, width_pct, 8)
}

network! {
    /// The layers of an inverted residual: a 1×1 expansion to `T` times the input channels
    /// (skipped when `T` is 1), a depthwise `K`×`K` convolution with stride `S`, and a linear
    /// 1×1 projection to `OUT` channels, each convolution without bias and followed by
    /// BatchNorm, the first two by the activation `Act` (`ReLU6` in MobileNetV2, `ReLU` in
    /// MnasNet).
    ///
    /// `IN` and `OUT` are the channel counts at width 100%; every count is scaled by
    /// `WIDTH_PCT` and rounded with [`make_divisible`]`(c, WIDTH_PCT, 8)`, as torchvision does.
    /// The expansion and the depthwise convolution take their widths from the input
    /// (`Conv2d::ratio(T, 1, 1)`, `Conv2d::depthwise(K)`), which is already scaled.
    pub block InvertedBody<
        Act: ModelCost,
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
        const WIDTH_PCT: u64,
    > {
        if T != 1 {
            expand: Conv2d::ratio(T, 1, 1).bias(false),
            expand_bn: BatchNorm2d::new(),
            expand_act: Act,
        },
        depthwise: Conv2d::depthwise(K).stride(S).padding(K / 2).bias(false),
        depthwise_bn: BatchNorm2d::new(),
        depthwise_act: Act,
        project: Conv2d::new(make_divisible(OUT, WIDTH_PCT, 8), 1).bias(false),
        project_bn: BatchNorm2d::new(),
    }

    /// The inverted residual with linear bottleneck of Sandler et al., "MobileNetV2: Inverted
    /// Residuals and Linear Bottlenecks" (CVPR 2018, arXiv:1801.04381), which MnasNet reuses
    /// (Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile",
    /// CVPR 2019, arXiv:1807.11626): an [`InvertedBody`], with a residual connection when the
    /// stride is 1 and the (scaled) channel count is kept, as torchvision's `InvertedResidual`
    /// and `_InvertedResidual`.
    ///
    /// Parameters: activation `Act`, channels `IN → OUT` (at width 100%), depthwise kernel
    /// `K`, stride `S`, expansion `T`, width multiplier `WIDTH_PCT` in percent.
    pub block InvertedResidual<
        Act: ModelCost,
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
        const WIDTH_PCT: u64,
    > {
        if S == 1 && make_divisible(IN, WIDTH_PCT, 8) == make_divisible(OUT, WIDTH_PCT, 8) {
            residual {
                conv: InvertedBody<Act, IN, OUT, K, S, T, WIDTH_PCT>,
            },
        } else {
            conv: InvertedBody<Act, IN, OUT, K, S, T, WIDTH_PCT>,
        },
    }

    /// A stage of `N` [`InvertedResidual`]s from `IN` to `OUT` channels, the first with stride
    /// `S`, the rest with stride 1 (a row of MobileNetV2's `inverted_residual_setting`, or
    /// MnasNet's `_stack(IN, OUT, K, S, T, N)`).
    pub block InvertedStage<
        Act: ModelCost,
        const IN: u64,
        const OUT: u64,
        const K: u64,
        const S: u64,
        const T: u64,
        const N: u64,
        const WIDTH_PCT: u64,
    > {
        first: InvertedResidual<Act, IN, OUT, K, S, T, WIDTH_PCT>,
        rest: [InvertedResidual<Act, OUT, OUT, K, 1, T, WIDTH_PCT>; N - 1],
    }

    /// MobileNetV2 at any width and resolution: Sandler et al., "MobileNetV2: Inverted Residuals
    /// and Linear Bottlenecks" (CVPR 2018, arXiv:1801.04381), as torchvision's
    /// `mobilenet_v2(width_mult)`, on 3×`RESOLUTION`×`RESOLUTION` images.
    ///
    /// `WIDTH_PCT` is the width multiplier in percent (`75` for 0.75): every channel count
    /// becomes [`make_divisible`]`(c, WIDTH_PCT, 8)`, and the 1280-channel head widens only
    /// above 100%, as in torchvision. The defaults, `MobileNetV2Scaled<100, 224>`, are
    /// torchvision's `mobilenet_v2()`, also available as the plain type [`MobileNetV2`]:
    /// **3,504,872 params, 300,774,272 MACs** at 3×224×224, batch 1.
    ///
    /// ```
    /// use nncost::zoo::MobileNetV2Scaled;
    /// assert_eq!(<MobileNetV2Scaled>::PARAMS, 3_504_872);
    /// // mobilenet_v2(width_mult=0.5) at 160×160, the layers torchvision builds:
    /// assert_eq!(MobileNetV2Scaled::<50, 160>::PARAMS, 1_968_680);
    /// assert_eq!(MobileNetV2Scaled::<50, 160>::MACS, 50_184_000);
    /// ```
    #[input(3, RESOLUTION, RESOLUTION)]
    pub model MobileNetV2Scaled<const WIDTH_PCT: u64 = 100, const RESOLUTION: u64 = 224> {
        stem: Conv2d::new(make_divisible(32, WIDTH_PCT, 8), 3)
            .stride(2)
            .padding(1)
            .bias(false),
        stem_bn: BatchNorm2d::new(),
        stem_act: ReLU6,
        //            act,  in, out, k, s, t, n
        stage1: InvertedStage<ReLU6, 32, 16, 3, 1, 1, 1, WIDTH_PCT>,
        stage2: InvertedStage<ReLU6, 16, 24, 3, 2, 6, 2, WIDTH_PCT>,
        stage3: InvertedStage<ReLU6, 24, 32, 3, 2, 6, 3, WIDTH_PCT>,
        stage4: InvertedStage<ReLU6, 32, 64, 3, 2, 6, 4, WIDTH_PCT>,
        stage5: InvertedStage<ReLU6, 64, 96, 3, 1, 6, 3, WIDTH_PCT>,
        stage6: InvertedStage<ReLU6, 96, 160, 3, 2, 6, 3, WIDTH_PCT>,
        stage7: InvertedStage<ReLU6, 160, 320, 3, 1, 6, 1, WIDTH_PCT>,
        head: Conv2d::new(last_channel(WIDTH_PCT), 1).bias(false),
        head_bn: BatchNorm2d::new(),
        head_act: ReLU6,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        classifier: {
            dropout: Dropout::new(0.2),
            fc: Linear::new(1000),
        },
    }
}

/// MobileNetV2 (Sandler et al., CVPR 2018) as torchvision's `mobilenet_v2()`: width 1.0 at
/// 224×224, **3,504,872 params, 300,774,272 MACs** (batch 1; asserted at compile time).
/// [`MobileNetV2Scaled`] takes other widths and resolutions.
///
/// ```
/// use nncost::zoo::MobileNetV2;
/// assert_eq!(MobileNetV2::PARAMS, 3_504_872);
/// assert_eq!(MobileNetV2::MACS, 300_774_272);
/// ```
pub type MobileNetV2 = MobileNetV2Scaled<100, 224>;

crate::const_assert!(MobileNetV2::PARAMS == 3_504_872);
crate::const_assert!(MobileNetV2::MACS == 300_774_272);
crate::const_assert!(MobileNetV2::BUFFERS == 34_112);
crate::const_assert!(MobileNetV2::ALL_BUFFERS == 34_164);
crate::const_assert!(super::imagenet_logits(MobileNetV2::OUTPUT_SHAPE));
