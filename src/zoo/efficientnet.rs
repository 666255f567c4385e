//! EfficientNetV2-S, as torchvision's `efficientnet_v2_s()`.

use super::conv_norm_activation::{Conv2dNormActivation, DepthwiseConv2dNormActivation};
use super::squeeze_excitation::{SqueezeChannels, SqueezeExcitation};
use crate::prelude::*;

/// The squeeze-and-excitation widths of an [`MBConv`] with `IN` input channels and expansion
/// `T`: torchvision's `SqueezeExcitation(expanded_channels, max(1, input_channels // 4))`, the
/// squeeze taken from the block's input, not from the expanded width.
pub struct MBConvSqueeze<const IN: u64, const T: u64>;

impl<const IN: u64, const T: u64> SqueezeChannels for MBConvSqueeze<IN, T> {
    const INPUT_CHANNELS: u64 = IN * T;
    const SQUEEZE_CHANNELS: u64 = if IN / 4 > 1 { IN / 4 } else { 1 };
}

network! {
    /// The layers of torchvision's `MBConv` (its `block`, an `nn.Sequential` numbered as
    /// torchvision numbers it): a 1×1 expansion to `T` times the input channels (left out when
    /// `T` is 1, and the rest numbered from `0`), a depthwise `K`×`K` convolution with stride
    /// `S`, squeeze-and-excitation, and a 1×1 projection to `OUT` channels; each convolution
    /// without bias and followed by BatchNorm, the first two by `SiLU` (torchvision's
    /// `Conv2dNormActivation`s, the projection's with `activation_layer=None`).
    ///
    /// torchvision rounds the expanded width with `_make_divisible(IN · T, 8)`; every
    /// EfficientNet's channel counts are multiples of 8, so that is `IN · T`.
    pub block MBConvLayers<const T: u64, const K: u64, const S: u64, const IN: u64, const OUT: u64> {
        if T != 1 {
            0: (Conv2d::new(IN * T, 1).bias(false), BatchNorm2d, SiLU), // expand
            1: DepthwiseConv2dNormActivation<SiLU, K, S, 1>,           // depthwise
            2: SqueezeExcitation<MBConvSqueeze<IN, T>, SiLU>,          // squeeze-excitation
            3: (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),         // project
        } else {
            0: DepthwiseConv2dNormActivation<SiLU, K, S, 1>,
            1: SqueezeExcitation<MBConvSqueeze<IN, T>, SiLU>,
            2: (Conv2d::new(OUT, 1).bias(false), BatchNorm2d),
        },
    }

    /// The mobile inverted bottleneck of EfficientNet (Tan & Le, "EfficientNet: Rethinking Model
    /// Scaling for Convolutional Neural Networks", ICML 2019, arXiv:1905.11946), as
    /// torchvision's `MBConv`: [`MBConvLayers`] as `block`, plus the input when the stride is 1
    /// and the channels are kept (`use_res_connect`), after `stochastic_depth`.
    ///
    /// torchvision builds `stochastic_depth` in every block and calls it only on the residual;
    /// it is the identity in inference (a view, no cost), so it stands in both forms here, as
    /// in torchvision's modules. torchvision ramps its probability from 0 to 0.2 over the
    /// blocks, which changes nothing here.
    ///
    /// Parameters are a row of torchvision's `MBConvConfig`: expansion `T`, kernel `K`, stride
    /// `S`, channels `IN → OUT`.
    pub block MBConv<const T: u64, const K: u64, const S: u64, const IN: u64, const OUT: u64> {
        if S == 1 && IN == OUT {
            residual {
                block: MBConvLayers<T, K, S, IN, OUT>,
                stochastic_depth: StochasticDepth::row(0.2),
            },
        } else {
            block: MBConvLayers<T, K, S, IN, OUT>,
            stochastic_depth: StochasticDepth::row(0.2),
        },
    }

    /// The layers of torchvision's `FusedMBConv` (EfficientNetV2), numbered as its `block`: a
    /// `K`×`K` convolution with stride `S` expanding to `T` times the input channels, then a
    /// 1×1 projection to `OUT`; with `T` = 1, one `K`×`K` convolution to `OUT`. Convolutions
    /// without bias, each followed by BatchNorm, the `K`×`K` one by `SiLU`.
    pub block FusedMBConvLayers<const T: u64, const K: u64, const S: u64, const OUT: u64> {
        if T != 1 {
            0: (
                Conv2d::ratio(T, 1, K).stride(S).padding((K - 1) / 2).bias(false), // fused expand
                BatchNorm2d,
                SiLU,
            ),
            1: (Conv2d::new(OUT, 1).bias(false), BatchNorm2d), // project
        } else {
            0: Conv2dNormActivation<SiLU, OUT, K, S>,
        },
    }

    /// The fused inverted bottleneck of EfficientNetV2 (Tan & Le, "EfficientNetV2: Smaller
    /// Models and Faster Training", ICML 2021, arXiv:2104.00298), as torchvision's
    /// `FusedMBConv`: [`FusedMBConvLayers`] as `block`, with the residual and the
    /// `stochastic_depth` of [`MBConv`]. Parameters are a row of torchvision's
    /// `FusedMBConvConfig`.
    pub block FusedMBConv<const T: u64, const K: u64, const S: u64, const IN: u64, const OUT: u64> {
        if S == 1 && IN == OUT {
            residual {
                block: FusedMBConvLayers<T, K, S, OUT>,
                stochastic_depth: StochasticDepth::row(0.2),
            },
        } else {
            block: FusedMBConvLayers<T, K, S, OUT>,
            stochastic_depth: StochasticDepth::row(0.2),
        },
    }

    /// A stage of `N` [`MBConv`]s, as one row of torchvision's `inverted_residual_setting`
    /// (`MBConvConfig(T, K, S, IN, OUT, N)`), numbered `0` to `N - 1` as its `nn.Sequential`:
    /// the first with stride `S` from `IN` channels, the rest with stride 1 from `OUT`.
    pub block MBConvStage<const T: u64, const K: u64, const S: u64, const IN: u64, const OUT: u64, const N: u64> {
        _: (MBConv<T, K, S, IN, OUT>, ..[MBConv<T, K, 1, OUT, OUT>; N - 1]),
    }

    /// A stage of `N` [`FusedMBConv`]s (`FusedMBConvConfig(T, K, S, IN, OUT, N)`), numbered `0`
    /// to `N - 1`.
    pub block FusedMBConvStage<const T: u64, const K: u64, const S: u64, const IN: u64, const OUT: u64, const N: u64> {
        _: (FusedMBConv<T, K, S, IN, OUT>, ..[FusedMBConv<T, K, 1, OUT, OUT>; N - 1]),
    }

    /// EfficientNetV2-S (Tan & Le, "EfficientNetV2: Smaller Models and Faster Training",
    /// ICML 2021, arXiv:2104.00298), as torchvision's `efficientnet_v2_s()` at its 384×384
    /// evaluation size: a stem, three fused stages, three with depthwise convolutions and
    /// squeeze-and-excitation, a 1280-channel head (`features.0` to `features.7`), then
    /// `avgpool` and `classifier` (`Dropout`, `Linear`); the paths are torchvision's
    /// (`features.4.0.block.2.fc1`), `flatten` standing for its `torch.flatten`.
    ///
    /// **21,458,488 params, 8,365,617,152 MACs** at 3×384×384, batch 1; buffers 153,872
    /// floating-point and 153,982 in all (110 BatchNorms' `num_batches_tracked`): torchvision's
    /// figures, asserted at compile time.
    ///
    /// ```
    /// use nncost::zoo::EfficientNetV2S;
    /// assert_eq!(EfficientNetV2S::PARAMS, 21_458_488);
    /// assert_eq!(EfficientNetV2S::ALL_BUFFERS, 153_982);
    /// ```
    #[input(3, 384, 384)]
    pub model EfficientNetV2S {
        features: {
            0: Conv2dNormActivation<SiLU, 24, 3, 2>,
            //                    T, K, S,  IN, OUT,  N
            1: FusedMBConvStage<1, 3, 1,  24,  24,  2>,
            2: FusedMBConvStage<4, 3, 2,  24,  48,  4>,
            3: FusedMBConvStage<4, 3, 2,  48,  64,  4>,
            4: MBConvStage<     4, 3, 2,  64, 128,  6>,
            5: MBConvStage<     6, 3, 1, 128, 160,  9>,
            6: MBConvStage<     6, 3, 2, 160, 256, 15>,
            7: Conv2dNormActivation<SiLU, 1280, 1>,
        },
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        classifier: (Dropout::new(0.2), Linear::new(1000)),
    }
}

crate::const_assert!(EfficientNetV2S::PARAMS == 21_458_488);
crate::const_assert!(EfficientNetV2S::MACS == 8_365_617_152);
crate::const_assert!(EfficientNetV2S::BUFFERS == 153_872);
crate::const_assert!(EfficientNetV2S::ALL_BUFFERS == 153_982);
crate::const_assert!(super::imagenet_logits(EfficientNetV2S::OUTPUT_SHAPE));
