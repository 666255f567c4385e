//! # Using nncost with burn and candle
//!
//! A model written for [burn](https://burn.dev) or [candle](https://github.com/huggingface/candle)
//! is already a struct whose fields hold the weights. Put `#[derive(ModelCost)]` beside the
//! framework's own derive, say what each field computes, and the model's figures and budgets
//! are checked when it compiles, without changing the struct or running it.
//!
//! - **Imports.** `use nncost::ModelCost;` is all the derive needs: inside `#[layer(..)]`,
//!   `before(..)`, `after(..)`, `forward(..)` and `network!` entries, layer *expressions* such as
//!   `Conv2d::new(8, 3)` or `Linear::new(512)` resolve to nncost's layers first, so burn's or
//!   candle's `Conv2d`, `Linear` or `Dropout` imported in the same file do not interfere. Unit
//!   layers written as types (`ReLU`, `GELU`, `Flatten`) are types from your scope:
//!   [`frameworks::prelude`](prelude) holds them with nothing that burn's or candle's preludes
//!   also export, where `nncost::prelude` (made for `network!` files) shares `Shape` with both
//!   and `DType` with candle (a glob of each is ambiguous once you use the name).
//! - **Forward order.** Fields run in declaration order unless `#[nncost(forward(..))]` gives
//!   the order of the forward pass. A field named there twice is the same module applied again
//!   (burn's single `dropout` and `activation`), which is right for a module without weights and
//!   an error for one with them (applying one module twice with its weights is weight sharing).
//!   Layers that `forward` applies as functions (a reshape, `xs.relu()`, `max_pool2d(2)`) are
//!   written in place, `flatten: Flatten`. (A `forward(..)` of plain names only, repeating one,
//!   looks like a duplicated attribute to clippy: `#[allow(clippy::duplicated_attributes)]`.)
//! - **Sizes.** Builders take `u64`; a framework's config is `usize`. [`from_usize`] converts
//!   in const context (so does `as u64`, which lints such as `clippy::as_conversions` refuse).
//! - **Checked at definition.** burn's models are generic over a backend (`Model<B: Backend>`),
//!   and a generic type's consts are evaluated only for the instances used, and only by
//!   `cargo build`. When no layer, costed field type, input, batch, dtype, budget or output of a
//!   declaration mentions the type's generic parameters, nncost evaluates the model once where
//!   it is defined, so `cargo check` fails on a violated budget or a shape error with no use and
//!   no backend. When the cost does depend on them — a field whose type is a block generic over
//!   the backend (`conv1: ConvBlock<B>`), a width given by a const parameter — the model is
//!   checked for each instance used: write `nncost::assert_budget!(Model<NdArray>: params <=
//!   300K)` (which also checks the declared budgets), or name a concrete backend in the field's
//!   layer, `#[layer(ConvBlock<NdArray>)]`, to make it independent again.
//! - **Wrong orders do not pass silently.** A `Linear` applied to a feature map that a
//!   convolution or pooling wrote (channels first) without a `Flatten` before it is an error that
//!   asks for one, as is a declared `in_features` equal to the size of a whole unflattened
//!   sample; `#[nncost(output(10))]` states the output shape of one sample and checks it.
//! - **Counted again at run time.** A test can compare the framework's count of its weights with
//!   the compile-time figures: [`check_params`] (candle's `VarMap`, PyTorch's `parameters()`) and
//!   [`check_params_and_buffers`] (burn's `num_params()`, which counts BatchNorm's running mean
//!   and variance too), so a config changed later without the annotation is caught.
//!
//! ## burn: the book's guide model
//!
//! burn's guide (`examples/guide`, burn 0.21) declares its modules in an order of its own and
//! applies `dropout` three times and `activation` twice. Annotated as it stands:
//!
//! ```ignore
//! use burn::{
//!     nn::{
//!         Dropout, DropoutConfig, Linear, LinearConfig, Relu,
//!         conv::{Conv2d, Conv2dConfig},
//!         pool::{AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig},
//!     },
//!     prelude::*,
//! };
//! use nncost::frameworks::prelude::*;
//!
//! #[derive(Module, Debug, ModelCost)]
//! #[nncost(
//!     input(1, 28, 28),
//!     output(10),
//!     forward(conv1, dropout, conv2, dropout, activation, pool, flatten: Flatten,
//!             linear1, dropout, activation, linear2),
//!     budget(params <= 600K),
//! )]
//! pub struct Model<B: Backend> {
//!     #[layer(Conv2d::new(8, 3))]
//!     conv1: Conv2d<B>,
//!     #[layer(Conv2d::new(16, 3))]
//!     conv2: Conv2d<B>,
//!     #[layer(AdaptiveAvgPool2d::new(8, 8))]
//!     pool: AdaptiveAvgPool2d,
//!     #[layer(Dropout::new(0.5))]
//!     dropout: Dropout,
//!     #[layer(Linear::new(512))]
//!     linear1: Linear<B>,
//!     #[layer(Linear::new(10))]
//!     linear2: Linear<B>,
//!     #[layer(ReLU)]
//!     activation: Relu,
//! }
//! // conv1 80, conv2 1,168, linear1 16·8·8·512 + 512 = 524,800, linear2 5,130.
//! const _: () = assert!(Model::<NdArray>::PARAMS == 531_178);
//! ```
//!
//! Without `forward(..)` the fields would run as declared: `linear1` would get the pooled
//! `[1, 16, 8, 8]` and act on its last dim, 10,986 parameters and an output `[1, 16, 8, 10]`.
//! That is now a compile error at `linear1`: *its input [1, 16, 8, 8] comes channels first from
//! a convolution, pooling or normalization, so it would apply to the last spatial dim (W = 8)
//! alone; did you mean a Flatten before it (1,024 features)?*
//!
//! ## burn: the MNIST example
//!
//! burn's `examples/mnist` (0.21): two convolution blocks, each `conv → norm → activation →
//! pool` although its fields are declared `conv, norm, pool, activation`, then three linear
//! layers sharing one `activation` and one `dropout`:
//!
//! ```ignore
//! const NUM_CLASSES: usize = 10;
//!
//! #[derive(Module, Debug, ModelCost)]
//! #[nncost(
//!     input(1, 28, 28),
//!     output(from_usize(NUM_CLASSES)),
//!     forward(conv1, conv2, flatten: Flatten, fc1, activation, dropout, fc2, activation, dropout, fc3),
//! )]
//! pub struct Model<B: Backend> {
//!     conv1: ConvBlock<B>,
//!     conv2: ConvBlock<B>,
//!     #[layer(Dropout::new(0.25))]
//!     dropout: nn::Dropout,
//!     #[layer(Linear::new(128))]
//!     fc1: nn::Linear<B>,
//!     #[layer(Linear::new(128))]
//!     fc2: nn::Linear<B>,
//!     #[layer(Linear::new(from_usize(NUM_CLASSES)))]
//!     fc3: nn::Linear<B>,
//!     #[layer(GELU)]
//!     activation: nn::Gelu,
//! }
//!
//! #[derive(Module, Debug, ModelCost)]
//! #[nncost(forward(conv, norm, activation, pool))]
//! pub struct ConvBlock<B: Backend> {
//!     #[layer(Conv2d::new(64, 3))]
//!     conv: nn::conv::Conv2d<B>,
//!     #[layer(BatchNorm2d::new())]
//!     norm: BatchNorm<B>,
//!     #[layer(MaxPool2d::new(2).stride(2))]
//!     pool: Option<MaxPool2d>,
//!     #[layer(ReLU)]
//!     activation: nn::Relu,
//! }
//!
//! const _: () = assert!(Model::<NdArray>::PARAMS == 260_554);
//! // What `model.num_params()` returns: BatchNorm's running statistics are counted too.
//! const _: () = assert!(Model::<NdArray>::PARAMS + Model::<NdArray>::BUFFERS == 260_810);
//! ```
//!
//! `Model` holds `ConvBlock<B>`, so its cost mentions the backend: it is checked for the
//! instances used (the `const _` above), as described under "Checked at definition".
//!
//! ## candle: the MNIST training example
//!
//! candle's `candle-examples/examples/mnist-training`: `ConvNet` pools and flattens with tensor
//! methods in `forward`, and applies `dropout` after `fc1`; `Mlp` takes flattened images.
//!
//! ```ignore
//! use candle_nn::{Conv2d, Linear};
//!
//! #[derive(Debug, ModelCost)]
//! #[nncost(
//!     input(1, 28, 28),
//!     forward(conv1, pool1: MaxPool2d::new(2), conv2, pool2: MaxPool2d::new(2),
//!             flatten: Flatten, fc1, relu: ReLU, dropout, fc2),
//! )]
//! struct ConvNet {
//!     #[layer(Conv2d::new(32, 5))]
//!     conv1: Conv2d,
//!     #[layer(Conv2d::new(64, 5))]
//!     conv2: Conv2d,
//!     #[layer(Linear::new(1024))]
//!     fc1: Linear,
//!     #[layer(Linear::new(from_usize(LABELS)))]
//!     fc2: Linear,
//!     #[layer(Dropout::new(0.5))]
//!     dropout: candle_nn::Dropout,
//! }
//!
//! #[derive(ModelCost)]
//! #[nncost(input(from_usize(IMAGE_DIM)), forward(ln1, relu: ReLU, ln2))]
//! struct Mlp {
//!     #[layer(Linear::new(100))]
//!     ln1: Linear,
//!     #[layer(Linear::new(from_usize(LABELS)))]
//!     ln2: Linear,
//! }
//!
//! const _: () = assert!(ConvNet::PARAMS == 832 + 51_264 + 1_049_600 + 10_250);
//! const _: () = assert!(Mlp::PARAMS == 78_500 + 1_010);
//! ```
//!
//! The same models compile without the frameworks, on stand-ins with the frameworks' field types
//! and counting, in `examples/burn_mnist.rs` and `examples/candle_mnist.rs` (run them with
//! `cargo run --example burn_mnist`). Against the real crates they are built by
//! `tests/frameworks`, a crate of its own outside the workspace (burn and candle are heavy, so
//! `cargo test --workspace` does not build them):
//!
//! ```text
//! cargo test --manifest-path tests/frameworks/Cargo.toml
//! ```
//!
//! ## Counting weights at run time
//!
//! The annotations restate the framework's config, so they can drift apart: a width changed in
//! the config and not in the attribute. A test that builds the model compares the counts:
//!
//! ```ignore
//! #[test]
//! fn annotations_match_the_model() {
//!     let model = Model::<NdArray>::new(&Default::default());
//!     // burn's `num_params()` counts every float tensor the module visits, BatchNorm's
//!     // `RunningState` included (burn-core: `Module::num_params`, `RunningState::visit`).
//!     nncost::frameworks::check_params_and_buffers::<Model<NdArray>>(model.num_params()).unwrap();
//!
//!     let varmap = VarMap::new();
//!     let _convnet = ConvNet::new(VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu))?;
//!     let count: usize = varmap.all_vars().iter().map(|v| v.elem_count()).sum();
//!     nncost::frameworks::check_params::<ConvNet>(count).unwrap();
//! }
//! ```
//!
//! A mismatch names both counts and the likely cause:
//!
//! ```text
//! Model: the framework counts 264,906 weights at run time, nncost 260,810 at compile time
//! (parameters and buffers), 4,096 more at run time: the framework has a layer, a wider layer
//! or a bias that the annotations do not declare; compare the config with Model::summary()
//! ```

