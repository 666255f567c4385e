//! MnasNet 1.0, as torchvision's `mnasnet1_0()`.

use super::mobilenet::InvertedStage;
use crate::prelude::*;

network! {
    /// MnasNet-A1 without squeeze-and-excitation, depth multiplier 1.0: Tan et al., "MnasNet:
    /// Platform-Aware Neural Architecture Search for Mobile" (CVPR 2019, arXiv:1807.11626), as
    /// torchvision's `mnasnet1_0()`. Its stacks are MobileNetV2's [`InvertedStage`]s with
    /// `ReLU`, depthwise kernels of 3 or 5 and expansions of 3 or 6; the stem is a 3×3
    /// convolution, a depthwise 3×3 separable convolution and a 1×1 projection to 16 channels;
    /// `x.mean([2, 3])` is the global average pool.
    ///
    /// **4,383,312 params, 314,415,872 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time).
    #[input(3, 224, 224)]
    pub model MnasNet1_0 {
        stem: Conv2d::new(32, 3).stride(2).padding(1).bias(false),
        stem_bn: BatchNorm2d::new(),
        stem_relu: ReLU,
        separable: Conv2d::depthwise(3).padding(1).bias(false),
        separable_bn: BatchNorm2d::new(),
        separable_relu: ReLU,
        separable_project: Conv2d::new(16, 1).bias(false),
        separable_project_bn: BatchNorm2d::new(),
        //            act, in, out, k, s, t, n, width
        stack1: InvertedStage<ReLU, 16, 24, 3, 2, 3, 3, 100>,
        stack2: InvertedStage<ReLU, 24, 40, 5, 2, 3, 3, 100>,
        stack3: InvertedStage<ReLU, 40, 80, 5, 2, 6, 3, 100>,
        stack4: InvertedStage<ReLU, 80, 96, 3, 1, 6, 2, 100>,
        stack5: InvertedStage<ReLU, 96, 192, 5, 2, 6, 4, 100>,
        stack6: InvertedStage<ReLU, 192, 320, 3, 1, 6, 1, 100>,
        head: Conv2d::new(1280, 1).bias(false),
        head_bn: BatchNorm2d::new(),
        head_relu: ReLU,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        classifier: {
            dropout: Dropout::new(0.2),
            fc: Linear::new(1000),
        },
    }
}

crate::const_assert!(MnasNet1_0::PARAMS == 4_383_312);
crate::const_assert!(MnasNet1_0::MACS == 314_415_872);
crate::const_assert!(MnasNet1_0::BUFFERS == 37_920);
crate::const_assert!(MnasNet1_0::ALL_BUFFERS == 37_972);
crate::const_assert!(super::imagenet_logits(MnasNet1_0::OUTPUT_SHAPE));
