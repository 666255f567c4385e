use nncost::prelude::*;

network! {
    #[input(512)]
    pub model Head {
        fc: Linear::new(256),
        conv1: Conv2d::new(64, 3),
    }
}

fn main() {}