use core::fmt;

use crate::Model;

/// What a framework-model file needs from nncost, and nothing that burn's or candle's preludes
/// also export: the derive and its traits, the unit layers written as types, [`from_usize`] and
/// the run-time checks. (Layer expressions inside nncost's attributes need no import. The
/// `Model` trait is left out: framework models are often structs named `Model`.)
///
/// ```
/// use nncost::frameworks::prelude::*;
///
/// struct Weights;
///
/// #[derive(ModelCost)]
/// #[nncost(input(8), forward(fc, act: GELU, out))]
/// struct Head {
///     #[layer(Linear::new(16))]
///     fc: Weights,
///     #[layer(Linear::new(from_usize(4)))]
///     out: Weights,
/// }
/// assert_eq!(Head::PARAMS, 8 * 16 + 16 + 16 * 4 + 4);
/// ```
pub mod prelude {
    pub use super::{check_params, check_params_and_buffers, from_usize};
    pub use crate::layers::{Flatten, Hardsigmoid, Hardswish, ReLU, ReLU6, SiLU, GELU};
    pub use crate::ModelCost;
}

/// A framework's `usize` size as the `u64` nncost's builders take, in const context (a `usize`
/// always fits in a `u64` on the targets Rust supports).
///
/// ```
/// use nncost::frameworks::from_usize;
/// const HIDDEN: usize = 512;
/// const WIDTH: u64 = from_usize(HIDDEN);
/// assert_eq!(WIDTH, 512);
/// ```
pub const fn from_usize(n: usize) -> u64 {
    n as u64
}

