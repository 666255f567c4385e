use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(64, 3).groups(5),
    }
}

fn main() {}
