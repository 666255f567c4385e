//! Blocks and a model declared in a crate other than the one that uses them, with `nncost`
//! renamed to `nn`, to prove that declarations compose across crates and survive a rename.
#![deny(warnings, missing_docs)]

use nn::layers::{BatchNorm2d, Conv2d, Projection, ReLU};

nn::network! {
    /// ResNet basic block with `C` output channels and stride `S`.
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

    /// A stem for 224×224 images, as ResNet's.
    pub block Stem {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: nn::layers::MaxPool2d::new(3).stride(2).padding(1),
    }

    /// A small complete model, usable as a block elsewhere.
    #[input(3, 32, 32)]
    pub model Tiny {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
    }
}
