use nncost::prelude::*;

network! {
    #[input(64, 8, 8)]
    pub model Net {
        scaled: mul {
            x: Identity,
            gamma: Parameter::new(&[64, 0, 1]),
        },
    }
}

fn main() {}
