use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(batch = 8, budget(params <= 1M), skip)]
#[layer(ReLU)]
pub struct Block {
    #[layer(Conv2d::new(8, 3), ReLU)]
    pub conv: (),
    #[layer]
    pub relu: (),
}

#[derive(ModelCost)]
pub struct Empty {
    #[nncost(skip)]
    pub rate: f32,
}

fn main() {}
