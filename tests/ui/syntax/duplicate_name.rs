use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Net {
        conv: Conv2d::new(16, 3).padding(1),
        residual {
            conv: Conv2d::new(16, 3).padding(1),
        },
        stage: {
            relu: ReLU,
            relu: ReLU,
        },
    }
}

fn main() {}
