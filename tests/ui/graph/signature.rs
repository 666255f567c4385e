use nncost::prelude::*;

network! {
    pub block Shaped(x: [4]) {
        fc: Linear::new(4),
    }

    #[input(4)]
    model Both(x: [4], y) {
        fc: add(x, y),
    }
}

fn main() {}
