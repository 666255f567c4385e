use nncost::prelude::*;

network! {
    #[input(8)]
    model Net {
        a: Linear::new(8),
        one: add(a),
        bad_dim: mul(a, a, dim = 1),
        cat: concat(a, a, dim = 3),
    }
}

fn main() {}
