//! MobileNetV2, as torchvision builds it (`torchvision.models.mobilenetv2`): the classifier
//! `mobilenet_v2(width_mult)` at any width and resolution, and its inverted residual, with
//! torchvision's layer paths (`features.0.0`, `features.2.conv.1.0`, `features.2.conv.3`,
//! `classifier.1`).

use super::conv_norm_activation::DepthwiseConv2dNormActivation;
use super::make_divisible;
use crate::prelude::*;

/// The channel count of the head: `_make_divisible(1280 · max(1, width), 8)` (torchvision
/// widens the head only for width multipliers above 1).
const fn last_channel(width_pct: u64) -> u64 {
    let width_pct = if width_pct > 100 { width_pct } else { 100 };
    make_divisible(1280, width_pct, 8)
}

network! {
    /// The layers of an inverted residual, torchvision's `InvertedResidual.conv`, numbered as
    /// its `nn.Sequential`: a 1×1 expansion to `T` times the input channels
    /// (`Conv2dNormActivation(inp, hidden_dim, kernel_size=1)`, `0.0`..`0.2`; left out when `T`
    /// is 1), a depthwise `K`×`K` convolution with stride `S`
    /// ([`DepthwiseConv2dNormActivation`]), and a linear 1×1 projection to `OUT` channels and
    /// its BatchNorm; every convolution without bias, the first two followed by BatchNorm and
    /// the activation `Act` (`ReLU6` in MobileNetV2).
    ///
    /// `IN` and `OUT` are the channel counts at width 100%; every count is scaled by
    /// `WIDTH_PCT` and rounded with [`make_divisible`]`(c, WIDTH_PCT, 8)`, as torchvision does.
    /// The expansion and the depthwise convolution take their widths from the input
    /// (`Conv2d::ratio(T, 1, 1)`, `Conv2d::depthwise(K)`), which is already scaled.
    ///
    /// torchvision numbers the modules present (`conv.0` is the depthwise convolution when
    /// there is no expansion); a tuple cannot leave an element out, so both are spelt out.
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
            _: (
                (Conv2d::ratio(T, 1, 1).bias(false), BatchNorm2d, Act),
                DepthwiseConv2dNormActivation<Act, K, S, 1>,
                Conv2d::new(make_divisible(OUT, WIDTH_PCT, 8), 1).bias(false),
                BatchNorm2d,
            ),
        } else {
            _: (
                DepthwiseConv2dNormActivation<Act, K, S, 1>,
                Conv2d::new(make_divisible(OUT, WIDTH_PCT, 8), 1).bias(false),
                BatchNorm2d,
            ),
        },
    }

    /// The inverted residual with linear bottleneck of Sandler et al., "MobileNetV2: Inverted
    /// Residuals and Linear Bottlenecks" (CVPR 2018, arXiv:1801.04381), as torchvision's
    /// `InvertedResidual(inp, oup, stride, expand_ratio)`: an [`InvertedBody`] as `conv`,
    /// plus the input when the stride is 1 and the (scaled) channel count is kept.
    ///
    /// Parameters: activation `Act` (`ReLU6`), channels `IN → OUT` (at width 100%), depthwise
    /// kernel `K` (3), stride `S`, expansion `T`, width multiplier `WIDTH_PCT` in percent.
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
    /// `S`, the rest with stride 1, numbered `0` to `N - 1`: a row `t, c, n, s` of
    /// torchvision's `inverted_residual_setting`, for building variants. (torchvision's
    /// `features` lists the blocks of all rows in one `nn.Sequential`, and so does
    /// [`MobileNetV2Scaled`].)
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::InvertedStage;
    /// network! {
    ///     // mobilenet_v2()'s features.4 to features.6 (t, c, n, s = 6, 32, 3, 2) as `stage.0`
    ///     // to `stage.2`: the first widens 24 → 144 → 32 channels, the others 32 → 192 → 32.
    ///     #[input(24, 56, 56)]
    ///     model Stage { stage: InvertedStage<ReLU6, 24, 32, 3, 2, 6, 3, 100> }
    /// }
    /// let first = (24 * 144 + 2 * 144) + (144 * 9 + 2 * 144) + (144 * 32 + 2 * 32);
    /// let other = (32 * 192 + 2 * 192) + (192 * 9 + 2 * 192) + (192 * 32 + 2 * 32);
    /// assert_eq!(Stage::PARAMS, first + 2 * other);
    /// assert_eq!(Stage::OUTPUT_SHAPE, Shape::new(&[1, 32, 28, 28]));
    /// ```
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
        _: (
            InvertedResidual<Act, IN, OUT, K, S, T, WIDTH_PCT>,
            ..[InvertedResidual<Act, OUT, OUT, K, 1, T, WIDTH_PCT>; N - 1]
        ),
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
    /// The layout is torchvision's: `features.0` and `features.18` are `Conv2dNormActivation`s
    /// (convolution, BatchNorm, `ReLU6`; written as tuples here, their widths depending on
    /// `WIDTH_PCT`), `features.1` to `features.17` the [`InvertedResidual`]s of the seven rows
    /// of `inverted_residual_setting`, then the functions the forward calls
    /// (`adaptive_avg_pool2d`, `flatten`) and `classifier.0`, `classifier.1`.
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
        features: {
            0: (
                Conv2d::new(make_divisible(32, WIDTH_PCT, 8), 3).stride(2).padding(1).bias(false),
                BatchNorm2d,
                ReLU6,
            ),
            //                    act,    in, out, k, s, t    (t, c, n, s)
            1: InvertedResidual<ReLU6,  32,  16, 3, 1, 1, WIDTH_PCT>, // 1,  16, 1, 1
            2: InvertedResidual<ReLU6,  16,  24, 3, 2, 6, WIDTH_PCT>, // 6,  24, 2, 2
            3: InvertedResidual<ReLU6,  24,  24, 3, 1, 6, WIDTH_PCT>,
            4: InvertedResidual<ReLU6,  24,  32, 3, 2, 6, WIDTH_PCT>, // 6,  32, 3, 2
            5: InvertedResidual<ReLU6,  32,  32, 3, 1, 6, WIDTH_PCT>,
            6: InvertedResidual<ReLU6,  32,  32, 3, 1, 6, WIDTH_PCT>,
            7: InvertedResidual<ReLU6,  32,  64, 3, 2, 6, WIDTH_PCT>, // 6,  64, 4, 2
            8: InvertedResidual<ReLU6,  64,  64, 3, 1, 6, WIDTH_PCT>,
            9: InvertedResidual<ReLU6,  64,  64, 3, 1, 6, WIDTH_PCT>,
            10: InvertedResidual<ReLU6, 64,  64, 3, 1, 6, WIDTH_PCT>,
            11: InvertedResidual<ReLU6, 64,  96, 3, 1, 6, WIDTH_PCT>, // 6,  96, 3, 1
            12: InvertedResidual<ReLU6, 96,  96, 3, 1, 6, WIDTH_PCT>,
            13: InvertedResidual<ReLU6, 96,  96, 3, 1, 6, WIDTH_PCT>,
            14: InvertedResidual<ReLU6, 96, 160, 3, 2, 6, WIDTH_PCT>, // 6, 160, 3, 2
            15: InvertedResidual<ReLU6, 160, 160, 3, 1, 6, WIDTH_PCT>,
            16: InvertedResidual<ReLU6, 160, 160, 3, 1, 6, WIDTH_PCT>,
            17: InvertedResidual<ReLU6, 160, 320, 3, 1, 6, WIDTH_PCT>, // 6, 320, 1, 1
            18: (Conv2d::new(last_channel(WIDTH_PCT), 1).bias(false), BatchNorm2d, ReLU6),
        },
        adaptive_avg_pool2d: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        classifier: (Dropout::new(0.2), Linear::new(1000)),
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
