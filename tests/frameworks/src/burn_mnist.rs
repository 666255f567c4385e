//! burn's MNIST example model (`examples/mnist/src/model.rs`, burn 0.21), without its training
//! steps.
use burn::{
    nn::{
        pool::{MaxPool2d, MaxPool2dConfig},
        BatchNorm, PaddingConfig2d,
    },
    prelude::*,
};
use nncost::frameworks::prelude::*;

#[derive(Module, Debug, ModelCost)]
#[nncost(
    input(1, 28, 28),
    output(from_usize(NUM_CLASSES)),
    forward(conv1, conv2, flatten: Flatten, fc1, activation, dropout, fc2, activation, dropout,
            fc3),
)]
pub struct Model<B: Backend> {
    conv1: ConvBlock<B>,
    conv2: ConvBlock<B>,
    #[layer(Dropout::new(0.25))]
    dropout: nn::Dropout,
    #[layer(Linear::new(128))]
    fc1: nn::Linear<B>,
    #[layer(Linear::new(128))]
    fc2: nn::Linear<B>,
    #[layer(Linear::new(from_usize(NUM_CLASSES)))]
    fc3: nn::Linear<B>,
    #[layer(GELU)]
    activation: nn::Gelu,
}

impl<B: Backend> Default for Model<B> {
    fn default() -> Self {
        let device = B::Device::default();
        Self::new(&device)
    }
}

const NUM_CLASSES: usize = 10;

impl<B: Backend> Model<B> {
    pub fn new(device: &B::Device) -> Self {
        let conv1 = ConvBlock::new([1, 64], [3, 3], device, true); // out: max_pool -> [Batch,32,13,13]
        let conv2 = ConvBlock::new([64, 64], [3, 3], device, true); // out: max_pool -> [Batch,64,5,5]
        let hidden_size = 64 * 5 * 5;
        let fc1 = nn::LinearConfig::new(hidden_size, 128).init(device);
        let fc2 = nn::LinearConfig::new(128, 128).init(device);
        let fc3 = nn::LinearConfig::new(128, NUM_CLASSES).init(device);

        let dropout = nn::DropoutConfig::new(0.25).init();

        Self {
            conv1,
            conv2,
            dropout,
            fc1,
            fc2,
            fc3,
            activation: nn::Gelu::new(),
        }
    }

    pub fn forward(&self, input: Tensor<B, 3>) -> Tensor<B, 2> {
        let [batch_size, height, width] = input.dims();

        let x = input.reshape([batch_size, 1, height, width]).detach();
        let x = self.conv1.forward(x);
        let x = self.conv2.forward(x);

        let [batch_size, channels, height, width] = x.dims();
        let x = x.reshape([batch_size, channels * height * width]);

        let x = self.fc1.forward(x);
        let x = self.activation.forward(x);
        let x = self.dropout.forward(x);

        let x = self.fc2.forward(x);
        let x = self.activation.forward(x);
        let x = self.dropout.forward(x);

        self.fc3.forward(x)
    }
}

#[derive(Module, Debug, ModelCost)]
#[nncost(forward(conv, norm, activation, pool))]
pub struct ConvBlock<B: Backend> {
    #[layer(Conv2d::new(64, 3))]
    conv: nn::conv::Conv2d<B>,
    #[layer(BatchNorm2d::new())]
    norm: BatchNorm<B>,
    #[layer(MaxPool2d::new(2).stride(2))]
    pool: Option<MaxPool2d>,
    #[layer(ReLU)]
    activation: nn::Relu,
}

impl<B: Backend> ConvBlock<B> {
    pub fn new(
        channels: [usize; 2],
        kernel_size: [usize; 2],
        device: &B::Device,
        pool: bool,
    ) -> Self {
        let conv = nn::conv::Conv2dConfig::new(channels, kernel_size)
            .with_padding(PaddingConfig2d::Valid)
            .init(device);
        let norm = nn::BatchNormConfig::new(channels[1]).init(device);
        let pool = if pool {
            Some(MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init())
        } else {
            None
        };

        Self {
            conv,
            norm,
            pool,
            activation: nn::Relu::new(),
        }
    }

    pub fn forward(&self, input: Tensor<B, 4>) -> Tensor<B, 4> {
        let x = self.conv.forward(input);
        let x = self.norm.forward(x);
        let x = self.activation.forward(x);

        if let Some(pool) = &self.pool {
            pool.forward(x)
        } else {
            x
        }
    }
}

// `Model` holds `ConvBlock<B>`, so its cost mentions the backend: check the shipped instance.
nncost::assert_budget!(Model<burn::backend::NdArray>: params <= 300K, macs <= 10M);
