use nncost::prelude::*;

network! {
    pub block Stage<const C: u64> {
        conv1: Conv2d::new(C, 3).padding(1),
        conv2: Conv2d::new(C, 3).in_channels(32),
    }

    #[input(3, 32, 32)]
    pub model Net {
        stem: Conv2d::new(16, 3),
        layer1: [Stage<16>; 2],
    }
}

fn main() {}
