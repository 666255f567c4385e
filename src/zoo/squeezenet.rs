//! SqueezeNet 1.0 and 1.1, as torchvision's `squeezenet1_0()` and `squeezenet1_1()`.

use crate::prelude::*;

network! {
    /// SqueezeNet's fire module, as torchvision's `Fire`: a 1×1 "squeeze" to `SQUEEZE`
    /// channels, then two "expand" convolutions reading it (1×1 to `E1`, 3×3 to `E3`
    /// channels), each with ReLU, concatenated along the channels: Iandola et al.,
    /// "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size"
    /// (arXiv:1602.07360, 2016).
    pub block Fire<const SQUEEZE: u64, const E1: u64, const E3: u64> {
        squeeze: Conv2d::new(SQUEEZE, 1),
        squeeze_activation: ReLU,
        expand1x1: Conv2d::new(E1, 1),
        expand1x1_activation: ReLU,
        expand3x3: squeeze_activation -> Conv2d::new(E3, 3).padding(1),
        expand3x3_activation: ReLU,
        cat: concat(expand1x1_activation, expand3x3_activation, dim = 1),
    }

    /// SqueezeNet's classifier, a convolution rather than a linear layer: dropout, 1×1
    /// convolution to 1000 channels (`final_conv`), ReLU, global average pool (torchvision's
    /// `classifier`, numbered `0` to `3`).
    pub block SqueezeNetClassifier {
        _: (
            Dropout::new(0.5),
            Conv2d::new(1000, 1),
            ReLU,
            AdaptiveAvgPool2d::new(1, 1),
        ),
    }

    /// SqueezeNet 1.0: Iandola et al., "SqueezeNet: AlexNet-level accuracy with 50x fewer
    /// parameters and <0.5MB model size" (arXiv:1602.07360, 2016), as torchvision's
    /// `squeezenet1_0()`, its `features` numbered as torchvision's `nn.Sequential`. Its max
    /// pools round up (`ceil_mode=True`): 109 → 54 → 27 → 13.
    ///
    /// **1,248,424 params, 818,924,576 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time).
    #[input(3, 224, 224)]
    pub model SqueezeNet1_0 {
        features: (
            Conv2d::new(96, 7).stride(2),
            ReLU,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<16, 64, 64>,
            Fire<16, 64, 64>,
            Fire<32, 128, 128>,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<32, 128, 128>,
            Fire<48, 192, 192>,
            Fire<48, 192, 192>,
            Fire<64, 256, 256>,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<64, 256, 256>,
        ),
        classifier: SqueezeNetClassifier,
        flatten: Flatten, // torch.flatten(x, 1)
    }

    /// SqueezeNet 1.1: the revision in Iandola et al.'s SqueezeNet repository (v1.1, 2016) of
    /// "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size"
    /// (arXiv:1602.07360), as torchvision's `squeezenet1_1()`: a 3×3 stem with 64 filters and
    /// earlier pooling, 2.4× fewer MACs than 1.0 at about the same accuracy.
    ///
    /// **1,235,496 params, 349,151,936 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time).
    #[input(3, 224, 224)]
    pub model SqueezeNet1_1 {
        features: (
            Conv2d::new(64, 3).stride(2),
            ReLU,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<16, 64, 64>,
            Fire<16, 64, 64>,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<32, 128, 128>,
            Fire<32, 128, 128>,
            MaxPool2d::new(3).stride(2).ceil_mode(true),
            Fire<48, 192, 192>,
            Fire<48, 192, 192>,
            Fire<64, 256, 256>,
            Fire<64, 256, 256>,
        ),
        classifier: SqueezeNetClassifier,
        flatten: Flatten, // torch.flatten(x, 1)
    }
}

crate::const_assert!(SqueezeNet1_0::PARAMS == 1_248_424);
crate::const_assert!(SqueezeNet1_0::MACS == 818_924_576);
crate::const_assert!(SqueezeNet1_0::BUFFERS == 0);
crate::const_assert!(SqueezeNet1_0::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(SqueezeNet1_0::OUTPUT_SHAPE));
crate::const_assert!(SqueezeNet1_1::PARAMS == 1_235_496);
crate::const_assert!(SqueezeNet1_1::MACS == 349_151_936);
crate::const_assert!(SqueezeNet1_1::BUFFERS == 0);
crate::const_assert!(SqueezeNet1_1::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(SqueezeNet1_1::OUTPUT_SHAPE));
