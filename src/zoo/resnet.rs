//! ResNet-18/34/50/101/152, ResNeXt-50 (32×4d) and Wide ResNet-50-2, as torchvision's
//! `resnet*()`, `resnext50_32x4d()` and `wide_resnet50_2()`: one stem, one head, one
//! [`BasicBlock`] and one [`Bottleneck`] (generic over the norm layer, as torchvision's
//! `norm_layer`), with torchvision's layer paths (`conv1`, `layer1.0.conv1`,
//! `layer1.0.downsample.0`, `fc`).

use crate::prelude::*;

/// torchvision's `Bottleneck` width: `int(planes · (width_per_group / 64)) · groups`.
const fn bottleneck_width(planes: u64, groups: u64, width_per_group: u64) -> u64 {
    planes * width_per_group / 64 * groups
}

network! {
    /// The stem of every torchvision ResNet: a 7×7 convolution with stride 2 to 64 channels,
    /// the norm layer `Norm`, `ReLU` and a 3×3 max pool with stride 2 (`conv1`, `bn1`, `relu`,
    /// `maxpool`). Splice it in (`_: ResNetStem`) to keep torchvision's top-level names.
    pub block ResNetStem<Norm: ModelCost = BatchNorm2d> {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: Norm,
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
    }

    /// The classifier of every torchvision ResNet: global average pool, flatten, a linear layer
    /// to `CLASSES` (`avgpool`, `flatten`, `fc`; torchvision flattens with `torch.flatten`).
    pub block ResNetHead<const CLASSES: u64> {
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(CLASSES),
    }

    /// ResNet's basic block (two 3×3 convolutions) with `C` output channels and stride `S`,
    /// as torchvision's `BasicBlock`: He et al., "Deep Residual Learning for Image
    /// Recognition" (CVPR 2016, arXiv:1512.03385). With `DOWNSAMPLE` the shortcut is
    /// torchvision's `downsample`, a 1×1 convolution with stride `S` and the norm layer
    /// (`downsample.0`, `downsample.1`); else the identity.
    ///
    /// torchvision applies its one `relu` module twice; a layer name appears once here, so
    /// the inner one is `relu1`.
    pub block BasicBlock<const C: u64, const S: u64, const DOWNSAMPLE: bool, Norm: ModelCost = BatchNorm2d> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: Norm,
            relu1: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: Norm,
        } shortcut {
            if DOWNSAMPLE {
                downsample: (Conv2d::new(C, 1).stride(S).bias(false), Norm),
            },
        },
        relu: ReLU,
    }

    /// ResNet's bottleneck block, as torchvision's `Bottleneck` (stride on the 3×3
    /// convolution, "ResNet v1.5"): 1×1 to the width, 3×3 with stride `S` in `GROUPS` groups,
    /// 1×1 to `4·C` channels, where the width is `C · WIDTH_PER_GROUP / 64 · GROUPS`; each
    /// convolution followed by the norm layer `Norm` (torchvision's `norm_layer`:
    /// `BatchNorm2d`, or `FrozenBatchNorm2d` in detection backbones). With `DOWNSAMPLE` the
    /// shortcut is a 1×1 convolution with stride `S` and the norm layer (`downsample.0`,
    /// `downsample.1`); else the identity.
    ///
    /// One block for three papers: `GROUPS = 1, WIDTH_PER_GROUP = 64` is ResNet's (He et al.,
    /// "Deep Residual Learning for Image Recognition", CVPR 2016); `32, 4` is ResNeXt's
    /// 32×4d (Xie et al., "Aggregated Residual Transformations for Deep Neural Networks",
    /// CVPR 2017); `1, 128` is Wide ResNet's doubled width (Zagoruyko & Komodakis, "Wide
    /// Residual Networks", BMVC 2016).
    ///
    /// torchvision applies its one `relu` module three times; a layer name appears once here,
    /// so the inner ones are `relu1` and `relu2`.
    pub block Bottleneck<
        const C: u64,
        const S: u64,
        const DOWNSAMPLE: bool,
        const GROUPS: u64,
        const WIDTH_PER_GROUP: u64,
        Norm: ModelCost = BatchNorm2d,
    > {
        residual {
            conv1: Conv2d::new(bottleneck_width(C, GROUPS, WIDTH_PER_GROUP), 1).bias(false),
            bn1: Norm,
            relu1: ReLU,
            conv2: Conv2d::new(bottleneck_width(C, GROUPS, WIDTH_PER_GROUP), 3)
                .stride(S)
                .padding(1)
                .groups(GROUPS)
                .bias(false),
            bn2: Norm,
            relu2: ReLU,
            conv3: Conv2d::new(C * 4, 1).bias(false),
            bn3: Norm,
        } shortcut {
            if DOWNSAMPLE {
                downsample: (Conv2d::new(C * 4, 1).stride(S).bias(false), Norm),
            },
        },
        relu: ReLU,
    }

    /// A ResNet stage of `N` [`BasicBlock`]s with `C` channels, numbered `0` to `N - 1`, the
    /// first with stride `S` (torchvision's `_make_layer`). torchvision gives the first block a
    /// `downsample` when the stride or the channels change; in ResNet-18 and -34 the channels
    /// change exactly where the stride does, so here it is when `S` is not 1.
    pub block BasicStage<const C: u64, const N: u64, const S: u64, Norm: ModelCost = BatchNorm2d> {
        if S != 1 {
            _: (BasicBlock<C, S, true, Norm>, ..[BasicBlock<C, 1, false, Norm>; N - 1]),
        } else {
            _: (BasicBlock<C, 1, false, Norm>, ..[BasicBlock<C, 1, false, Norm>; N - 1]),
        },
    }

    /// A ResNet stage of `N` [`Bottleneck`]s with `C` planes (`4·C` output channels),
    /// numbered `0` to `N - 1`, the first with stride `S` and a `downsample` (torchvision's
    /// `_make_layer`: the first block of every bottleneck stage changes the channels).
    pub block BottleneckStage<
        const C: u64,
        const N: u64,
        const S: u64,
        const GROUPS: u64,
        const WIDTH_PER_GROUP: u64,
        Norm: ModelCost = BatchNorm2d,
    > {
        _: (
            Bottleneck<C, S, true, GROUPS, WIDTH_PER_GROUP, Norm>,
            ..[Bottleneck<C, 1, false, GROUPS, WIDTH_PER_GROUP, Norm>; N - 1]
        ),
    }

    /// ResNet-18: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet18()`.
    ///
    /// **11,689,512 params, 1,814,073,344 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet18 {
        _: ResNetStem,
        layer1: BasicStage<64, 2, 1>,
        layer2: BasicStage<128, 2, 2>,
        layer3: BasicStage<256, 2, 2>,
        layer4: BasicStage<512, 2, 2>,
        _: ResNetHead<1000>,
    }

    /// ResNet-34: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet34()`.
    ///
    /// **21,797,672 params, 3,663,761,408 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet34 {
        _: ResNetStem,
        layer1: BasicStage<64, 3, 1>,
        layer2: BasicStage<128, 4, 2>,
        layer3: BasicStage<256, 6, 2>,
        layer4: BasicStage<512, 3, 2>,
        _: ResNetHead<1000>,
    }

    /// ResNet-50: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet50()` (stride on the 3×3 convolution).
    ///
    /// **25,557,032 params, 4,089,184,256 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet50 {
        _: ResNetStem,
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 4, 2, 1, 64>,
        layer3: BottleneckStage<256, 6, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        _: ResNetHead<1000>,
    }

    /// ResNet-101: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet101()`.
    ///
    /// **44,549,160 params, 7,801,405,440 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet101 {
        _: ResNetStem,
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 4, 2, 1, 64>,
        layer3: BottleneckStage<256, 23, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        _: ResNetHead<1000>,
    }

    /// ResNet-152: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet152()`.
    ///
    /// **60,192,808 params, 11,513,626,624 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet152 {
        _: ResNetStem,
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 8, 2, 1, 64>,
        layer3: BottleneckStage<256, 36, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        _: ResNetHead<1000>,
    }

    /// ResNeXt-50 32×4d: Xie et al., "Aggregated Residual Transformations for Deep Neural
    /// Networks" (CVPR 2017, arXiv:1611.05431), as torchvision's `resnext50_32x4d()`: ResNet-50
    /// with 32 groups of width 4 (per 64 planes) in every 3×3 convolution.
    ///
    /// **25,028,904 params, 4,230,479,872 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNext50_32x4d {
        _: ResNetStem,
        layer1: BottleneckStage<64, 3, 1, 32, 4>,
        layer2: BottleneckStage<128, 4, 2, 32, 4>,
        layer3: BottleneckStage<256, 6, 2, 32, 4>,
        layer4: BottleneckStage<512, 3, 2, 32, 4>,
        _: ResNetHead<1000>,
    }

    /// Wide ResNet-50-2: Zagoruyko & Komodakis, "Wide Residual Networks" (BMVC 2016,
    /// arXiv:1605.07146), as torchvision's `wide_resnet50_2()`: ResNet-50 with every
    /// bottleneck's inner width doubled (the outer 4·planes channels unchanged).
    ///
    /// **68,883,240 params, 11,398,021,120 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model WideResNet50_2 {
        _: ResNetStem,
        layer1: BottleneckStage<64, 3, 1, 1, 128>,
        layer2: BottleneckStage<128, 4, 2, 1, 128>,
        layer3: BottleneckStage<256, 6, 2, 1, 128>,
        layer4: BottleneckStage<512, 3, 2, 1, 128>,
        _: ResNetHead<1000>,
    }
}

