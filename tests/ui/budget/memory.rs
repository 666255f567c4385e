use nncost::prelude::*;

network! {
    #[input(3, 224, 224)]
    #[dtype(weights = int8)]
    #[budget(weights <= 16KiB, peak_memory <= 4MiB)]
    pub model Stem {
        conv: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn: BatchNorm2d::new(),
        relu: ReLU,
    }
}

fn main() {}
