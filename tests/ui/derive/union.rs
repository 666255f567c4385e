use nncost::prelude::*;

#[derive(ModelCost)]
pub union Net {
    pub a: u32,
    pub b: f32,
}

fn main() {}
