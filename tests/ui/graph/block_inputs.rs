use nncost::prelude::*;

network! {
    pub block Pair(a, b) -> (sum, product) {
        sum: add(a, b),
        product: mul(a, b),
    }

    #[input(4)]
    model Net {
        pair: Pair,
    }
}

fn main() {}
