// `crate = path` is where generated code finds nncost (for a renamed dependency, as the
// `nncost_test_blocks` crate does with `crate = nn`); a wrong path is reported at the path.
use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(crate = nn)]
pub struct Block {
    pub relu: ReLU,
}

fn main() {}
