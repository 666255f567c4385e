//! Framework models as they are: Hugging Face's `LlamaDecoderLayer` with its fields in HF's
//! order, burn's and candle's MNIST models (the examples' code, included here), their run-time
//! counts against the compile-time figures, and generic models checked at definition.
//! Numbers are worked by hand in each test.
//!
//! The structs exist for their costs and are never built (their fields are never read).
#![allow(dead_code)]

use nncost::frameworks::{check_params, check_params_and_buffers};
use nncost::prelude::*;

#[path = "../examples/burn_mnist.rs"]
mod burn_mnist;

#[path = "../examples/candle_mnist.rs"]
mod candle_mnist;

/// A framework's weight tensor.
struct Param<B>(std::marker::PhantomData<B>);

const D: u64 = 64;
const HEADS: u64 = 4;
const KV_HEADS: u64 = 2;
const INTERMEDIATE: u64 = 176;

/// Hugging Face's `LlamaMLP`: fields `gate_proj, up_proj, down_proj, act_fn`; forward
/// `down_proj(act_fn(gate_proj(x)) * up_proj(x))`.
#[derive(ModelCost)]
#[nncost(forward(mul((gate_proj, act_fn), up_proj), down_proj))]
struct LlamaMlp<B> {
    #[layer(Linear::new(INTERMEDIATE).bias(false))]
    gate_proj: Param<B>,
    #[layer(Linear::new(INTERMEDIATE).bias(false))]
    up_proj: Param<B>,
    #[layer(Linear::new(D).bias(false))]
    down_proj: Param<B>,
    #[layer(SiLU)]
    act_fn: (),
}

/// Hugging Face's `LlamaDecoderLayer`, fields declared as HF declares them; forward:
/// `x + self_attn(input_layernorm(x))`, then `x + mlp(post_attention_layernorm(x))`.
#[derive(ModelCost)]
#[nncost(forward(
    residual(input_layernorm, self_attn),
    residual(post_attention_layernorm, mlp),
))]
struct LlamaDecoderLayer<B> {
    #[layer(MultiheadAttention::new(D, HEADS).kv_heads(KV_HEADS).bias(false))]
    self_attn: Param<B>,
    #[layer(LlamaMlp<B>)]
    mlp: LlamaMlp<B>,
    #[layer(RMSNorm::new(D))]
    input_layernorm: Param<B>,
    #[layer(RMSNorm::new(D))]
    post_attention_layernorm: Param<B>,
}

#[derive(ModelCost)]
#[nncost(input(10, D), output(10, D))]
struct OneLayer<B> {
    layer: LlamaDecoderLayer<B>,
}

#[test]
fn llama_decoder_layer_derives_in_hugging_faces_field_order() {
    type L = OneLayer<()>;
    let (d, d_kv, l) = (D, D / HEADS * KV_HEADS, 10);
    // q and o: d·d each; k and v: d·(G·head_dim) = 64·32 each, no biases.
    let attention = 2 * d * d + 2 * d * d_kv;
    // gate, up, down: 3·d·intermediate, no biases.
    let mlp = 3 * d * INTERMEDIATE;
    // Two RMSNorm weights of d.
    assert_eq!(L::PARAMS, attention + mlp + 2 * d);
    assert_eq!(L::PARAMS, 12_288 + 33_792 + 128);
    // Projections per token, then QKᵀ and AV: L·L·d each (H heads of d/H).
    let attention_macs = l * attention + 2 * l * l * d;
    assert_eq!(L::MACS, attention_macs + l * mlp);
    assert_eq!(L::MACS, 135_680 + 337_920);
    assert_eq!(L::OUTPUT_SHAPE, Shape::new(&[1, 10, 64]));
    assert_eq!(
        L::summary().paths(),
        [
            "layer",
            "layer.input_layernorm",
            "layer.self_attn",
            "layer.add",
            "layer.post_attention_layernorm",
            "layer.mlp",
            "layer.mlp.gate_proj",
            "layer.mlp.act_fn",
            "layer.mlp.up_proj",
            "layer.mlp.mul",
            "layer.mlp.down_proj",
            "layer.add_2",
        ]
    );
}

#[test]
fn burns_guide_model_in_forward_order() {
    use burn_mnist::burn::backend::NdArray;
    use burn_mnist::burn::prelude::Module;
    use burn_mnist::guide::{Model, ModelConfig};
    // conv1 1·8·9 + 8, conv2 8·16·9 + 16, linear1 16·8·8·512 + 512, linear2 512·10 + 10.
    assert_eq!(Model::<NdArray>::PARAMS, 80 + 1_168 + 524_800 + 5_130);
    // 26×26 and 24×24 outputs of the 3×3 convolutions, then the two linear layers.
    assert_eq!(
        Model::<NdArray>::MACS,
        8 * 26 * 26 * 9 + 16 * 24 * 24 * 8 * 9 + 1_024 * 512 + 512 * 10
    );
    // `dropout` applied three times, `activation` twice, each under a path of its own.
    let paths = Model::<NdArray>::summary().paths();
    assert_eq!(
        paths,
        [
            "conv1",
            "dropout",
            "conv2",
            "dropout_2",
            "activation",
            "pool",
            "flatten",
            "linear1",
            "dropout_3",
            "activation_2",
            "linear2"
        ]
    );
    let model = ModelConfig::new(10, 512).init::<NdArray>(&());
    assert_eq!(model.num_params(), 531_178);
    check_params::<Model<NdArray>>(model.num_params()).unwrap();
}

