use nncost::prelude::*;

network! {
    #[input(16)]
    #[dtype(weights = 8, activations = DType::F16)]
    pub model Net {
        fc: Linear::new(4),
    }
}

fn main() {}
