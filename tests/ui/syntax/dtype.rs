use nncost::prelude::*;

network! {
    #[input(16)]
    #[dtype(weights = int9, activation = f16)]
    #[budget(weights <= 4M, peak_memory <= 2 GB)]
    pub model Net {
        fc: Linear::new(4),
    }

    #[dtype(f16)]
    pub block Head {
        fc: Linear::new(4),
    }

    #[input(16)]
    #[dtype(F16)]
    pub model Upper {
        fc: Linear::new(4),
    }

    #[input(16)]
    #[dtype(weights = int8 activations = f16)]
    pub model NoComma {
        fc: Linear::new(4),
    }
}

fn main() {}