// torchvision 0.29 (`sum(p.numel() for p in model.parameters())`, `FlopCounterMode` / 2, and
// `model.buffers()`: BatchNorm's running mean and variance, plus one `num_batches_tracked` per
// BatchNorm in `ALL_BUFFERS`).
crate::const_assert!(ResNet18::PARAMS == 11_689_512);
crate::const_assert!(ResNet18::MACS == 1_814_073_344);
crate::const_assert!(ResNet18::BUFFERS == 9_600);
crate::const_assert!(ResNet18::ALL_BUFFERS == 9_620);
crate::const_assert!(super::imagenet_logits(ResNet18::OUTPUT_SHAPE));
crate::const_assert!(ResNet34::PARAMS == 21_797_672);
crate::const_assert!(ResNet34::MACS == 3_663_761_408);
crate::const_assert!(ResNet34::BUFFERS == 17_024);
crate::const_assert!(ResNet34::ALL_BUFFERS == 17_060);
crate::const_assert!(super::imagenet_logits(ResNet34::OUTPUT_SHAPE));
crate::const_assert!(ResNet50::PARAMS == 25_557_032);
crate::const_assert!(ResNet50::MACS == 4_089_184_256);
crate::const_assert!(ResNet50::BUFFERS == 53_120);
crate::const_assert!(ResNet50::ALL_BUFFERS == 53_173);
crate::const_assert!(super::imagenet_logits(ResNet50::OUTPUT_SHAPE));
crate::const_assert!(ResNet101::PARAMS == 44_549_160);
crate::const_assert!(ResNet101::MACS == 7_801_405_440);
crate::const_assert!(ResNet101::BUFFERS == 105_344);
crate::const_assert!(ResNet101::ALL_BUFFERS == 105_448);
crate::const_assert!(super::imagenet_logits(ResNet101::OUTPUT_SHAPE));
crate::const_assert!(ResNet152::PARAMS == 60_192_808);
crate::const_assert!(ResNet152::MACS == 11_513_626_624);
crate::const_assert!(ResNet152::BUFFERS == 151_424);
crate::const_assert!(ResNet152::ALL_BUFFERS == 151_579);
crate::const_assert!(super::imagenet_logits(ResNet152::OUTPUT_SHAPE));
crate::const_assert!(ResNext50_32x4d::PARAMS == 25_028_904);
crate::const_assert!(ResNext50_32x4d::MACS == 4_230_479_872);
crate::const_assert!(ResNext50_32x4d::BUFFERS == 68_224);
crate::const_assert!(ResNext50_32x4d::ALL_BUFFERS == 68_277);
crate::const_assert!(super::imagenet_logits(ResNext50_32x4d::OUTPUT_SHAPE));
crate::const_assert!(WideResNet50_2::PARAMS == 68_883_240);
crate::const_assert!(WideResNet50_2::MACS == 11_398_021_120);
crate::const_assert!(WideResNet50_2::BUFFERS == 68_224);
crate::const_assert!(WideResNet50_2::ALL_BUFFERS == 68_277);
crate::const_assert!(super::imagenet_logits(WideResNet50_2::OUTPUT_SHAPE));
