use nncost::prelude::*;

#[derive(ModelCost)]
pub enum Net {
    Small(ReLU),
    Large(GELU),
}

// The fallback impl keeps uses elsewhere from piling up more errors.
pub fn uses() -> Node {
    <Net as ModelCost>::NODE
}

fn main() {}
