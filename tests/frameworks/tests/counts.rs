//! The frameworks' own counts of the models' weights against nncost's compile-time figures, and
//! one forward pass each, whose output shape is nncost's `OUTPUT_SHAPE`.
use burn::backend::NdArray;
use burn::prelude::*;
use candle::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use nncost::frameworks::{check_params, check_params_and_buffers};
use nncost_frameworks_test::{burn_guide, burn_mnist, candle_mnist};

#[test]
fn burns_guide_model() {
    type M = burn_guide::Model<NdArray>;
    let device = Default::default();
    let model = burn_guide::ModelConfig::new(10, 512).init::<NdArray>(&device);
    assert_eq!(M::PARAMS, 531_178);
    check_params::<M>(model.num_params()).unwrap();
    let out = model.forward(Tensor::zeros([1, 28, 28], &device));
    assert_eq!(out.dims().map(|d| d as u64), M::OUTPUT_SHAPE.dims());
    // A changed config is caught with both counts named.
    let wider = burn_guide::ModelConfig::new(10, 1024).init::<NdArray>(&device);
    let error = check_params::<M>(wider.num_params()).unwrap_err();
    assert!(error.to_string().contains("531,178"), "{error}");
}

#[test]
fn burns_mnist_model_counts_batch_norm_statistics() {
    type M = burn_mnist::Model<NdArray>;
    let device = Default::default();
    let model = M::new(&device);
    // burn's num_params() visits BatchNorm's running mean and variance too.
    assert_eq!(model.num_params() as u64, M::PARAMS + M::BUFFERS);
    check_params_and_buffers::<M>(model.num_params()).unwrap();
    let out = model.forward(Tensor::zeros([1, 28, 28], &device));
    assert_eq!(out.dims().map(|d| d as u64), M::OUTPUT_SHAPE.dims());
}

fn count(varmap: &VarMap) -> usize {
    varmap.all_vars().iter().map(|v| v.elem_count()).sum()
}

#[test]
fn candles_mnist_models() {
    let varmap = VarMap::new();
    let vs = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let convnet = candle_mnist::ConvNet::new(vs).unwrap();
    check_params::<candle_mnist::ConvNet>(count(&varmap)).unwrap();
    let xs = candle::Tensor::zeros((1, 784), DType::F32, &Device::Cpu).unwrap();
    let out = convnet.forward(&xs, false).unwrap();
    let dims: Vec<u64> = out.dims().iter().map(|&d| d as u64).collect();
    assert_eq!(dims, candle_mnist::ConvNet::OUTPUT_SHAPE.dims());

    let varmap = VarMap::new();
    let vs = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let mlp = candle_mnist::Mlp::new(vs).unwrap();
    check_params::<candle_mnist::Mlp>(count(&varmap)).unwrap();
    let out = mlp.forward(&xs).unwrap();
    let dims: Vec<u64> = out.dims().iter().map(|&d| d as u64).collect();
    assert_eq!(dims, candle_mnist::Mlp::OUTPUT_SHAPE.dims());
}
