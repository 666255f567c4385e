use nncost::prelude::*;

network! {
    #[input(32, 8, 8)]
    pub model Net {
        squeeze: Conv2d::ratio(1, 64, 1),
    }
}

fn main() {}
