use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(macs <= 2Gb, weights <= 4 mib, params <= 3X)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
