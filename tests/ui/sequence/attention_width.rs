use nncost::prelude::*;

network! {
    #[input(10, 48)]
    pub model Wrong {
        attn: MultiheadAttention::new(64, 4),
    }

    #[input(10, 48)]
    pub model Heads {
        attn: MultiheadAttention::new(48, 5),
    }
}

fn main() {}
