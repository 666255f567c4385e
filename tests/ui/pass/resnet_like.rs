// A full build (trybuild runs `cargo build` when a pass test exists), which is what evaluates
// budgets on generic instances.
use nncost::prelude::*;

network! {
    /// A residual block with `C × M` channels and stride `S`. (Stable Rust cannot pass
    /// `{ 2 * W }` as a generic argument, so the arithmetic happens inside the block.)
    pub block Block<const C: u64, const M: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(C * M, 3).stride(S).padding(1).bias(false),
            bn1: BatchNorm2d::new(),
            relu: ReLU,
            conv2: Conv2d::new(C * M, 3).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(C * M).stride(S),
        },
        relu_out: ReLU,
    }

    /// A generic model: its budget is checked per instance.
    #[input(3, 32, 32)]
    #[budget(params <= 1M)]
    pub model Net<const W: u64> {
        stem: Conv2d::new(W, 3).padding(1).bias(false),
        stage1: [Block<W, 1, 1>; 2],
        stage2: (Block<W, 2, 2>, Block<W, 2, 1>),
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(10),
    }
}

nncost::assert_budget!(Net<16>: params <= 200K, macs <= 50M, flops <= 0.1G);
nncost::const_assert!(Net::<16>::MACS < Net::<32>::MACS);

fn main() {
    assert_eq!(Net::<16>::OUTPUT_SHAPE, Shape::new(&[1, 10]));
    println!("{}", Net::<16>::summary());
}
