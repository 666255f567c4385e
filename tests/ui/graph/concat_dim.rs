use nncost::prelude::*;

network! {
    #[input(4, 8)]
    model Net {
        a: Linear::new(8),
        cat: concat(a, a, dim = 3),
    }
}

fn main() {}
