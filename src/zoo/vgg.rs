//! VGG-11, -16, -16 with BatchNorm and -19, as torchvision's `vgg11()`, `vgg16()`,
//! `vgg16_bn()` and `vgg19()`.

use crate::prelude::*;

network! {
    /// One VGG convolution: 3×3 with padding 1 and bias to `C` channels, BatchNorm when `BN`
    /// (the `_bn` variants), ReLU; as an entry of torchvision's `make_layers`.
    pub block VggConv<const C: u64, const BN: bool> {
        conv: Conv2d::new(C, 3).padding(1),
        if BN {
            bn: BatchNorm2d::new(),
        },
        relu: ReLU,
    }

    /// A VGG stage: `N` [`VggConv`]s to `C` channels, then a 2×2 max pool with stride 2 (an
    /// `"M"` in torchvision's configurations).
    pub block VggStage<const C: u64, const N: u64, const BN: bool> {
        convs: [VggConv<C, BN>; N],
        pool: MaxPool2d::new(2).stride(2),
    }

    /// VGG's classifier on the flattened 512×7×7 features: two 4096-wide fully connected
    /// layers with ReLU and dropout, then the 1000-class layer.
    pub block VggClassifier {
        fc1: Linear::new(4096),
        relu1: ReLU,
        dropout1: Dropout::new(0.5),
        fc2: Linear::new(4096),
        relu2: ReLU,
        dropout2: Dropout::new(0.5),
        fc3: Linear::new(1000),
    }

    /// VGG-11 (configuration "A"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg11()`.
    ///
    /// **132,863,336 params, 7,609,090,048 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg11 {
        features: {
            stage1: VggStage<64, 1, false>,
            stage2: VggStage<128, 1, false>,
            stage3: VggStage<256, 2, false>,
            stage4: VggStage<512, 2, false>,
            stage5: VggStage<512, 2, false>,
        },
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten,
        classifier: VggClassifier,
    }

    /// VGG-16 (configuration "D"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg16()`.
    ///
    /// **138,357,544 params, 15,470,264,320 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg16 {
        features: {
            stage1: VggStage<64, 2, false>,
            stage2: VggStage<128, 2, false>,
            stage3: VggStage<256, 3, false>,
            stage4: VggStage<512, 3, false>,
            stage5: VggStage<512, 3, false>,
        },
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten,
        classifier: VggClassifier,
    }

    /// VGG-16 with BatchNorm after every convolution: Simonyan & Zisserman, "Very Deep
    /// Convolutional Networks for Large-Scale Image Recognition" (ICLR 2015,
    /// arXiv:1409.1556), with the BatchNorm of Ioffe & Szegedy (2015), as torchvision's
    /// `vgg16_bn()`.
    ///
    /// **138,365,992 params, 15,470,264,320 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time). BatchNorm adds 8,448 params and no MACs.
    #[input(3, 224, 224)]
    pub model Vgg16Bn {
        features: {
            stage1: VggStage<64, 2, true>,
            stage2: VggStage<128, 2, true>,
            stage3: VggStage<256, 3, true>,
            stage4: VggStage<512, 3, true>,
            stage5: VggStage<512, 3, true>,
        },
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten,
        classifier: VggClassifier,
    }

    /// VGG-19 (configuration "E"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg19()`.
    ///
    /// **143,667,240 params, 19,632,062,464 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg19 {
        features: {
            stage1: VggStage<64, 2, false>,
            stage2: VggStage<128, 2, false>,
            stage3: VggStage<256, 4, false>,
            stage4: VggStage<512, 4, false>,
            stage5: VggStage<512, 4, false>,
        },
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten,
        classifier: VggClassifier,
    }
}

crate::const_assert!(Vgg11::PARAMS == 132_863_336);
crate::const_assert!(Vgg11::MACS == 7_609_090_048);
crate::const_assert!(Vgg11::BUFFERS == 0);
crate::const_assert!(Vgg11::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(Vgg11::OUTPUT_SHAPE));
crate::const_assert!(Vgg16::PARAMS == 138_357_544);
crate::const_assert!(Vgg16::MACS == 15_470_264_320);
crate::const_assert!(Vgg16::BUFFERS == 0);
crate::const_assert!(Vgg16::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(Vgg16::OUTPUT_SHAPE));
crate::const_assert!(Vgg16Bn::PARAMS == 138_365_992);
crate::const_assert!(Vgg16Bn::MACS == 15_470_264_320);
crate::const_assert!(Vgg16Bn::BUFFERS == 8_448);
crate::const_assert!(Vgg16Bn::ALL_BUFFERS == 8_461);
crate::const_assert!(super::imagenet_logits(Vgg16Bn::OUTPUT_SHAPE));
crate::const_assert!(Vgg19::PARAMS == 143_667_240);
crate::const_assert!(Vgg19::MACS == 19_632_062_464);
crate::const_assert!(Vgg19::BUFFERS == 0);
crate::const_assert!(Vgg19::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(Vgg19::OUTPUT_SHAPE));
