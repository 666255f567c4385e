use nncost::prelude::*;

network! {
    /// A residual whose body halves the resolution: [1, 8, 16, 16] + [1, 8, 32, 32].
    #[input(8, 32, 32)]
    pub model Net {
        stage: residual {
            conv: Conv2d::new(8, 3).stride(2).padding(1),
        },
    }
}

fn main() {}
