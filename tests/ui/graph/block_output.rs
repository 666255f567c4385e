use nncost::prelude::*;

network! {
    pub block Pair(a, b) -> (sum, product) {
        sum: add(a, b),
        product: mul(a, b),
    }

    model Net(x: [4], y: [4]) {
        pair: (x, y) -> Pair,
        out: pair.difference -> ReLU,
    }
}

fn main() {}
