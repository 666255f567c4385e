// Without flash (a board whose weights load into RAM), the whole peak, weights included, must
// fit the RAM.
use nncost::prelude::*;
use nncost::{Device, Peaks};

const BOARD: Device = Device::new("Board", Peaks::new(1e9), 1e9, 64 << 20);

network! {
    #[input(4096)]
    #[budget(fits(BOARD))]
    pub model Mlp {
        fc1: Linear::new(4096),
        fc2: Linear::new(4096),
    }
}

fn main() {}
