use nncost::prelude::*;

network! {
    #[input(8)]
    model Net {
        #[trian_only]
        typo: ReLU,
        _: Linear::new(8),
    }
}

fn main() {}
