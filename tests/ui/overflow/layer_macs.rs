// A figure that does not fit in u64 is an error at the layer that overflows it, never a
// silent wrap.
use nncost::prelude::*;

network! {
    #[input(1000000000)]
    #[batch(1000000)]
    pub model Huge {
        fc: Linear::new(1000000),
    }
}

fn main() {}
