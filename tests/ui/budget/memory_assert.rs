use nncost::prelude::*;

network! {
    #[input(3, 224, 224)]
    pub model Stem {
        conv: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn: BatchNorm2d::new(),
        relu: ReLU,
    }
}

nncost::assert_budget!(Stem: activations <= 10MiB, memory_access <= 10 MB);

fn main() {}
