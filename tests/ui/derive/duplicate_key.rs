use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(input(1, 28, 28), batch = 2)]
#[nncost(input(3, 28, 28), batch = 4, crate = nncost, crate = nncost)]
pub struct Net {
    #[layer(Conv2d::new(6, 5))]
    #[layer(Conv2d::new(8, 5))]
    pub conv: (),
    #[nncost(skip, skip)]
    pub dropout_p: f32,
}

fn main() {}
