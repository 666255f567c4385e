use nncost::prelude::*;

network! {
    #[input(64)]
    pub model Vector {
        attn: MultiheadAttention::new(64, 4),
    }

    #[input(4, 50, 96)]
    pub model Windows {
        attn: MultiheadAttention::new(96, 3).relative_position_bias(7, 7),
    }
}

fn main() {}
