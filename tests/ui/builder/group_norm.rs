use nncost::prelude::*;

network! {
    #[input(30, 8, 8)]
    pub model Net {
        norm: GroupNorm::new(4).num_channels(30),
    }
}

fn main() {}
