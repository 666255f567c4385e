// burn's guide model annotated field by field, in declaration order: `linear1` would get the
// pooled [1, 16, 8, 8] and act on its last dim (10,986 parameters instead of 531,178, an output
// [1, 16, 8, 10]). It asks for a Flatten instead; `forward(..)` gives the real order.
use nncost::frameworks::prelude::*;

pub trait Backend {}
pub struct Conv2d<B: Backend>(Vec<B>);
pub struct Linear<B: Backend>(Vec<B>);
pub struct AdaptiveAvgPool2d;
pub struct Dropout;
pub struct Relu;

#[derive(ModelCost)]
#[nncost(input(1, 28, 28))]
pub struct Model<B: Backend> {
    #[layer(Conv2d::new(8, 3))]
    conv1: Conv2d<B>,
    #[layer(Conv2d::new(16, 3))]
    conv2: Conv2d<B>,
    #[layer(AdaptiveAvgPool2d::new(8, 8))]
    pool: AdaptiveAvgPool2d,
    #[layer(Dropout::new(0.5))]
    dropout: Dropout,
    #[layer(Linear::new(512))]
    linear1: Linear<B>,
    #[layer(Linear::new(10))]
    linear2: Linear<B>,
    #[layer(ReLU)]
    activation: Relu,
}

fn main() {}
