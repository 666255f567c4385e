use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(params <= "12M", macs <= twelve)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
