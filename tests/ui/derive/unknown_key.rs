use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(inputs(1, 28, 28), bugdet(params <= 1M), colour = "red")]
pub struct Net {
    #[layer(Conv2d::new(6, 5))]
    pub conv: (),
    #[nncost(skp)]
    pub dropout_p: f32,
    #[nncost(input(3))]
    pub fc: ReLU,
}

fn main() {}
