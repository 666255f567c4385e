//! SqueezeNet 1.0 and 1.1, as torchvision's `squeezenet1_0()` and `squeezenet1_1()`.

use crate::prelude::*;

network! {
    /// SqueezeNet's fire module, as torchvision's `Fire`: a 1×1 "squeeze" to `SQUEEZE`
    /// channels, then two parallel "expand" convolutions (1×1 to `E1`, 3×3 to `E3` channels)
    /// concatenated, each with ReLU: Iandola et al., "SqueezeNet: AlexNet-level accuracy with
    /// 50x fewer parameters and <0.5MB model size" (arXiv:1602.07360, 2016).
    pub block Fire<const SQUEEZE: u64, const E1: u64, const E3: u64> {
        squeeze: Conv2d::new(SQUEEZE, 1),
        squeeze_activation: ReLU,
        concat {
            expand1x1: {
                conv: Conv2d::new(E1, 1),
                activation: ReLU,
            },
            expand3x3: {
                conv: Conv2d::new(E3, 3).padding(1),
                activation: ReLU,
            },
        },
    }

    /// SqueezeNet's classifier, a convolution rather than a linear layer: dropout, 1×1
    /// convolution to 1000 channels, ReLU, global average pool (torchvision's `classifier`).
    pub block SqueezeNetClassifier {
        dropout: Dropout::new(0.5),
        final_conv: Conv2d::new(1000, 1),
        relu: ReLU,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
    }

    /// SqueezeNet 1.0: Iandola et al., "SqueezeNet: AlexNet-level accuracy with 50x fewer
    /// parameters and <0.5MB model size" (arXiv:1602.07360, 2016), as torchvision's
    /// `squeezenet1_0()`. Its max pools round up (`ceil_mode=True`): 109 → 54 → 27 → 13.
    ///
    /// **1,248,424 params, 818,924,576 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time).
    #[input(3, 224, 224)]
    pub model SqueezeNet1_0 {
        features: {
            conv1: Conv2d::new(96, 7).stride(2),
            relu1: ReLU,
            pool1: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire2: Fire<16, 64, 64>,
            fire3: Fire<16, 64, 64>,
            fire4: Fire<32, 128, 128>,
            pool4: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire5: Fire<32, 128, 128>,
            fire6: Fire<48, 192, 192>,
            fire7: Fire<48, 192, 192>,
            fire8: Fire<64, 256, 256>,
            pool8: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire9: Fire<64, 256, 256>,
        },
        classifier: SqueezeNetClassifier,
        flatten: Flatten,
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
        features: {
            conv1: Conv2d::new(64, 3).stride(2),
            relu1: ReLU,
            pool1: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire2: Fire<16, 64, 64>,
            fire3: Fire<16, 64, 64>,
            pool3: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire4: Fire<32, 128, 128>,
            fire5: Fire<32, 128, 128>,
            pool5: MaxPool2d::new(3).stride(2).ceil_mode(true),
            fire6: Fire<48, 192, 192>,
            fire7: Fire<48, 192, 192>,
            fire8: Fire<64, 256, 256>,
            fire9: Fire<64, 256, 256>,
        },
        classifier: SqueezeNetClassifier,
        flatten: Flatten,
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
