use nncost::prelude::*;

network! {
    #[input(4000000000)]
    #[dtype(weights = int8)]
    pub model Huge {
        fc1: Linear::new(1250000000).bias(false),
        fc2: Linear::new(4000000000).bias(false),
    }
}

fn main() {}