#[test]
fn the_run_time_check_passes_for_the_mnist_models() {
    use burn_mnist::burn::backend::NdArray;
    use burn_mnist::burn::prelude::Module;
    use burn_mnist::mnist::Model;
    let model = Model::<NdArray>::new(&());
    // conv1 640 + norm 128 (+ 128 running stats), conv2 36,928 + 128 (+ 128), fc1 1,600·128
    // + 128, fc2 128·128 + 128, fc3 128·10 + 10.
    let params = 640 + 128 + 36_928 + 128 + 204_928 + 16_512 + 1_290;
    assert_eq!(Model::<NdArray>::PARAMS, params);
    assert_eq!(model.num_params() as u64, params + 256);
    check_params_and_buffers::<Model<NdArray>>(model.num_params()).unwrap();

    let varmap = candle_mnist::candle_nn::VarMap::new();
    let vb = candle_mnist::candle_nn::VarBuilder::from_varmap(&varmap);
    let _convnet = candle_mnist::ConvNet::new(vb).unwrap();
    assert_eq!(candle_mnist::count(&varmap), 1_111_946);
    check_params::<candle_mnist::ConvNet>(candle_mnist::count(&varmap)).unwrap();

    let varmap = candle_mnist::candle_nn::VarMap::new();
    let vb = candle_mnist::candle_nn::VarBuilder::from_varmap(&varmap);
    let _mlp = candle_mnist::Mlp::new(vb).unwrap();
    check_params::<candle_mnist::Mlp>(candle_mnist::count(&varmap)).unwrap();

    // The examples' own checks.
    burn_mnist::main();
    candle_mnist::main();
}

#[test]
fn the_run_time_check_names_both_counts_when_a_config_changes() {
    use burn_mnist::burn::backend::NdArray;
    use burn_mnist::burn::prelude::Module;
    use burn_mnist::guide::{Model, ModelConfig};
    // The config's hidden size changed to 256; the annotation still says 512.
    let model = ModelConfig::new(10, 256).init::<NdArray>(&());
    let error = check_params::<Model<NdArray>>(model.num_params()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Model: the framework counts 266,218 weights at run time, nncost 531,178 at compile time \
         (parameters), 264,960 fewer at run time: the annotations declare a layer, a width or a \
         bias that the framework's config does not have (or count a weight the framework \
         shares); compare the config with Model::summary()"
    );
    // 1,024·256 + 256 + 256·10 + 10 + 80 + 1,168 at run time.
    assert_eq!(model.num_params(), 262_400 + 2_570 + 1_248);

    // burn's count holds the running statistics: compared as parameters only, it says so.
    let mnist = burn_mnist::mnist::Model::<NdArray>::new(&());
    let error = check_params::<burn_mnist::mnist::Model<NdArray>>(mnist.num_params()).unwrap_err();
    assert!(
        error.to_string().ends_with(
            "256 more at run time: the run-time count includes the 256 buffers (BatchNorm's \
             running statistics), as burn's num_params() does; compare it with \
             check_params_and_buffers"
        ),
        "{error}"
    );

    // candle: an `Mlp` whose hidden layer became 128 wide.
    let varmap = candle_mnist::candle_nn::VarMap::new();
    let vb = candle_mnist::candle_nn::VarBuilder::from_varmap(&varmap);
    let _ = candle_mnist::candle_nn::linear(784, 128, vb.pp("ln1")).unwrap();
    let _ = candle_mnist::candle_nn::linear(128, 10, vb.pp("ln2")).unwrap();
    let error = check_params::<candle_mnist::Mlp>(candle_mnist::count(&varmap)).unwrap_err();
    // 784·128 + 128 + 128·10 + 10 = 101,770 against 79,510.
    assert!(
        error.to_string().starts_with(
            "Mlp: the framework counts 101,770 weights at run time, nncost 79,510 at compile \
             time (parameters), 22,260 more at run time: the framework has a layer, a wider \
             layer or a bias"
        ),
        "{error}"
    );
}

/// A local backend trait, as burn's.
trait Backend {}
struct Cpu;
impl Backend for Cpu {}

/// Generic over the backend, with a `#[module(skip)]` field as burn marks them.
#[derive(ModelCost)]
#[nncost(input(3, 8, 8), output(4), budget(params <= 1K))]
struct Small<B: Backend> {
    #[layer(Conv2d::new(4, 3))]
    conv: Param<B>,
    #[layer(AdaptiveAvgPool2d::new(1, 1))]
    #[nncost(after(flatten: Flatten))]
    pool: (),
    #[module(skip)]
    #[allow(dead_code)]
    device: String,
}

#[test]
fn a_generic_model_independent_of_its_parameters_reads_one_evaluation() {
    // 4·3·9 + 4 parameters; every instance has the same report as the definition's stand-in.
    assert_eq!(Small::<Cpu>::PARAMS, 112);
    assert_eq!(Small::<Cpu>::REPORT, <Small<Cpu> as Model>::REPORT);
    assert_eq!(
        <Small<Cpu> as Model>::RESULT.ok().map(|r| r.output),
        Some(Shape::new(&[1, 4]))
    );
    assert_eq!(Small::<Cpu>::summary().paths(), ["conv", "pool", "flatten"]);
}
