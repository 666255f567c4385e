use nncost::prelude::*;

// A field missing from `forward(..)`, a misspelt one, a skipped one, a group beside it.
#[derive(ModelCost)]
#[nncost(residual(conv1..=conv2), forward(conv1, relu, conv2, convv3, rate))]
pub struct Missing {
    #[layer(Conv2d::new(8, 3))]
    pub conv1: (),
    #[layer(Conv2d::new(8, 3))]
    pub conv2: (),
    #[layer(Conv2d::new(8, 3))]
    pub conv3: (),
    #[layer(ReLU)]
    pub relu: (),
    #[nncost(skip)]
    pub rate: f32,
}

// Malformed steps.
#[derive(ModelCost)]
#[nncost(forward(conv1, residual(shortcut = conv1)))]
pub struct EmptyResidual {
    #[layer(Conv2d::new(8, 3))]
    pub conv1: (),
}

#[derive(ModelCost)]
#[nncost(forward(concat(conv1)))]
pub struct OneBranch {
    #[layer(Conv2d::new(8, 3))]
    pub conv1: (),
}

#[derive(ModelCost)]
#[nncost(forward(conv1 relu))]
pub struct NoComma {
    #[layer(Conv2d::new(8, 3))]
    pub conv1: (),
    #[layer(ReLU)]
    pub relu: (),
}

fn main() {}
