use nncost::prelude::*;

network! {
    #[input(30, 16, 16)]
    pub model Net {
        depthwise: Conv2d::new(32, 3).groups(4),
    }
}

fn main() {}
