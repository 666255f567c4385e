use nncost::prelude::*;

network! {
    #[input(tokens = 1, cache = 4096)]
    pub model Typo {
        wte: Embedding::new(100, 64),
    }

    #[input(cached = 4096)]
    pub model NoTokens {
        wte: Embedding::new(100, 64),
    }

    #[input(tokens = 1, cached = 4096, 8)]
    pub model Extra {
        wte: Embedding::new(100, 64),
    }
}

fn main() {}