/// Checks a framework's run-time count of a model's weights against `M::PARAMS`: candle's
/// `VarMap` (`varmap.all_vars()`, their elements summed), PyTorch's
/// `sum(p.numel() for p in model.parameters())`. A mismatch says by how much, and what likely
/// causes it.
///
/// ```
/// use nncost::frameworks::check_params;
/// use nncost::prelude::*;
///
/// network! {
///     #[input(784)]
///     model Mlp { ln1: Linear::new(100), relu: ReLU, ln2: Linear::new(10) }
/// }
/// assert!(check_params::<Mlp>(79_510_usize).is_ok());
/// let wider = check_params::<Mlp>(79_510_usize + 100 * 28).unwrap_err();
/// assert!(wider.to_string().contains("79,510"));
/// ```
pub fn check_params<M: Model>(runtime: impl TryInto<u64>) -> Result<(), CountMismatch> {
    check(M::REPORT, runtime, Counting::Params)
}

/// Checks a framework's run-time count against `M::PARAMS + M::BUFFERS`: burn's
/// `Module::num_params()`, which sums the elements of every float tensor a module visits, and
/// BatchNorm visits its running mean and variance (`RunningState`) as well as its weight and
/// bias.
///
/// ```
/// use nncost::frameworks::check_params_and_buffers;
/// use nncost::prelude::*;
///
/// network! {
///     #[input(1, 28, 28)]
///     model Block { conv: Conv2d::new(8, 3), norm: BatchNorm2d::new() }
/// }
/// // 8·9 + 8 conv, 16 BatchNorm weights, 16 running statistics.
/// assert!(check_params_and_buffers::<Block>(80 + 16 + 16).is_ok());
/// let params_only = check_params_and_buffers::<Block>(80 + 16).unwrap_err();
/// assert!(params_only.to_string().contains("no buffers"));
/// ```
pub fn check_params_and_buffers<M: Model>(runtime: impl TryInto<u64>) -> Result<(), CountMismatch> {
    check(M::REPORT, runtime, Counting::ParamsAndBuffers)
}

