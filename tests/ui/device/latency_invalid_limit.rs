// A latency limit is counted in whole picoseconds.
use nncost::prelude::*;

network! {
    #[input(16)]
    #[budget(latency(nncost::devices::H100_SXM) <= 0.0001ns)]
    pub model Net {
        fc: Linear::new(16),
    }
}

fn main() {}
