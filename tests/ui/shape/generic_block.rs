// A shape error inside a generic block is reported for the instance that has it, with the
// whole path from the model.
use nncost::prelude::*;

network! {
    pub block Head<const F: u64> {
        fc1: Linear::new(F),
        fc2: Linear::new(10).in_features(100),
    }

    #[input(512)]
    pub model Net {
        head: Head<256>,
    }
}

fn main() {}
