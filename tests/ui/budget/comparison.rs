use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(macs < 2G, params >= 1M, flops <=)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
