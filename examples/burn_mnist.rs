//! burn's two MNIST models, as burn 0.21 writes them (the book's guide model and
//! `examples/mnist`), costed with `#[derive(ModelCost)]` beside burn's own derive.
//!
//! The `burn` module below is a stand-in with burn's paths, field types and counting, so that
//! this example builds without burn; `tests/frameworks` builds the same structs against burn
//! itself. Run it with `cargo run --example burn_mnist`.
#![allow(dead_code)]

use nncost::frameworks::prelude::*;

/// The guide model (burn's book, "Basic workflow"), its fields declared in burn's order;
/// `forward(..)` says the order in which `Model::forward` applies them.
pub mod guide {
    use super::*;
    use burn::{
        nn::{
            conv::{Conv2d, Conv2dConfig},
            pool::{AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig},
            Dropout, DropoutConfig, Linear, LinearConfig, Relu,
        },
        prelude::*,
    };

    // In burn: #[derive(Module, Debug)], then `ModelCost` beside it.
    #[derive(Debug, ModelCost)]
    #[nncost(
        input(1, 28, 28),
        output(10),
        forward(conv1, dropout, conv2, dropout, activation, pool, flatten: Flatten,
                linear1, dropout, activation, linear2),
        budget(params <= 600K, macs <= 1.5M),
    )]
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

    /// The guide's config, as burn writes it.
    pub struct ModelConfig {
        num_classes: usize,
        hidden_size: usize,
        dropout: f64,
    }

    impl ModelConfig {
        pub fn new(num_classes: usize, hidden_size: usize) -> Self {
            Self {
                num_classes,
                hidden_size,
                dropout: 0.5,
            }
        }

        /// Returns the initialized model.
        pub fn init<B: Backend>(&self, device: &B::Device) -> Model<B> {
            Model {
                conv1: Conv2dConfig::new([1, 8], [3, 3]).init(device),
                conv2: Conv2dConfig::new([8, 16], [3, 3]).init(device),
                pool: AdaptiveAvgPool2dConfig::new([8, 8]).init(),
                activation: Relu::new(),
                linear1: LinearConfig::new(16 * 8 * 8, self.hidden_size).init(device),
                linear2: LinearConfig::new(self.hidden_size, self.num_classes).init(device),
                dropout: DropoutConfig::new(self.dropout).init(),
            }
        }
    }

    // What burn's `#[derive(Module)]` generates, reduced to the count.
    impl<B: Backend> Module for Model<B> {
        fn num_params(&self) -> usize {
            self.conv1.num_params()
                + self.conv2.num_params()
                + self.linear1.num_params()
                + self.linear2.num_params()
        }
    }
}

/// `examples/mnist`: each `ConvBlock` runs `conv → norm → activation → pool` though its fields
/// are declared `conv, norm, pool, activation`; `Model` shares one `activation` and one `dropout`
/// between its linear layers.
pub mod mnist {
    use super::*;
    use burn::{
        nn::{
            pool::{MaxPool2d, MaxPool2dConfig},
            BatchNorm, PaddingConfig2d,
        },
        prelude::*,
    };

    pub const NUM_CLASSES: usize = 10;

    #[derive(Debug, ModelCost)]
    #[nncost(
        input(1, 28, 28),
        output(from_usize(NUM_CLASSES)),
        forward(conv1, conv2, flatten: Flatten, fc1, activation, dropout, fc2, activation,
                dropout, fc3),
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
    }

    #[derive(Debug, ModelCost)]
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
    }

    impl<B: Backend> Module for Model<B> {
        fn num_params(&self) -> usize {
            self.conv1.num_params()
                + self.conv2.num_params()
                + self.fc1.num_params()
                + self.fc2.num_params()
                + self.fc3.num_params()
        }
    }

    impl<B: Backend> Module for ConvBlock<B> {
        fn num_params(&self) -> usize {
            self.conv.num_params() + self.norm.num_params()
        }
    }

    // `Model` holds `ConvBlock<B>`, so its cost mentions the backend: check the instance that
    // ships, with its declared budgets, at compile time.
    nncost::assert_budget!(Model<burn::backend::NdArray>: params <= 300K, macs <= 10M);
}

