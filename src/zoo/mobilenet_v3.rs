//! MobileNetV3-Large as torchvision builds it (`torchvision.models.mobilenetv3`): the
//! classifier `mobilenet_v3_large()`, its `features` (reusable as a backbone, dilated or not),
//! and its building blocks.

use super::conv_norm_activation::{Conv2dNormActivation, DepthwiseConv2dNormActivation};
use super::make_divisible;
use super::squeeze_excitation::{SqueezeChannels, SqueezeExcitation};
use crate::prelude::*;

/// The squeeze-and-excitation widths of a MobileNetV3 block with `EXP` expanded channels:
/// torchvision's `SqueezeExcitation(expanded, _make_divisible(expanded // 4, 8))`.
///
/// ```
/// use nncost::zoo::{MobileNetV3Squeeze, SqueezeChannels};
/// // 72 // 4 = 18, which `_make_divisible` rounds to 16, then (more than 10% lost) to 24.
/// assert_eq!(<MobileNetV3Squeeze<72>>::SQUEEZE_CHANNELS, 24);
/// assert_eq!(<MobileNetV3Squeeze<960>>::SQUEEZE_CHANNELS, 240);
/// ```
pub struct MobileNetV3Squeeze<const EXP: u64>;

impl<const EXP: u64> SqueezeChannels for MobileNetV3Squeeze<EXP> {
    const INPUT_CHANNELS: u64 = EXP;
    const SQUEEZE_CHANNELS: u64 = make_divisible(EXP / 4, 100, 8);
}

