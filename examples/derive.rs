//! LeNet-5 as a deep-learning framework holds it (generic over a backend, fields holding the
//! weights), costed at compile time by annotating the struct with `#[derive(ModelCost)]`.
//!
//! `cargo run --example derive` prints the per-layer table; the figures are checked at compile
//! time, and the weights the framework allocates are counted at run time to agree with them.
use nncost::prelude::*;

/// A tiny stand-in for a framework such as burn or candle: a backend decides where tensors
/// live, and modules hold their weights as tensors.
mod fw {
    /// Where tensors live.
    pub trait Backend {
        /// The element type of a tensor.
        type Elem: Copy + Default;
    }

    /// The CPU backend.
    pub struct Cpu;

    impl Backend for Cpu {
        type Elem = f32;
    }

    /// A tensor of weights on backend `B`.
    pub struct Tensor<B: Backend> {
        pub data: Vec<B::Elem>,
    }

    impl<B: Backend> Tensor<B> {
        pub fn zeros(numel: usize) -> Self {
            Tensor {
                data: vec![B::Elem::default(); numel],
            }
        }
    }

    /// A 2-D convolution's weights.
    pub struct Conv2d<B: Backend> {
        pub weight: Tensor<B>,
        pub bias: Tensor<B>,
    }

    impl<B: Backend> Conv2d<B> {
        pub fn new(in_channels: usize, out_channels: usize, kernel: usize) -> Self {
            Conv2d {
                weight: Tensor::zeros(out_channels * in_channels * kernel * kernel),
                bias: Tensor::zeros(out_channels),
            }
        }
    }

    /// A linear layer's weights.
    pub struct Linear<B: Backend> {
        pub weight: Tensor<B>,
        pub bias: Tensor<B>,
    }

    impl<B: Backend> Linear<B> {
        pub fn new(in_features: usize, out_features: usize) -> Self {
            Linear {
                weight: Tensor::zeros(out_features * in_features),
                bias: Tensor::zeros(out_features),
            }
        }
    }

    /// Max pooling: no weights, only a kernel size.
    pub struct MaxPool2d {
        pub kernel: usize,
    }
}

/// LeNet-5 (LeCun et al., 1998) with the usual modern choices (ReLU, max pooling, padding 2 on
/// the first convolution so that 28×28 MNIST digits fit). The fields are the framework's
/// modules; `#[layer]` says what each computes, `after(..)` adds the activations and the
/// flatten that the forward pass applies without a field, and `skip` leaves out a setting.
#[derive(ModelCost)]
#[nncost(input(1, 28, 28), budget(params <= 62K, macs <= 420K))]
pub struct LeNet5<B: fw::Backend> {
    #[layer(Conv2d::new(6, 5).padding(2))]
    #[nncost(after(relu1: ReLU))]
    conv1: fw::Conv2d<B>,
    #[layer(MaxPool2d::new(2))]
    pool1: fw::MaxPool2d,
    #[layer(Conv2d::new(16, 5))]
    #[nncost(after(relu2: ReLU))]
    conv2: fw::Conv2d<B>,
    #[layer(MaxPool2d::new(2))]
    #[nncost(after(flatten: Flatten))]
    pool2: fw::MaxPool2d,
    #[layer(Linear::new(120))]
    #[nncost(after(relu3: ReLU))]
    fc1: fw::Linear<B>,
    #[layer(Linear::new(84))]
    #[nncost(after(relu4: ReLU))]
    fc2: fw::Linear<B>,
    #[layer(Linear::new(10))]
    fc3: fw::Linear<B>,
    #[nncost(skip)]
    dropout_p: f32,
}

impl<B: fw::Backend> LeNet5<B> {
    /// Allocates the weights, as the framework's `init` would.
    pub fn new() -> Self {
        LeNet5 {
            conv1: fw::Conv2d::new(1, 6, 5),
            pool1: fw::MaxPool2d { kernel: 2 },
            conv2: fw::Conv2d::new(6, 16, 5),
            pool2: fw::MaxPool2d { kernel: 2 },
            fc1: fw::Linear::new(16 * 5 * 5, 120),
            fc2: fw::Linear::new(120, 84),
            fc3: fw::Linear::new(84, 10),
            dropout_p: 0.0,
        }
    }

    /// The weights actually allocated, counted at run time.
    pub fn num_params(&self) -> usize {
        let conv = |c: &fw::Conv2d<B>| c.weight.data.len() + c.bias.data.len();
        let linear = |l: &fw::Linear<B>| l.weight.data.len() + l.bias.data.len();
        conv(&self.conv1)
            + conv(&self.conv2)
            + linear(&self.fc1)
            + linear(&self.fc2)
            + linear(&self.fc3)
    }

    /// The settings that carry no weights.
    pub fn settings(&self) -> String {
        format!(
            "pool kernels {}, {}; dropout {}",
            self.pool1.kernel, self.pool2.kernel, self.dropout_p
        )
    }
}

impl<B: fw::Backend> Default for LeNet5<B> {
    fn default() -> Self {
        Self::new()
    }
}

// Checked by `cargo build`: the classic LeNet-5 figures.
nncost::const_assert!(LeNet5::<fw::Cpu>::PARAMS == 61_706);
nncost::const_assert!(LeNet5::<fw::Cpu>::MACS == 416_520);
nncost::assert_budget!(LeNet5<fw::Cpu>: flops <= 1M);

fn main() {
    let model = LeNet5::<fw::Cpu>::new();
    // The compile-time count agrees with the weights the framework allocates.
    assert_eq!(model.num_params() as u64, LeNet5::<fw::Cpu>::PARAMS);
    assert_eq!(LeNet5::<fw::Cpu>::OUTPUT_SHAPE, Shape::new(&[1, 10]));
    println!("{}", model.settings());
    println!("{}", LeNet5::<fw::Cpu>::summary());
}
