use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Small<const C: u64> {
        conv: Conv2d::new(C, 3).padding(1),
    }
}

nncost::assert_budget!(Small<16>: params <= 1K, macs <= 400K);
nncost::assert_budget!(Small<64>: params <= 1K);

fn main() {}
