use nncost::prelude::*;

network! {
    #[input(64)]
    pub model Net {
        sum: add {
            wide: Linear::new(128),
            narrow: Linear::new(64),
        },
    }
}

fn main() {}
