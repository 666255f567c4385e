use nncost::prelude::*;

network! {
    #[input(tokens = 16)]
    pub model Lm {
        fc: Linear::new(64),
        head: Linear::new(100),
    }
}

fn main() {}
