//! ConvNeXt-S, as torchvision's `convnext_small()`.

use crate::prelude::*;

network! {
    /// The ConvNeXt block (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv:2201.03545)
    /// on `DIM` channels, as torchvision's `CNBlock`: a depthwise 7×7 convolution, then, channels
    /// last, LayerNorm, a 4× MLP with GELU, back to channels first; the result is scaled by the
    /// learned layer scale `gamma` (`[DIM, 1, 1]`, torchvision's `layer_scale`) and added to the
    /// input (after `StochasticDepth`, the identity in inference).
    ///
    /// The layer scale is `DIM` parameters and no MACs (`FlopCounterMode` counts no elementwise
    /// product); its multiply is `DIM·H·W` FLOPs, broadcast over the positions.
    pub block CNBlock<const DIM: u64> {
        residual {
            layer_scale: mul {
                block: {
                    dwconv: Conv2d::depthwise(7).padding(3),
                    to_channels_last: Permute::new([0, 2, 3, 1]),
                    norm: LayerNorm::new(DIM),
                    fc1: Linear::ratio(4, 1),
                    act: GELU,
                    fc2: Linear::new(DIM),
                    to_channels_first: Permute::new([0, 3, 1, 2]),
                },
                gamma: Parameter::new(&[DIM, 1, 1]),
            },
            stochastic_depth: StochasticDepth::row(0.4),
        },
    }

    /// ConvNeXt's downsampling between stages: torchvision's `LayerNorm2d` over `IN` channels,
    /// then a 2×2 convolution with stride 2 to `OUT` channels.
    pub block ConvNextDownsample<const IN: u64, const OUT: u64> {
        norm: LayerNorm2d::new(IN),
        conv: Conv2d::new(OUT, 2).stride(2),
    }

    /// ConvNeXt-S (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv:2201.03545), as
    /// torchvision's `convnext_small()`: a 4×4 patchify stem, stages of 3, 3, 27 and 3
    /// [`CNBlock`]s on 96, 192, 384 and 768 channels, each stage but the last followed by a
    /// [`ConvNextDownsample`], and a LayerNorm2d + linear head.
    ///
    /// **50,223,688 params, 8,683,712,256 MACs** at 3×224×224, batch 1, no buffers: torchvision's
    /// figures, asserted at compile time. The 36 layer scales (`[C, 1, 1]` parameters) are in
    /// the params and not in the MACs.
    ///
    /// ```
    /// use nncost::zoo::ConvNextSmall;
    /// assert_eq!(ConvNextSmall::PARAMS, 50_223_688);
    /// assert_eq!(ConvNextSmall::ALL_BUFFERS, 0);
    /// ```
    #[input(3, 224, 224)]
    pub model ConvNextSmall {
        features: {
            stem: {
                conv: Conv2d::new(96, 4).stride(4),
                norm: LayerNorm2d::new(96),
            },
            stage1: [CNBlock<96>; 3],
            downsample1: ConvNextDownsample<96, 192>,
            stage2: [CNBlock<192>; 3],
            downsample2: ConvNextDownsample<192, 384>,
            stage3: [CNBlock<384>; 27],
            downsample3: ConvNextDownsample<384, 768>,
            stage4: [CNBlock<768>; 3],
        },
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        classifier: {
            norm: LayerNorm2d::new(768),
            flatten: Flatten,
            fc: Linear::new(1000),
        },
    }
}

crate::const_assert!(ConvNextSmall::PARAMS == 50_223_688);
crate::const_assert!(ConvNextSmall::MACS == 8_683_712_256);
crate::const_assert!(ConvNextSmall::ALL_BUFFERS == 0);
crate::const_assert!(ConvNextSmall::BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(ConvNextSmall::OUTPUT_SHAPE));
