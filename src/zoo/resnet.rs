//! ResNet-18/34/50/101/152, ResNeXt-50 (32×4d) and Wide ResNet-50-2, as torchvision's
//! `resnet*()`, `resnext50_32x4d()` and `wide_resnet50_2()`.

use crate::prelude::*;

/// torchvision's `Bottleneck` width: `int(planes · (width_per_group / 64)) · groups`.
const fn bottleneck_width(planes: u64, groups: u64, width_per_group: u64) -> u64 {
    planes * width_per_group / 64 * groups
}

network! {
    /// ResNet's basic block (two 3×3 convolutions) with `C` output channels and stride `S`,
    /// as torchvision's `BasicBlock`: He et al., "Deep Residual Learning for Image
    /// Recognition" (CVPR 2016, arXiv:1512.03385). The shortcut is the identity when the
    /// shape is kept, else a 1×1 convolution with stride `S` and BatchNorm (`downsample`).
    pub block BasicBlock<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu1: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu: ReLU,
    }

    /// ResNet's bottleneck block, as torchvision's `Bottleneck` (stride on the 3×3
    /// convolution, "ResNet v1.5"): 1×1 to the width, 3×3 with stride `S` in `GROUPS` groups,
    /// 1×1 to `4·C` channels, where the width is `C · WIDTH_PER_GROUP / 64 · GROUPS`.
    ///
    /// One block for three papers: `GROUPS = 1, WIDTH_PER_GROUP = 64` is ResNet's (He et al.,
    /// "Deep Residual Learning for Image Recognition", CVPR 2016); `32, 4` is ResNeXt's
    /// 32×4d (Xie et al., "Aggregated Residual Transformations for Deep Neural Networks",
    /// CVPR 2017); `1, 128` is Wide ResNet's doubled width (Zagoruyko & Komodakis, "Wide
    /// Residual Networks", BMVC 2016).
    pub block Bottleneck<const C: u64, const S: u64, const GROUPS: u64, const WIDTH_PER_GROUP: u64> {
        residual {
            conv1: Conv2d::new(bottleneck_width(C, GROUPS, WIDTH_PER_GROUP), 1).bias(false),
            bn1: BatchNorm2d::new(),
            relu1: ReLU,
            conv2: Conv2d::new(bottleneck_width(C, GROUPS, WIDTH_PER_GROUP), 3)
                .stride(S)
                .padding(1)
                .groups(GROUPS)
                .bias(false),
            bn2: BatchNorm2d::new(),
            relu2: ReLU,
            conv3: Conv2d::new(C * 4, 1).bias(false),
            bn3: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C * 4).stride(S),
        },
        relu: ReLU,
    }

    /// A ResNet stage of `N` [`BasicBlock`]s with `C` channels, the first with stride `S`
    /// (torchvision's `_make_layer`).
    pub block BasicStage<const C: u64, const N: u64, const S: u64> {
        first: BasicBlock<C, S>,
        rest: [BasicBlock<C, 1>; N - 1],
    }

    /// A ResNet stage of `N` [`Bottleneck`]s with `C` planes (`4·C` output channels), the first
    /// with stride `S` (torchvision's `_make_layer`).
    pub block BottleneckStage<
        const C: u64,
        const N: u64,
        const S: u64,
        const GROUPS: u64,
        const WIDTH_PER_GROUP: u64,
    > {
        first: Bottleneck<C, S, GROUPS, WIDTH_PER_GROUP>,
        rest: [Bottleneck<C, 1, GROUPS, WIDTH_PER_GROUP>; N - 1],
    }

    /// ResNet-18: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet18()`.
    ///
    /// **11,689,512 params, 1,814,073,344 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet18 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BasicStage<64, 2, 1>,
        layer2: BasicStage<128, 2, 2>,
        layer3: BasicStage<256, 2, 2>,
        layer4: BasicStage<512, 2, 2>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNet-34: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet34()`.
    ///
    /// **21,797,672 params, 3,663,761,408 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet34 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BasicStage<64, 3, 1>,
        layer2: BasicStage<128, 4, 2>,
        layer3: BasicStage<256, 6, 2>,
        layer4: BasicStage<512, 3, 2>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNet-50: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet50()` (stride on the 3×3 convolution).
    ///
    /// **25,557,032 params, 4,089,184,256 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet50 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 4, 2, 1, 64>,
        layer3: BottleneckStage<256, 6, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNet-101: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet101()`.
    ///
    /// **44,549,160 params, 7,801,405,440 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet101 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 4, 2, 1, 64>,
        layer3: BottleneckStage<256, 23, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNet-152: He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016,
    /// arXiv:1512.03385), as torchvision's `resnet152()`.
    ///
    /// **60,192,808 params, 11,513,626,624 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNet152 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BottleneckStage<64, 3, 1, 1, 64>,
        layer2: BottleneckStage<128, 8, 2, 1, 64>,
        layer3: BottleneckStage<256, 36, 2, 1, 64>,
        layer4: BottleneckStage<512, 3, 2, 1, 64>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// ResNeXt-50 32×4d: Xie et al., "Aggregated Residual Transformations for Deep Neural
    /// Networks" (CVPR 2017, arXiv:1611.05431), as torchvision's `resnext50_32x4d()`: ResNet-50
    /// with 32 groups of width 4 (per 64 planes) in every 3×3 convolution.
    ///
    /// **25,028,904 params, 4,230,479,872 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model ResNext50_32x4d {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BottleneckStage<64, 3, 1, 32, 4>,
        layer2: BottleneckStage<128, 4, 2, 32, 4>,
        layer3: BottleneckStage<256, 6, 2, 32, 4>,
        layer4: BottleneckStage<512, 3, 2, 32, 4>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }

    /// Wide ResNet-50-2: Zagoruyko & Komodakis, "Wide Residual Networks" (BMVC 2016,
    /// arXiv:1605.07146), as torchvision's `wide_resnet50_2()`: ResNet-50 with every
    /// bottleneck's inner width doubled (the outer 4·planes channels unchanged).
    ///
    /// **68,883,240 params, 11,398,021,120 MACs** at 3×224×224, batch 1 (torchvision's
    /// figures; asserted at compile time).
    #[input(3, 224, 224)]
    pub model WideResNet50_2 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: BottleneckStage<64, 3, 1, 1, 128>,
        layer2: BottleneckStage<128, 4, 2, 1, 128>,
        layer3: BottleneckStage<256, 6, 2, 1, 128>,
        layer4: BottleneckStage<512, 3, 2, 1, 128>,
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }
}

crate::const_assert!(ResNet18::PARAMS == 11_689_512);
crate::const_assert!(ResNet18::MACS == 1_814_073_344);
crate::const_assert!(ResNet34::PARAMS == 21_797_672);
crate::const_assert!(ResNet34::MACS == 3_663_761_408);
crate::const_assert!(ResNet50::PARAMS == 25_557_032);
crate::const_assert!(ResNet50::MACS == 4_089_184_256);
crate::const_assert!(ResNet101::PARAMS == 44_549_160);
crate::const_assert!(ResNet101::MACS == 7_801_405_440);
crate::const_assert!(ResNet152::PARAMS == 60_192_808);
crate::const_assert!(ResNet152::MACS == 11_513_626_624);
crate::const_assert!(ResNext50_32x4d::PARAMS == 25_028_904);
crate::const_assert!(ResNext50_32x4d::MACS == 4_230_479_872);
crate::const_assert!(WideResNet50_2::PARAMS == 68_883_240);
crate::const_assert!(WideResNet50_2::MACS == 11_398_021_120);
