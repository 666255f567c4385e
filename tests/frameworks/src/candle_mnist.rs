//! candle's MNIST training models (`candle-examples/examples/mnist-training/main.rs`).
use candle::{Result, Tensor};
use candle_nn::{Conv2d, Linear, Module, ModuleT, VarBuilder};
use nncost::frameworks::prelude::*;

pub const IMAGE_DIM: usize = 784;
pub const LABELS: usize = 10;

#[derive(ModelCost)]
#[nncost(input(from_usize(IMAGE_DIM)), forward(ln1, relu: ReLU, ln2))]
pub struct Mlp {
    #[layer(Linear::new(100))]
    ln1: Linear,
    #[layer(Linear::new(from_usize(LABELS)))]
    ln2: Linear,
}

impl Mlp {
    pub fn new(vs: VarBuilder) -> Result<Self> {
        let ln1 = candle_nn::linear(IMAGE_DIM, 100, vs.pp("ln1"))?;
        let ln2 = candle_nn::linear(100, LABELS, vs.pp("ln2"))?;
        Ok(Self { ln1, ln2 })
    }

    pub fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        let xs = self.ln1.forward(xs)?;
        let xs = xs.relu()?;
        self.ln2.forward(&xs)
    }
}

#[derive(Debug, ModelCost)]
#[nncost(
    input(1, 28, 28),
    output(from_usize(LABELS)),
    forward(conv1, pool1: MaxPool2d::new(2), conv2, pool2: MaxPool2d::new(2), flatten: Flatten,
            fc1, relu: ReLU, dropout, fc2),
    budget(params <= 1.2M, macs <= 5M),
)]
pub struct ConvNet {
    #[layer(Conv2d::new(32, 5))]
    conv1: Conv2d,
    #[layer(Conv2d::new(64, 5))]
    conv2: Conv2d,
    #[layer(Linear::new(1024))]
    fc1: Linear,
    #[layer(Linear::new(from_usize(LABELS)))]
    fc2: Linear,
    #[layer(Dropout::new(0.5))]
    dropout: candle_nn::Dropout,
}

impl ConvNet {
    pub fn new(vs: VarBuilder) -> Result<Self> {
        let conv1 = candle_nn::conv2d(1, 32, 5, Default::default(), vs.pp("c1"))?;
        let conv2 = candle_nn::conv2d(32, 64, 5, Default::default(), vs.pp("c2"))?;
        let fc1 = candle_nn::linear(1024, 1024, vs.pp("fc1"))?;
        let fc2 = candle_nn::linear(1024, LABELS, vs.pp("fc2"))?;
        let dropout = candle_nn::Dropout::new(0.5);
        Ok(Self {
            conv1,
            conv2,
            fc1,
            fc2,
            dropout,
        })
    }

    pub fn forward(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let (b_sz, _img_dim) = xs.dims2()?;
        let xs = xs
            .reshape((b_sz, 1, 28, 28))?
            .apply(&self.conv1)?
            .max_pool2d(2)?
            .apply(&self.conv2)?
            .max_pool2d(2)?
            .flatten_from(1)?
            .apply(&self.fc1)?
            .relu()?;
        self.dropout.forward_t(&xs, train)?.apply(&self.fc2)
    }
}
