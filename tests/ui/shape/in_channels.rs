use nncost::prelude::*;

network! {
    #[input(3, 224, 224)]
    pub model Net {
        conv1: Conv2d::new(64, 7).stride(2).padding(3),
        conv2: Conv2d::new(128, 3).in_channels(32),
    }
}

fn main() {}
