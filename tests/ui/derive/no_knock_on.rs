// After a derive error, the names its layers use stay used: the only error is the misspelt key.
#![deny(unused_imports)]
use nncost::ModelCost;

mod config {
    pub const WIDTH: u64 = 16;
    pub const fn doubled(n: u64) -> u64 {
        2 * n
    }
}

use config::{doubled, WIDTH};

#[derive(ModelCost)]
#[nncost(inptu(3, 32, 32))]
pub struct Net {
    #[layer(Conv2d::new(WIDTH, 3))]
    pub conv: (),
    #[nncost(after(fc: Linear::new(doubled(4))))]
    #[layer(Flatten)]
    pub flatten: (),
}

fn main() {}
