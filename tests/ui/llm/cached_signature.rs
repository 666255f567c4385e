use nncost::prelude::*;

network! {
    pub model TwoCaches(a: tokens(1, cached = 3), b: tokens(1, cached = 4)) -> out {
        out: a -> Embedding::new(100, 64),
    }
}

network! {
    pub model Misspelt(a: tokens(1, cache = 3)) -> out {
        out: a -> Embedding::new(100, 64),
    }
}

fn main() {}
