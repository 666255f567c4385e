// A name used again in a scope is the same module applied again (burn's shared `dropout`): fine
// for a layer without weights (`stage.relu`, numbered `relu_2`), an error for one with weights,
// which needs a name of its own (or, if it is meant, weight sharing).
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
