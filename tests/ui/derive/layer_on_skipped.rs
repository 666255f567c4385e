use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(1, 28, 28))]
pub struct Net {
    #[layer(Conv2d::new(6, 5))]
    pub conv: (),
    #[nncost(skip)]
    #[layer(Dropout::new(0.5))]
    pub dropout: (),
}

fn main() {}
