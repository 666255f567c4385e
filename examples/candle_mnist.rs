//! candle's MNIST training models (`candle-examples/examples/mnist-training`), `ConvNet` and
//! `Mlp`, costed with `#[derive(ModelCost)]`; the layers `forward` applies as tensor methods
//! (`max_pool2d(2)`, `flatten_from(1)`, `relu()`) are written in `forward(..)`.
//!
//! The `candle_nn` module below is a stand-in with candle's types and `VarMap` counting, so that
//! this example builds without candle; `tests/frameworks` builds the same structs against candle
//! itself. Run it with `cargo run --example candle_mnist`.
#![allow(dead_code)]

use nncost::frameworks::prelude::*;

use candle_nn::{Conv2d, Linear, VarBuilder, VarMap};

pub const IMAGE_DIM: usize = 784;
pub const LABELS: usize = 10;

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
    pub fn new(vs: VarBuilder) -> Result<Self, candle_nn::Error> {
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
}

#[derive(ModelCost)]
#[nncost(input(from_usize(IMAGE_DIM)), forward(ln1, relu: ReLU, ln2))]
pub struct Mlp {
    #[layer(Linear::new(100))]
    ln1: Linear,
    #[layer(Linear::new(from_usize(LABELS)))]
    ln2: Linear,
}

impl Mlp {
    pub fn new(vs: VarBuilder) -> Result<Self, candle_nn::Error> {
        let ln1 = candle_nn::linear(IMAGE_DIM, 100, vs.pp("ln1"))?;
        let ln2 = candle_nn::linear(100, LABELS, vs.pp("ln2"))?;
        Ok(Self { ln1, ln2 })
    }
}

/// A stand-in for the parts of candle-nn the models use: layers that hold their weights, a
/// `VarBuilder` that creates each weight in a `VarMap`, and the `VarMap` that training reads
/// (`varmap.all_vars()`).
pub mod candle_nn {
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Debug)]
    pub struct Error;

    /// A weight: only its size matters here.
    #[derive(Clone, Debug)]
    pub struct Var {
        elem_count: usize,
    }

    impl Var {
        pub fn elem_count(&self) -> usize {
            self.elem_count
        }
    }

    /// Every weight created through a `VarBuilder` made from it.
    #[derive(Clone, Default)]
    pub struct VarMap {
        vars: Rc<RefCell<Vec<Var>>>,
    }

    impl VarMap {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn all_vars(&self) -> Vec<Var> {
            self.vars.borrow().clone()
        }
    }

    #[derive(Clone)]
    pub struct VarBuilder {
        map: VarMap,
    }

    impl VarBuilder {
        pub fn from_varmap(map: &VarMap) -> Self {
            Self { map: map.clone() }
        }

        pub fn pp(&self, _prefix: &str) -> Self {
            self.clone()
        }

        fn get(&self, dims: &[usize]) -> Var {
            let var = Var {
                elem_count: dims.iter().product(),
            };
            self.map.vars.borrow_mut().push(var.clone());
            var
        }
    }

    #[derive(Debug)]
    pub struct Linear {
        weight: Var,
        bias: Option<Var>,
    }

    pub fn linear(in_dim: usize, out_dim: usize, vb: VarBuilder) -> Result<Linear, Error> {
        Ok(Linear {
            weight: vb.get(&[out_dim, in_dim]),
            bias: Some(vb.get(&[out_dim])),
        })
    }

    #[derive(Clone, Copy, Debug, Default)]
    pub struct Conv2dConfig {
        pub padding: usize,
        pub stride: usize,
    }

    #[derive(Debug)]
    pub struct Conv2d {
        weight: Var,
        bias: Option<Var>,
        config: Conv2dConfig,
    }

    pub fn conv2d(
        in_channels: usize,
        out_channels: usize,
        kernel_size: usize,
        config: Conv2dConfig,
        vb: VarBuilder,
    ) -> Result<Conv2d, Error> {
        Ok(Conv2d {
            weight: vb.get(&[out_channels, in_channels, kernel_size, kernel_size]),
            bias: Some(vb.get(&[out_channels])),
            config,
        })
    }

    #[derive(Debug)]
    pub struct Dropout {
        drop_p: f32,
    }

    impl Dropout {
        pub fn new(drop_p: f32) -> Self {
            Self { drop_p }
        }
    }
}

// conv1 32·25 + 32, conv2 64·32·25 + 64, fc1 1,024·1,024 + 1,024, fc2 1,024·10 + 10.
const _: () = assert!(ConvNet::PARAMS == 832 + 51_264 + 1_049_600 + 10_250);
// ln1 784·100 + 100, ln2 100·10 + 10.
const _: () = assert!(Mlp::PARAMS == 78_500 + 1_010);

/// The elements of every weight in `varmap`, as candle's optimizers see them.
pub fn count(varmap: &VarMap) -> usize {
    varmap.all_vars().iter().map(|v| v.elem_count()).sum()
}

pub fn main() {
    let varmap = VarMap::new();
    let _convnet = ConvNet::new(VarBuilder::from_varmap(&varmap)).unwrap();
    check_params::<ConvNet>(count(&varmap)).unwrap();
    let varmap = VarMap::new();
    let _mlp = Mlp::new(VarBuilder::from_varmap(&varmap)).unwrap();
    check_params::<Mlp>(count(&varmap)).unwrap();
    println!("{}", ConvNet::summary());
    println!("{}", Mlp::summary());
}
