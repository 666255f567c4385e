// A roofline lower bound over the budget fails the build, with both times and the split.
use nncost::prelude::*;

network! {
    #[input(64, 112, 112)]
    #[budget(latency(nncost::devices::H100_SXM) <= 1ms, latency(nncost::devices::RASPBERRY_PI_5) <= 1ms)]
    pub model Stage {
        conv: Conv2d::new(64, 3).padding(1),
        relu: ReLU,
    }
}

fn main() {}
