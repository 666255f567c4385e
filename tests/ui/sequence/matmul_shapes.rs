use nncost::prelude::*;

network! {
    #[input(10, 32)]
    pub model Scores {
        scores: matmul {
            q: Linear::new(16),
            k: Linear::new(16),
        },
    }
}

fn main() {}
