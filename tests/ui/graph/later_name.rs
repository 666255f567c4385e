use nncost::prelude::*;

network! {
    #[input(8)]
    model Net {
        a: b -> Linear::new(8),
        b: Linear::new(8),
        c: c -> ReLU,
    }
}

fn main() {}
