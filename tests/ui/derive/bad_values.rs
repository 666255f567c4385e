use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(), batch(8), budget(macs < 2G, params <= -1), crate = "not a path")]
pub struct Net {
    pub relu: ReLU,
}

#[derive(ModelCost)]
#[nncost(input(8), residual(a..b), concat(a, b, c), residual(a, shortcut b))]
pub struct Groups {
    pub a: ReLU,
    pub b: ReLU,
    pub c: ReLU,
}

fn main() {}