fn check(
    report: crate::Report,
    runtime: impl TryInto<u64>,
    counting: Counting,
) -> Result<(), CountMismatch> {
    let runtime = runtime.try_into().unwrap_or(u64::MAX);
    let mismatch = CountMismatch {
        model: report.name,
        runtime,
        params: report.cost.params,
        buffers: report.cost.buffers,
        counting,
    };
    if runtime == mismatch.expected() {
        Ok(())
    } else {
        Err(mismatch)
    }
}

/// What a framework's run-time count includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Counting {
    Params,
    ParamsAndBuffers,
}

/// A run-time count of a model's weights that differs from nncost's figures; its `Display`
/// (and `Debug`, so that `.unwrap()` shows it) names both counts and the likely cause.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CountMismatch {
    /// The model's name.
    pub model: &'static str,
    /// What the framework counted.
    pub runtime: u64,
    /// nncost's `PARAMS`.
    pub params: u64,
    /// nncost's `BUFFERS`.
    pub buffers: u64,
    counting: Counting,
}

impl CountMismatch {
    /// The compile-time count the run-time one was compared with.
    pub fn expected(&self) -> u64 {
        match self.counting {
            Counting::Params => self.params,
            Counting::ParamsAndBuffers => self.params.saturating_add(self.buffers),
        }
    }
}

/// `n` with thousands separators.
struct Grouped(u64);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = nncost_core::Message::new();
        m.push_grouped(self.0);
        f.write_str(m.as_str())
    }
}

impl fmt::Display for CountMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = self.expected();
        let what = match self.counting {
            Counting::Params => "parameters",
            Counting::ParamsAndBuffers => "parameters and buffers",
        };
        write!(
            f,
            "{}: the framework counts {} weights at run time, nncost {} at compile time ({what}), ",
            self.model,
            Grouped(self.runtime),
            Grouped(expected),
        )?;
        if self.runtime > expected {
            write!(f, "{} more at run time: ", Grouped(self.runtime - expected))?;
        } else {
            write!(
                f,
                "{} fewer at run time: ",
                Grouped(expected - self.runtime)
            )?;
        }
        let with_buffers = self.params.saturating_add(self.buffers);
        match self.counting {
            Counting::Params if self.buffers > 0 && self.runtime == with_buffers => write!(
                f,
                "the run-time count includes the {} buffers (BatchNorm's running statistics), as burn's num_params() does; compare it with check_params_and_buffers",
                Grouped(self.buffers),
            ),
            Counting::ParamsAndBuffers if self.buffers > 0 && self.runtime == self.params => {
                write!(
                    f,
                    "the run-time count has no buffers (BatchNorm's running statistics, {} values), as candle's VarMap and PyTorch's parameters(); compare it with check_params",
                    Grouped(self.buffers),
                )
            }
            _ if self.runtime > expected => write!(
                f,
                "the framework has a layer, a wider layer or a bias that the annotations do not declare; compare the config with {}::summary()",
                self.model,
            ),
            _ => write!(
                f,
                "the annotations declare a layer, a width or a bias that the framework's config does not have (or count a weight the framework shares); compare the config with {}::summary()",
                self.model,
            ),
        }
    }
}

impl fmt::Debug for CountMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CountMismatch {}
