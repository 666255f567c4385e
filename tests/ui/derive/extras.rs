use nncost::prelude::*;

// `act` twice and `conv` as a `before` layer name the same modules again: both are free of
// weights, so only the misspelt key and the misplaced or empty lists are errors.
#[derive(ModelCost)]
#[nncost(input(3, 32, 32), residual(conv, after(act: ReLU, act: ReLU)))]
pub struct Net {
    #[layer(Conv2d::new(8, 3))]
    #[nncost(afterr(relu: ReLU))]
    pub conv: (),
    #[nncost(skip, before(flatten: Flatten))]
    pub rate: f32,
    #[layer(Linear::new(10))]
    #[nncost(before(conv: Flatten), after())]
    pub fc: (),
}

fn main() {}
