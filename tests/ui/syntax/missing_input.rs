use nncost::prelude::*;

network! {
    pub model Net {
        fc: Linear::new(10),
    }

    #[input(16)]
    #[batch(4)]
    pub block Head {
        fc: Linear::new(10),
    }
}

fn main() {}
