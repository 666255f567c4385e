use nncost::prelude::*;

network! {
    #[input(8, 32, 32)]
    pub model Net {
        shortcut { proj: Projection::conv_bn(8) },
        residual {},
        concat { only: ReLU },
        mixed: add {},
    }
}

fn main() {}
