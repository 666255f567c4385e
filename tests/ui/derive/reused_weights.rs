// A field applied twice is the same module applied again: right for `act`, refused for `fc`,
// whose weights a second application would share.
use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(16), forward(fc, act, fc, act))]
pub struct Net {
    #[layer(Linear::new(16))]
    pub fc: (),
    #[layer(ReLU)]
    pub act: (),
}

fn main() {}
