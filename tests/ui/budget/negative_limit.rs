use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(params <= -1, macs <= -2G)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
