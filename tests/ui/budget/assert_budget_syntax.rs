use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

nncost::assert_budget!(Net macs <= 1G);
nncost::assert_budget!(Net:);
nncost::assert_budget!(Net: params <= 1M mac <= 1G);

fn main() {}
