use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(3, 32, 32))]
pub struct Net<B> {
    #[layer(Conv2d::new(16, 3))]
    pub conv1: Vec<B>,
    #[layer(Conv2d::new(32, 3).in_channels(8))]
    pub conv2: Vec<B>,
}

const _: u64 = Net::<f32>::PARAMS;

fn main() {}
