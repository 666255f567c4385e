// ResNet-18's 46.8 MB of f32 weights do not fit the 2 MiB of flash of an STM32H743, nor do its
// activations fit the 1 MiB of RAM.
use nncost::prelude::*;

network! {
    pub block BasicBlock<const C: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C).stride(S),
        },
        relu_out: ReLU,
    }

    #[input(3, 224, 224)]
    #[budget(params <= 12M, fits(nncost::devices::STM32H743))]
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

fn main() {}
