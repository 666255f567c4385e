// A model generic over a backend whose cost does not depend on it is checked where it is
// defined: a violated budget fails `cargo check` with no use of the model and no backend.
use nncost::ModelCost;

pub trait Backend {}

pub struct Conv2d<B: Backend>(Vec<B>);
pub struct Linear<B: Backend>(Vec<B>);

#[derive(ModelCost)]
#[nncost(input(1, 28, 28), budget(params <= 10K, macs <= 1M))]
pub struct Model<B: Backend> {
    #[layer(Conv2d::new(8, 3))]
    #[nncost(after(pool: MaxPool2d::new(2), flatten: nncost::layers::Flatten))]
    pub conv: Conv2d<B>,
    #[layer(Linear::new(10))]
    pub fc: Linear<B>,
}

fn main() {}
