use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(3, 224, 224), budget(params <= 10M, macs <= 50M))]
pub struct Wide {
    #[layer(Conv2d::new(64, 3).padding(1))]
    pub conv: Vec<f32>,
}

fn main() {}
