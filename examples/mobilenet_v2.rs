//! MobileNetV2 (Sandler et al., 2018) as torchvision builds it, with descriptive layer names
//! (`stage2.first.conv.expand`; the zoo's `nncost::zoo::MobileNetV2` has torchvision's own
//! paths, `features.2.conv.0.0`), costed at compile time.
use nncost::prelude::*;

network! {
    /// The inverted residual's layers: expand 1×1 (skipped when the expansion `T` is 1),
    /// depthwise 3×3 with stride `S`, linear projection 1×1 to `OUT` channels.
    pub block InvertedBody<const IN: u64, const OUT: u64, const S: u64, const T: u64> {
        if T != 1 {
            expand: Conv2d::new(IN * T, 1).bias(false),
            expand_bn: BatchNorm2d::new(),
            expand_relu: ReLU6,
        },
        depthwise: Conv2d::new(IN * T, 3).stride(S).padding(1).groups(IN * T).bias(false),
        depthwise_bn: BatchNorm2d::new(),
        depthwise_relu: ReLU6,
        project: Conv2d::new(OUT, 1).bias(false),
        project_bn: BatchNorm2d::new(),
    }

    /// torchvision's `InvertedResidual`: a residual connection when stride is 1 and the
    /// channel count is kept.
    pub block InvertedResidual<const IN: u64, const OUT: u64, const S: u64, const T: u64> {
        if S == 1 && IN == OUT {
            residual { conv: InvertedBody<IN, OUT, S, T> },
        } else {
            conv: InvertedBody<IN, OUT, S, T>,
        },
    }

    /// A stage: `N` inverted residuals, the first with stride `S`, expansion `T`.
    pub block Stage<const IN: u64, const OUT: u64, const N: u64, const S: u64, const T: u64> {
        first: InvertedResidual<IN, OUT, S, T>,
        rest: [InvertedResidual<OUT, OUT, 1, T>; N - 1],
    }

    #[input(3, 224, 224)]
    #[budget(params <= 3.6M, macs <= 310M, weights <= 16MiB, peak_memory <= 24MiB)]
    pub model MobileNetV2 {
        stem: Conv2d::new(32, 3).stride(2).padding(1).bias(false),
        stem_bn: BatchNorm2d::new(),
        stem_relu: ReLU6,
        stage1: Stage<32, 16, 1, 1, 1>,
        stage2: Stage<16, 24, 2, 2, 6>,
        stage3: Stage<24, 32, 3, 2, 6>,
        stage4: Stage<32, 64, 4, 2, 6>,
        stage5: Stage<64, 96, 3, 1, 6>,
        stage6: Stage<96, 160, 3, 2, 6>,
        stage7: Stage<160, 320, 1, 1, 6>,
        head: Conv2d::new(1280, 1).bias(false),
        head_bn: BatchNorm2d::new(),
        head_relu: ReLU6,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        dropout: Dropout,
        classifier: Linear::new(1000),
    }
}

nncost::const_assert!(MobileNetV2::PARAMS == 3_504_872);
nncost::const_assert!(MobileNetV2::MACS == 300_774_272);
// Memory at f32 (the crate docs give the execution model): 3,504,872 parameters × 4 bytes;
// every tensor at once; weights + the largest set alive (stage2's expanded 96×112×112 tensor
// and its BatchNorm output); bytes read and written by all layers.
nncost::const_assert!(MobileNetV2::WEIGHT_BYTES == 3_504_872 * 4);
nncost::const_assert!(MobileNetV2::ACTIVATION_BYTES == 79_324_832);
nncost::const_assert!(
    MobileNetV2::PEAK_MEMORY_BYTES == MobileNetV2::WEIGHT_BYTES + 4 * 2 * 96 * 112 * 112
);
nncost::const_assert!(MobileNetV2::MEMORY_ACCESS_BYTES == 172_928_576);

fn main() {
    println!("{}", MobileNetV2::summary());
}
