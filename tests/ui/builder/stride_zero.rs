// A setting that comes from a const generic fails for the instance that has it, at the builder
// inside the block.
use nncost::prelude::*;

network! {
    pub block Down<const S: u64> {
        conv: Conv2d::new(16, 3).stride(S),
    }

    #[input(3, 32, 32)]
    pub model Net {
        down: Down<0>,
    }
}

fn main() {}