/// A stand-in for the parts of burn 0.21 the models use: the paths, the field types, the
/// configs, and `Module::num_params`, which sums the elements of every float tensor a module
/// holds, BatchNorm's running mean and variance included (burn's `RunningState` is visited as
/// a float tensor).
pub mod burn {
    pub mod prelude {
        pub use super::module::Module;
        pub use super::nn;
        pub use super::tensor::backend::Backend;
    }

    pub mod backend {
        /// The CPU backend.
        #[derive(Debug)]
        pub struct NdArray;

        impl super::tensor::backend::Backend for NdArray {
            type Device = ();
        }
    }

    pub mod tensor {
        pub mod backend {
            /// Where tensors live.
            pub trait Backend: core::fmt::Debug + 'static {
                type Device: Default;
            }
        }

        /// A float tensor: only its size matters here.
        #[derive(Debug)]
        pub struct Tensor<B: backend::Backend> {
            pub numel: usize,
            backend: core::marker::PhantomData<B>,
        }

        impl<B: backend::Backend> Tensor<B> {
            pub fn zeros(dims: &[usize]) -> Self {
                Tensor {
                    numel: dims.iter().product(),
                    backend: core::marker::PhantomData,
                }
            }
        }
    }

    pub mod module {
        /// burn's `Module`, reduced to the count.
        pub trait Module {
            /// The elements of every float tensor of the module.
            fn num_params(&self) -> usize;
        }
    }

    pub mod nn {
        use super::module::Module;
        use super::tensor::{backend::Backend, Tensor};

        #[derive(Debug)]
        pub struct Linear<B: Backend> {
            weight: Tensor<B>,
            bias: Option<Tensor<B>>,
        }

        pub struct LinearConfig {
            d_input: usize,
            d_output: usize,
            bias: bool,
        }

        impl LinearConfig {
            pub fn new(d_input: usize, d_output: usize) -> Self {
                Self {
                    d_input,
                    d_output,
                    bias: true,
                }
            }

            pub fn with_bias(mut self, bias: bool) -> Self {
                self.bias = bias;
                self
            }

            pub fn init<B: Backend>(&self, _device: &B::Device) -> Linear<B> {
                Linear {
                    weight: Tensor::zeros(&[self.d_input, self.d_output]),
                    bias: self.bias.then(|| Tensor::zeros(&[self.d_output])),
                }
            }
        }

        impl<B: Backend> Module for Linear<B> {
            fn num_params(&self) -> usize {
                self.weight.numel + self.bias.as_ref().map_or(0, |b| b.numel)
            }
        }

        #[derive(Debug)]
        pub struct Dropout {
            pub prob: f64,
        }

        pub struct DropoutConfig {
            prob: f64,
        }

        impl DropoutConfig {
            pub fn new(prob: f64) -> Self {
                Self { prob }
            }

            pub fn init(&self) -> Dropout {
                Dropout { prob: self.prob }
            }
        }

        #[derive(Debug, Default)]
        pub struct Relu;

        impl Relu {
            pub fn new() -> Self {
                Relu
            }
        }

        #[derive(Debug, Default)]
        pub struct Gelu;

        impl Gelu {
            pub fn new() -> Self {
                Gelu
            }
        }

        pub enum PaddingConfig2d {
            Valid,
        }

        #[derive(Debug)]
        pub struct BatchNorm<B: Backend> {
            gamma: Tensor<B>,
            beta: Tensor<B>,
            running_mean: Tensor<B>,
            running_var: Tensor<B>,
        }

        pub struct BatchNormConfig {
            num_features: usize,
        }

        impl BatchNormConfig {
            pub fn new(num_features: usize) -> Self {
                Self { num_features }
            }

            pub fn init<B: Backend>(&self, _device: &B::Device) -> BatchNorm<B> {
                let n = self.num_features;
                BatchNorm {
                    gamma: Tensor::zeros(&[n]),
                    beta: Tensor::zeros(&[n]),
                    running_mean: Tensor::zeros(&[n]),
                    running_var: Tensor::zeros(&[n]),
                }
            }
        }

        impl<B: Backend> Module for BatchNorm<B> {
            fn num_params(&self) -> usize {
                self.gamma.numel
                    + self.beta.numel
                    + self.running_mean.numel
                    + self.running_var.numel
            }
        }

        pub mod conv {
            use super::super::module::Module;
            use super::super::tensor::{backend::Backend, Tensor};
            use super::PaddingConfig2d;

            #[derive(Debug)]
            pub struct Conv2d<B: Backend> {
                weight: Tensor<B>,
                bias: Option<Tensor<B>>,
            }

            pub struct Conv2dConfig {
                channels: [usize; 2],
                kernel_size: [usize; 2],
            }

            impl Conv2dConfig {
                pub fn new(channels: [usize; 2], kernel_size: [usize; 2]) -> Self {
                    Self {
                        channels,
                        kernel_size,
                    }
                }

                pub fn with_padding(self, _padding: PaddingConfig2d) -> Self {
                    self
                }

                pub fn init<B: Backend>(&self, _device: &B::Device) -> Conv2d<B> {
                    let [c_in, c_out] = self.channels;
                    let [kh, kw] = self.kernel_size;
                    Conv2d {
                        weight: Tensor::zeros(&[c_out, c_in, kh, kw]),
                        bias: Some(Tensor::zeros(&[c_out])),
                    }
                }
            }

            impl<B: Backend> Module for Conv2d<B> {
                fn num_params(&self) -> usize {
                    self.weight.numel + self.bias.as_ref().map_or(0, |b| b.numel)
                }
            }
        }

        pub mod pool {
            #[derive(Debug)]
            pub struct AdaptiveAvgPool2d {
                pub output_size: [usize; 2],
            }

            pub struct AdaptiveAvgPool2dConfig {
                output_size: [usize; 2],
            }

            impl AdaptiveAvgPool2dConfig {
                pub fn new(output_size: [usize; 2]) -> Self {
                    Self { output_size }
                }

                pub fn init(&self) -> AdaptiveAvgPool2d {
                    AdaptiveAvgPool2d {
                        output_size: self.output_size,
                    }
                }
            }

            #[derive(Debug)]
            pub struct MaxPool2d {
                pub kernel_size: [usize; 2],
                pub strides: [usize; 2],
            }

            pub struct MaxPool2dConfig {
                kernel_size: [usize; 2],
                strides: [usize; 2],
            }

            impl MaxPool2dConfig {
                pub fn new(kernel_size: [usize; 2]) -> Self {
                    Self {
                        kernel_size,
                        strides: [1, 1],
                    }
                }

                pub fn with_strides(mut self, strides: [usize; 2]) -> Self {
                    self.strides = strides;
                    self
                }

                pub fn init(&self) -> MaxPool2d {
                    MaxPool2d {
                        kernel_size: self.kernel_size,
                        strides: self.strides,
                    }
                }
            }
        }
    }
}

