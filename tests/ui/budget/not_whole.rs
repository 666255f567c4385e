use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(params <= 1.5)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }

    #[input(3, 32, 32)]
    pub model Other {
        conv: Conv2d::new(8, 3),
    }
}

nncost::assert_budget!(Other: macs <= 100000000T);

fn main() {}
