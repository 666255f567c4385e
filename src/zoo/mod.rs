//! The classic CNNs, declared with [`network!`](crate::network) in torchvision's layouts and
//! exact to the last parameter and multiply-accumulate (feature `zoo`, off by default).
//!
//! ```toml
//! nncost = { version = "0.1", features = ["zoo"] }
//! ```
//!
//! Every model takes one image (batch 1; 3×224×224, EfficientNetV2-S 3×384×384, its evaluation
//! size) and ends in torchvision's 1000-class classifier. Its figures are ordinary associated consts, and the zoo asserts every model's
//! `PARAMS` and `MACS` at compile time against torchvision's numbers, so a change in nncost's
//! arithmetic that moves any of them fails the build:
//!
//! ```
//! use nncost::zoo::{MobileNetV2, ResNet50};
//! assert_eq!(ResNet50::PARAMS, 25_557_032);
//! assert_eq!(ResNet50::MACS, 4_089_184_256);
//! // Compare your model with a baseline, at compile time:
//! nncost::const_assert!(MobileNetV2::MACS * 13 < ResNet50::MACS);
//! ```
//!
//! | model | paper (first arXiv version) | params | MACs |
//! |---|---|---:|---:|
//! | [`AlexNet`] | Krizhevsky, 2014 ("One weird trick") | 61,100,840 | 714,188,480 |
//! | [`Vgg11`] | Simonyan & Zisserman, 2014 | 132,863,336 | 7,609,090,048 |
//! | [`Vgg16`] | Simonyan & Zisserman, 2014 | 138,357,544 | 15,470,264,320 |
//! | [`Vgg16Bn`] | Simonyan & Zisserman, 2014 | 138,365,992 | 15,470,264,320 |
//! | [`Vgg19`] | Simonyan & Zisserman, 2014 | 143,667,240 | 19,632,062,464 |
//! | [`ResNet18`] | He et al., 2015 | 11,689,512 | 1,814,073,344 |
//! | [`ResNet34`] | He et al., 2015 | 21,797,672 | 3,663,761,408 |
//! | [`ResNet50`] | He et al., 2015 | 25,557,032 | 4,089,184,256 |
//! | [`ResNet101`] | He et al., 2015 | 44,549,160 | 7,801,405,440 |
//! | [`ResNet152`] | He et al., 2015 | 60,192,808 | 11,513,626,624 |
//! | [`ResNext50_32x4d`] | Xie et al., 2016 | 25,028,904 | 4,230,479,872 |
//! | [`WideResNet50_2`] | Zagoruyko & Komodakis, 2016 | 68,883,240 | 11,398,021,120 |
//! | [`SqueezeNet1_0`] | Iandola et al., 2016 | 1,248,424 | 818,924,576 |
//! | [`SqueezeNet1_1`] | Iandola et al., 2016 (v1.1) | 1,235,496 | 349,151,936 |
//! | [`MobileNetV2`] | Sandler et al., 2018 | 3,504,872 | 300,774,272 |
//! | [`MnasNet1_0`] | Tan et al., 2018 | 4,383,312 | 314,415,872 |
//! | [`RegNetY800MF`] | Radosavovic et al., 2020 | 6,432,512 | 833,856,256 |
//! | [`EfficientNetV2S`] (3×384×384) | Tan & Le, 2021 | 21,458,488 | 8,365,617,152 |
//! | [`ConvNextSmall`] | Liu et al., 2022 | 50,223,688 | 8,683,712,256 |
//!
//! The last three also assert their buffers: `BUFFERS` (floating-point) and `ALL_BUFFERS`
//! (PyTorch's `sum(b.numel() for b in model.buffers())`, which adds each BatchNorm's
//! `num_batches_tracked`): EfficientNetV2-S 153,872 and 153,982, RegNetY-800MF 30,432 and
//! 30,479, ConvNeXt-S none.
//!
//! The blocks are shared, as in torchvision: one [`Bottleneck`] (groups and width per group
//! as const parameters) builds ResNet-50/101/152, ResNeXt and Wide-ResNet; one
//! [`InvertedResidual`] (activation type, kernel size, expansion and width multiplier as
//! parameters) builds MobileNetV2 and MnasNet; one [`SqueezeExcitation`] serves EfficientNet's
//! [`MBConv`] and RegNet's [`BottleneckTransform`], with no spatial size anywhere (its
//! `[N, C, 1, 1]` scale broadcasts in a `mul`). They are public, so your own variants reuse them.
//!
//! **Width and resolution.** [`MobileNetV2`] is torchvision's `mobilenet_v2()`;
//! [`MobileNetV2Scaled`]`<WIDTH_PCT, RESOLUTION>` takes a width multiplier (in percent) and the
//! input resolution as const generics, with those defaults (`MobileNetV2Scaled<50, 160>` is
//! width 0.5 at 160×160).
//!
//! Layer paths in summaries follow torchvision's names where the DSL allows (`layer1`, `conv1`,
//! `downsample`, `features`, `classifier`); a stage of repeated blocks is `first` and `rest.N`.

