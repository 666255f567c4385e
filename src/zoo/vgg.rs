//! VGG-11, -16, -16 with BatchNorm and -19, as torchvision's `vgg11()`, `vgg16()`,
//! `vgg16_bn()` and `vgg19()`.

use crate::prelude::*;

network! {
    /// One VGG convolution: 3×3 with padding 1 and bias to `C` channels, BatchNorm when `BN`
    /// (the `_bn` variants), ReLU; what torchvision's `make_layers` appends for a number in a
    /// configuration. The zoo's VGGs write their `features` unrolled, numbered as torchvision's
    /// `nn.Sequential` (`features.28`); this block and [`VggStage`] compose VGG-like networks
    /// of your own.
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

    /// VGG's classifier on the flattened 512×7×7 features, torchvision's `classifier`: two
    /// 4096-wide fully connected layers with ReLU and dropout, then the 1000-class layer,
    /// numbered `0` to `6`.
    pub block VggClassifier {
        _: (
            Linear::new(4096),
            ReLU,
            Dropout::new(0.5),
            Linear::new(4096),
            ReLU,
            Dropout::new(0.5),
            Linear::new(1000),
        ),
    }

    /// VGG-11 (configuration "A"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg11()`.
    ///
    /// **132,863,336 params, 7,609,090,048 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg11 {
        features: (
            Conv2d::new(64, 3).padding(1), ReLU,   // 0, 1
            MaxPool2d::new(2).stride(2),           // 2
            Conv2d::new(128, 3).padding(1), ReLU,  // 3, 4
            MaxPool2d::new(2).stride(2),           // 5
            Conv2d::new(256, 3).padding(1), ReLU,  // 6, 7
            Conv2d::new(256, 3).padding(1), ReLU,  // 8, 9
            MaxPool2d::new(2).stride(2),           // 10
            Conv2d::new(512, 3).padding(1), ReLU,  // 11, 12
            Conv2d::new(512, 3).padding(1), ReLU,  // 13, 14
            MaxPool2d::new(2).stride(2),           // 15
            Conv2d::new(512, 3).padding(1), ReLU,  // 16, 17
            Conv2d::new(512, 3).padding(1), ReLU,  // 18, 19
            MaxPool2d::new(2).stride(2),           // 20
        ),
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten, // torch.flatten(x, 1)
        classifier: VggClassifier,
    }

    /// VGG-16 (configuration "D"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg16()`.
    ///
    /// **138,357,544 params, 15,470,264,320 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg16 {
        features: (
            Conv2d::new(64, 3).padding(1), ReLU,   // 0, 1
            Conv2d::new(64, 3).padding(1), ReLU,   // 2, 3
            MaxPool2d::new(2).stride(2),           // 4
            Conv2d::new(128, 3).padding(1), ReLU,  // 5, 6
            Conv2d::new(128, 3).padding(1), ReLU,  // 7, 8
            MaxPool2d::new(2).stride(2),           // 9
            Conv2d::new(256, 3).padding(1), ReLU,  // 10, 11
            Conv2d::new(256, 3).padding(1), ReLU,  // 12, 13
            Conv2d::new(256, 3).padding(1), ReLU,  // 14, 15
            MaxPool2d::new(2).stride(2),           // 16
            Conv2d::new(512, 3).padding(1), ReLU,  // 17, 18
            Conv2d::new(512, 3).padding(1), ReLU,  // 19, 20
            Conv2d::new(512, 3).padding(1), ReLU,  // 21, 22
            MaxPool2d::new(2).stride(2),           // 23
            Conv2d::new(512, 3).padding(1), ReLU,  // 24, 25
            Conv2d::new(512, 3).padding(1), ReLU,  // 26, 27
            Conv2d::new(512, 3).padding(1), ReLU,  // 28, 29
            MaxPool2d::new(2).stride(2),           // 30
        ),
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten, // torch.flatten(x, 1)
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
        features: (
            Conv2d::new(64, 3).padding(1), BatchNorm2d::new(), ReLU,   // 0–2
            Conv2d::new(64, 3).padding(1), BatchNorm2d::new(), ReLU,   // 3–5
            MaxPool2d::new(2).stride(2),                               // 6
            Conv2d::new(128, 3).padding(1), BatchNorm2d::new(), ReLU,  // 7–9
            Conv2d::new(128, 3).padding(1), BatchNorm2d::new(), ReLU,  // 10–12
            MaxPool2d::new(2).stride(2),                               // 13
            Conv2d::new(256, 3).padding(1), BatchNorm2d::new(), ReLU,  // 14–16
            Conv2d::new(256, 3).padding(1), BatchNorm2d::new(), ReLU,  // 17–19
            Conv2d::new(256, 3).padding(1), BatchNorm2d::new(), ReLU,  // 20–22
            MaxPool2d::new(2).stride(2),                               // 23
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 24–26
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 27–29
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 30–32
            MaxPool2d::new(2).stride(2),                               // 33
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 34–36
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 37–39
            Conv2d::new(512, 3).padding(1), BatchNorm2d::new(), ReLU,  // 40–42
            MaxPool2d::new(2).stride(2),                               // 43
        ),
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten, // torch.flatten(x, 1)
        classifier: VggClassifier,
    }

    /// VGG-19 (configuration "E"): Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition" (ICLR 2015, arXiv:1409.1556), as torchvision's `vgg19()`.
    ///
    /// **143,667,240 params, 19,632,062,464 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model Vgg19 {
        features: (
            Conv2d::new(64, 3).padding(1), ReLU,   // 0, 1
            Conv2d::new(64, 3).padding(1), ReLU,   // 2, 3
            MaxPool2d::new(2).stride(2),           // 4
            Conv2d::new(128, 3).padding(1), ReLU,  // 5, 6
            Conv2d::new(128, 3).padding(1), ReLU,  // 7, 8
            MaxPool2d::new(2).stride(2),           // 9
            Conv2d::new(256, 3).padding(1), ReLU,  // 10, 11
            Conv2d::new(256, 3).padding(1), ReLU,  // 12, 13
            Conv2d::new(256, 3).padding(1), ReLU,  // 14, 15
            Conv2d::new(256, 3).padding(1), ReLU,  // 16, 17
            MaxPool2d::new(2).stride(2),           // 18
            Conv2d::new(512, 3).padding(1), ReLU,  // 19, 20
            Conv2d::new(512, 3).padding(1), ReLU,  // 21, 22
            Conv2d::new(512, 3).padding(1), ReLU,  // 23, 24
            Conv2d::new(512, 3).padding(1), ReLU,  // 25, 26
            MaxPool2d::new(2).stride(2),           // 27
            Conv2d::new(512, 3).padding(1), ReLU,  // 28, 29
            Conv2d::new(512, 3).padding(1), ReLU,  // 30, 31
            Conv2d::new(512, 3).padding(1), ReLU,  // 32, 33
            Conv2d::new(512, 3).padding(1), ReLU,  // 34, 35
            MaxPool2d::new(2).stride(2),           // 36
        ),
        avgpool: AdaptiveAvgPool2d::new(7, 7),
        flatten: Flatten, // torch.flatten(x, 1)
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
