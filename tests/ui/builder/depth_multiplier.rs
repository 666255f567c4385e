use nncost::prelude::*;

network! {
    #[input(16, 8, 8)]
    pub model Net {
        dw: Conv2d::new(32, 3).depth_multiplier(2),
    }
}

fn main() {}
