use nncost::prelude::*;

network! {
    #[input(3, 224, 224)]
    #[budget(params <= 10M, macs <= 50M)]
    pub model Wide {
        conv: Conv2d::new(64, 3).padding(1),
        relu: ReLU,
    }
}

fn main() {}