use burn::backend::NdArray;
use burn::prelude::Module;

// The guide's figures by hand: conv1 8·9 + 8 = 80, conv2 16·8·9 + 16 = 1,168,
// linear1 1,024·512 + 512 = 524,800, linear2 512·10 + 10 = 5,130.
const _: () = assert!(guide::Model::<NdArray>::PARAMS == 80 + 1_168 + 524_800 + 5_130);
// The MNIST model: conv1 640 + norm 128, conv2 36,928 + norm 128, fc1 1,600·128 + 128,
// fc2 128·128 + 128, fc3 128·10 + 10; each norm adds 128 running statistics.
const _: () =
    assert!(mnist::Model::<NdArray>::PARAMS == 640 + 128 + 36_928 + 128 + 204_928 + 16_512 + 1_290);
const _: () = assert!(mnist::Model::<NdArray>::BUFFERS == 2 * 128);

pub fn main() {
    let guide = guide::ModelConfig::new(10, 512).init::<NdArray>(&());
    check_params::<guide::Model<NdArray>>(guide.num_params()).unwrap();
    let mnist = mnist::Model::<NdArray>::new(&());
    // burn's count includes BatchNorm's running statistics.
    check_params_and_buffers::<mnist::Model<NdArray>>(mnist.num_params()).unwrap();
    println!(
        "burn's guide model: {} parameters, as num_params() counts them",
        guide.num_params()
    );
    println!("{}", guide::Model::<NdArray>::summary());
    println!(
        "burn's MNIST model: {} from num_params() = PARAMS + BUFFERS",
        mnist.num_params()
    );
    println!("{}", mnist::Model::<NdArray>::summary());
}
