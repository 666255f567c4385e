use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv1: Conv2d::new(16, 3).stride(2),
        pool: MaxPool2d::new(2),
        conv2: Conv2d::new(32, 11).padding(1),
    }
}

fn main() {}
