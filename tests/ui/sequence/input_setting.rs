use nncost::prelude::*;

network! {
    #[input(token = 16)]
    pub model Lm {
        wte: Embedding::new(100, 64),
    }

    #[input(tokens = 16, 64)]
    pub model Both {
        wte: Embedding::new(100, 64),
    }
}

fn main() {}
