use nncost::prelude::*;

network! {
    #[input(3, 1000000, 1000000)]
    #[batch(1000000)]
    pub model Huge {
        conv: Conv2d::new(64, 3),
    }
}

fn main() {}
