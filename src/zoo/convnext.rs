//! ConvNeXt-S, as torchvision's `convnext_small()`.

use crate::prelude::*;

network! {
    /// The ConvNeXt block (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv:2201.03545)
    /// on `DIM` channels, as torchvision's `CNBlock`: `block`, numbered as its `nn.Sequential`
    /// (a depthwise 7×7 convolution, then, channels last, LayerNorm, a 4× MLP with GELU, back
    /// to channels first), times the learned `layer_scale` (`[DIM, 1, 1]`, torchvision's
    /// `nn.Parameter`; the product is the row `mul`), through `stochastic_depth` (the identity
    /// in inference), plus the input.
    ///
    /// The layer scale is `DIM` parameters and no MACs (`FlopCounterMode` counts no elementwise
    /// product); its multiply is `DIM·H·W` FLOPs, broadcast over the positions.
    pub block CNBlock<const DIM: u64> {
        residual {
            mul {
                block: (
                    Conv2d::depthwise(7).padding(3),
                    Permute::new([0, 2, 3, 1]),
                    LayerNorm::new(DIM),
                    Linear::new(4 * DIM),
                    GELU,
                    Linear::new(DIM),
                    Permute::new([0, 3, 1, 2]),
                ),
                layer_scale: Parameter::new(&[DIM, 1, 1]),
            },
            stochastic_depth: StochasticDepth::row(0.4),
        },
    }

    /// ConvNeXt's downsampling between stages, torchvision's `nn.Sequential(norm_layer(IN),
    /// nn.Conv2d(IN, OUT, kernel_size=2, stride=2))`: `LayerNorm2d` over `IN` channels, then a
    /// 2×2 convolution with stride 2 to `OUT` channels, numbered `0` and `1`.
    pub block ConvNextDownsample<const IN: u64, const OUT: u64> {
        _: (LayerNorm2d::new(IN), Conv2d::new(OUT, 2).stride(2)),
    }

    /// ConvNeXt-S (Liu et al., "A ConvNet for the 2020s", CVPR 2022, arXiv:2201.03545), as
    /// torchvision's `convnext_small()`: a 4×4 patchify stem (`features.0`, torchvision's
    /// `Conv2dNormActivation` with a bias, `LayerNorm2d` and no activation), stages of 3, 3, 27
    /// and 3 [`CNBlock`]s on 96, 192, 384 and 768 channels (`features.1`, `3`, `5`, `7`), each
    /// but the last followed by a [`ConvNextDownsample`] (`features.2`, `4`, `6`), and
    /// `avgpool` and `classifier` (`LayerNorm2d`, `Flatten`, `Linear`); the paths are
    /// torchvision's (`features.5.26.block.3`, the parameter `features.5.26.layer_scale`).
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
            0: (Conv2d::new(96, 4).stride(4), LayerNorm2d::new(96)),
            1: [CNBlock<96>; 3],
            2: ConvNextDownsample<96, 192>,
            3: [CNBlock<192>; 3],
            4: ConvNextDownsample<192, 384>,
            5: [CNBlock<384>; 27],
            6: ConvNextDownsample<384, 768>,
            7: [CNBlock<768>; 3],
        },
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        classifier: (LayerNorm2d::new(768), Flatten, Linear::new(1000)),
    }
}

crate::const_assert!(ConvNextSmall::PARAMS == 50_223_688);
crate::const_assert!(ConvNextSmall::MACS == 8_683_712_256);
crate::const_assert!(ConvNextSmall::ALL_BUFFERS == 0);
crate::const_assert!(ConvNextSmall::BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(ConvNextSmall::OUTPUT_SHAPE));
