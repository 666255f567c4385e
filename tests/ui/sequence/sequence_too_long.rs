use nncost::prelude::*;

network! {
    #[input(tokens = 2048)]
    pub model Lm {
        wte: Embedding::new(100, 64),
        wpe: PositionEmbedding::new(1024),
    }
}

fn main() {}
