use nncost::prelude::*;

pub struct Block<B>(Vec<B>);

#[derive(ModelCost)]
#[nncost(input(3, 32, 32))]
pub struct Net<B> {
    #[layer(Conv2d::new(8, 3))]
    pub stem: (),
    pub blocks: Vec<Block<B>>,
}

fn main() {}
