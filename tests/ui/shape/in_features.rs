use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(8, 3).padding(1),
        flatten: Flatten,
        fc: Linear::new(10).in_features(4096),
    }
}

fn main() {}
