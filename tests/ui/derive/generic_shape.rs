// A shape error in a model generic over a backend fails `cargo check` with no use of it.
use nncost::ModelCost;

pub trait Backend {}

pub struct Conv2d<B: Backend>(Vec<B>);

#[derive(ModelCost)]
#[nncost(input(1, 28, 28))]
pub struct Model<B: Backend> {
    #[layer(Conv2d::new(8, 3))]
    pub conv1: Conv2d<B>,
    #[layer(Conv2d::new(16, 3).in_channels(3))]
    pub conv2: Conv2d<B>,
}

fn main() {}
