use nncost::prelude::*;

network! {
    #[input(1 << 30, 1 << 30)]
    #[batch(4)]
    pub model Huge {
        relu: ReLU,
    }
}

fn main() {}
