use nncost::prelude::*;

network! {
    #[input(3, 8, 8)]
    model Net {
        c1: Conv2d::new(8, 1),
        c2: Conv2d::new(8, 1),
        sum: add(c1, c3),
        out: cc2 -> ReLU,
    }
}

fn main() {}
