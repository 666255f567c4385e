//! ResNet-18 (He et al., 2015) in torchvision's layout, costed at compile time.
use nncost::prelude::*;

network! {
    /// ResNet basic block with `C` output channels and stride `S`.
    pub block BasicBlock<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            // identity when the shape already matches, else 1x1 conv + BN
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu_out: ReLU,
    }

    #[input(3, 224, 224)]
    #[budget(params <= 12M, macs <= 2G, weights <= 48MiB, peak_memory <= 64MiB)]
    pub model ResNet18 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: [BasicBlock<64, 1>; 2],
        layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
        layer3: (BasicBlock<256, 2>, BasicBlock<256, 1>),
        layer4: (BasicBlock<512, 2>, BasicBlock<512, 1>),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(1000),
    }
}

nncost::const_assert!(ResNet18::PARAMS == 11_689_512);
nncost::const_assert!(ResNet18::MACS == 1_814_073_344);
// Memory at f32 (the crate docs give the execution model): 11,689,512 parameters × 4 bytes;
// every tensor at once; weights + the largest set alive (bn1's input and output, 2 × 64×112×112);
// bytes read and written by all layers.
nncost::const_assert!(ResNet18::WEIGHT_BYTES == 11_689_512 * 4);
nncost::const_assert!(ResNet18::ACTIVATION_BYTES == 32_821_152);
nncost::const_assert!(
    ResNet18::PEAK_MEMORY_BYTES == ResNet18::WEIGHT_BYTES + 4 * 2 * 64 * 112 * 112
);
nncost::const_assert!(ResNet18::MEMORY_ACCESS_BYTES == 115_507_264);
nncost::assert_budget!(ResNet18: macs <= 1.9G, flops <= 4G);

fn main() {
    println!("{}", ResNet18::summary());
}