network! {
    /// The layers of a MobileNetV3 block (torchvision's `InvertedResidual.block`): a 1×1
    /// expansion to `EXP` channels (only when `EXP` differs from `IN`), the depthwise `K`×`K`
    /// convolution, squeeze-and-excitation with a `Hardsigmoid` gate (if `SE`), and a 1×1
    /// projection to `OUT` channels with BatchNorm and no activation; the first two activated
    /// by `Act` (`ReLU` or `Hardswish`).
    ///
    /// torchvision numbers the modules present (`block.0` is the depthwise convolution when
    /// there is no expansion); a tuple cannot leave an element out, so each combination is
    /// spelt out.
    pub block InvertedResidualV3Layers<
        Act: ModelCost,
        const IN: u64,
        const K: u64,
        const EXP: u64,
        const OUT: u64,
        const SE: bool,
        const S: u64,
        const D: u64,
    > {
        if EXP != IN && SE {
            _: (
                Conv2dNormActivation<Act, EXP, 1>,
                DepthwiseConv2dNormActivation<Act, K, S, D>,
                SqueezeExcitation<MobileNetV3Squeeze<EXP>, ReLU, Hardsigmoid>,
                (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),
            ),
        } else if EXP != IN {
            _: (
                Conv2dNormActivation<Act, EXP, 1>,
                DepthwiseConv2dNormActivation<Act, K, S, D>,
                (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),
            ),
        } else if SE {
            _: (
                DepthwiseConv2dNormActivation<Act, K, S, D>,
                SqueezeExcitation<MobileNetV3Squeeze<EXP>, ReLU, Hardsigmoid>,
                (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),
            ),
        } else {
            _: (
                DepthwiseConv2dNormActivation<Act, K, S, D>,
                (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),
            ),
        },
    }

    /// The block of Howard et al., "Searching for MobileNetV3" (ICCV 2019, arXiv:1905.02244),
    /// as torchvision's `mobilenetv3.InvertedResidual`: [`InvertedResidualV3Layers`] as
    /// `block`, plus the input when the configured stride is 1 and the channels are kept.
    ///
    /// Parameters are a row of torchvision's `InvertedResidualConfig` (width 1.0): activation
    /// (`ReLU` for `"RE"`, `Hardswish` for `"HS"`), input channels, kernel, expanded channels,
    /// output channels, squeeze-and-excitation, stride, dilation.
    pub block InvertedResidualV3<
        Act: ModelCost,
        const IN: u64,
        const K: u64,
        const EXP: u64,
        const OUT: u64,
        const SE: bool,
        const S: u64,
        const D: u64,
    > {
        if S == 1 && IN == OUT {
            residual {
                block: InvertedResidualV3Layers<Act, IN, K, EXP, OUT, SE, S, D>,
            },
        } else {
            block: InvertedResidualV3Layers<Act, IN, K, EXP, OUT, SE, S, D>,
        },
    }

    /// MobileNetV3-Large's feature extractor, torchvision's `mobilenet_v3_large().features`
    /// (Howard et al., "Searching for MobileNetV3", ICCV 2019, arXiv:1905.02244): a 3×3
    /// stride-2 `Conv2dNormActivation` to 16 channels, fifteen [`InvertedResidualV3`] blocks
    /// (the rows of `_mobilenet_v3_conf("mobilenet_v3_large")`), and a 1×1 convolution to 960
    /// channels, 17 modules in all.
    ///
    /// `DILATION` is the dilation of the last three blocks: 1 for the classifier's backbone,
    /// 2 for `dilated=True` (segmentation), where those blocks keep the resolution (output
    /// stride 16 instead of 32).
    ///
    /// torchvision's `features.N` are numbered entries, `features.4` as in its paths. The
    /// outputs are the last module's and `4`'s (output stride 8, the `C2` of torchvision's
    /// `_deeplabv3_mobilenetv3`, where the auxiliary head reads), which a sequence of numbered
    /// elements cannot give.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::MobileNetV3LargeFeatures;
    /// network! {
    ///     #[input(3, 224, 224)]
    ///     model Backbone -> (features, features.4 as c2) { features: MobileNetV3LargeFeatures }
    /// }
    /// assert_eq!(Backbone::OUTPUT_SHAPE, Shape::new(&[1, 960, 7, 7]));
    /// assert_eq!(Backbone::OUTPUT_SHAPES.get("c2"), Some(Shape::new(&[1, 40, 28, 28])));
    /// ```
    pub block MobileNetV3LargeFeatures<const DILATION: u64 = 1> -> (16, 4) {
        0: Conv2dNormActivation<Hardswish, 16, 3, 2>,
        //                      act,       in,  k, exp, out,   se,   s, dilation
        1: InvertedResidualV3<ReLU,       16,  3,  16,  16, false, 1, 1>,
        2: InvertedResidualV3<ReLU,       16,  3,  64,  24, false, 2, 1>,
        3: InvertedResidualV3<ReLU,       24,  3,  72,  24, false, 1, 1>,
        4: InvertedResidualV3<ReLU,       24,  5,  72,  40, true,  2, 1>,
        5: InvertedResidualV3<ReLU,       40,  5, 120,  40, true,  1, 1>,
        6: InvertedResidualV3<ReLU,       40,  5, 120,  40, true,  1, 1>,
        7: InvertedResidualV3<Hardswish,  40,  3, 240,  80, false, 2, 1>,
        8: InvertedResidualV3<Hardswish,  80,  3, 200,  80, false, 1, 1>,
        9: InvertedResidualV3<Hardswish,  80,  3, 184,  80, false, 1, 1>,
        10: InvertedResidualV3<Hardswish, 80,  3, 184,  80, false, 1, 1>,
        11: InvertedResidualV3<Hardswish, 80,  3, 480, 112, true,  1, 1>,
        12: InvertedResidualV3<Hardswish, 112, 3, 672, 112, true,  1, 1>,
        13: InvertedResidualV3<Hardswish, 112, 5, 672, 160, true,  2, DILATION>,
        14: InvertedResidualV3<Hardswish, 160, 5, 960, 160, true,  1, DILATION>,
        15: InvertedResidualV3<Hardswish, 160, 5, 960, 160, true,  1, DILATION>,
        16: Conv2dNormActivation<Hardswish, 960, 1>,
    }

    /// MobileNetV3-Large: Howard et al., "Searching for MobileNetV3" (ICCV 2019,
    /// arXiv:1905.02244), as torchvision's `mobilenet_v3_large()`: [`MobileNetV3LargeFeatures`]
    /// as `features`, a global average pool, and the classifier (`Linear` to 1280,
    /// `Hardswish`, `Dropout(0.2)`, `Linear` to 1000; `classifier.0`..`classifier.3`).
    ///
    /// **5,483,032 params, 216,589,760 MACs** at 3×224×224, batch 1; buffers 24,400
    /// floating-point and 24,446 in all (46 BatchNorms' `num_batches_tracked`), asserted at
    /// compile time. The parameters are torchvision's (its weights' `num_params`); the MACs
    /// are `FlopCounterMode` / 2 on torchvision 0.29 (its docs round them to "0.22 GFLOPS").
    ///
    /// ```
    /// use nncost::zoo::MobileNetV3Large;
    /// assert_eq!(MobileNetV3Large::PARAMS, 5_483_032);
    /// assert_eq!(MobileNetV3Large::MACS, 216_589_760);
    /// ```
    #[input(3, 224, 224)]
    pub model MobileNetV3Large {
        features: MobileNetV3LargeFeatures,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        classifier: (Linear::new(1280), Hardswish, Dropout::new(0.2), Linear::new(1000)),
    }
}

crate::const_assert!(MobileNetV3Large::PARAMS == 5_483_032);
crate::const_assert!(MobileNetV3Large::MACS == 216_589_760);
crate::const_assert!(MobileNetV3Large::BUFFERS == 24_400);
crate::const_assert!(MobileNetV3Large::ALL_BUFFERS == 24_446);
crate::const_assert!(super::imagenet_logits(MobileNetV3Large::OUTPUT_SHAPE));
