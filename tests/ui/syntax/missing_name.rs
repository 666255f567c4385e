use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        Conv2d::new(16, 3),
        ReLU,
        : Linear::new(10),
        fc: Linear::new(10),
    }
}

fn main() {}
