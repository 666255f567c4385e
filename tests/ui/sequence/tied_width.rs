use nncost::prelude::*;

const WTE: Embedding = Embedding::new(100, 64);

network! {
    #[input(tokens = 8)]
    pub model Lm {
        wte: WTE,
        proj: Linear::new(32),
        lm_head: Linear::tied(WTE),
    }
}

fn main() {}
