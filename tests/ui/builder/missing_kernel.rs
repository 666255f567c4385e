use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(16),
    }
}

fn main() {}
