use nncost::prelude::*;

#[derive(ModelCost)]
#[nncost(residual(conv1..=bn, shortcut = downsampel))]
pub struct Block {
    #[layer(Conv2d::new(8, 3).padding(1))]
    pub conv1: (),
    #[layer(BatchNorm2d::new())]
    pub bn1: (),
    #[layer(Projection::conv_bn(8))]
    pub downsample: (),
}

#[derive(ModelCost)]
#[nncost(residual(bn1..=conv1), concat(conv1))]
pub struct Backwards {
    #[layer(Conv2d::new(8, 3).padding(1))]
    pub conv1: (),
    #[layer(BatchNorm2d::new())]
    pub bn1: (),
}

#[derive(ModelCost)]
#[nncost(residual(conv1, shortcut = downsample))]
pub struct Scattered {
    #[layer(Conv2d::new(8, 3).padding(1))]
    pub conv1: (),
    pub relu: ReLU,
    #[layer(Projection::conv_bn(8))]
    pub downsample: (),
}

#[derive(ModelCost)]
#[nncost(residual(conv1), add(conv1, relu))]
pub struct Overlap {
    #[layer(Conv2d::new(8, 3).padding(1))]
    pub conv1: (),
    pub relu: ReLU,
}

fn main() {}