mod alexnet;
mod convnext;
mod efficientnet;
mod gpt2;
mod mnasnet;
mod mobilenet;
mod regnet;
mod resnet;
mod squeeze_excitation;
mod squeezenet;
mod vgg;

pub use alexnet::AlexNet;
pub use convnext::{CNBlock, ConvNextDownsample, ConvNextSmall};
pub use efficientnet::{
    EfficientNetV2S, FusedMBConv, FusedMBConvLayers, FusedMBConvStage, MBConv, MBConvLayers,
    MBConvSqueeze, MBConvStage,
};
pub use gpt2::{Gpt2, Gpt2Attention, Gpt2Block, Gpt2LmHead, Gpt2Mlp, GPT2_WTE};
pub use mnasnet::MnasNet1_0;
pub use mobilenet::{
    InvertedBody, InvertedResidual, InvertedStage, MobileNetV2, MobileNetV2Scaled,
};
pub use regnet::{AnyStage, BottleneckTransform, RegNetSqueeze, RegNetY800MF, ResBottleneckBlock};
pub use resnet::{
    BasicBlock, BasicStage, Bottleneck, BottleneckStage, ResNet101, ResNet152, ResNet18, ResNet34,
    ResNet50, ResNext50_32x4d, WideResNet50_2,
};
pub use squeeze_excitation::{Squeeze, SqueezeChannels, SqueezeExcitation};
pub use squeezenet::{Fire, SqueezeNet1_0, SqueezeNet1_1, SqueezeNetClassifier};
pub use vgg::{Vgg11, Vgg16, Vgg16Bn, Vgg19, VggClassifier, VggConv, VggStage};

/// torchvision's `_make_divisible(channels * width, divisor)` with `width = width_pct / 100`:
/// scales a channel count by a width multiplier given in percent and rounds it to a multiple
/// of `divisor`, to the nearest (halves up), never below `divisor`, and one `divisor` more when
/// rounding lost more than 10% (MnasNet's `_round_to_multiple_of` is the same rule).
///
/// The arithmetic is torchvision's, in `f64` as Python does it, so the result is the channel
/// count torchvision builds even where float rounding decides it: `200 × 0.58` is
/// `115.99999999999999` in floats, which rounds to 112 (exact arithmetic would give 120).
///
/// ```
/// use nncost::zoo::make_divisible;
/// assert_eq!(make_divisible(32, 100, 8), 32); // width 1.0 keeps torchvision's channels
/// assert_eq!(make_divisible(32, 75, 8), 24); // 24.0
/// assert_eq!(make_divisible(16, 35, 8), 8); // 5.6 rounds to 8 (never below the divisor)
/// assert_eq!(make_divisible(24, 35, 8), 8); // 8.4 -> 8
/// assert_eq!(make_divisible(32, 35, 8), 16); // 11.2 -> 8 loses > 10%, so 16
/// assert_eq!(make_divisible(1280, 140, 8), 1792);
/// assert_eq!(make_divisible(200, 58, 8), 112); // as torchvision, float rounding included
/// ```
pub const fn make_divisible(channels: u64, width_pct: u64, divisor: u64) -> u64 {
    assert!(
        divisor > 0,
        "make_divisible: the divisor must be at least 1"
    );
    // Python: v = channels * (width_pct / 100)
    let v = channels as f64 * (width_pct as f64 / 100.0);
    // new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    let rounded = (v + divisor as f64 / 2.0) as u64 / divisor * divisor;
    let rounded = if rounded < divisor { divisor } else { rounded };
    // if new_v < 0.9 * v: new_v += divisor
    if (rounded as f64) < 0.9 * v {
        rounded + divisor
    } else {
        rounded
    }
}
