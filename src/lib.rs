//! # nncost: what a neural network costs, known at compile time
//!
//! Declare a network in Rust; read its parameters, multiply-accumulates (MACs), FLOPs and
//! shapes as plain `const`s; write budgets next to it so that `cargo check` fails when the
//! model outgrows the device it ships to. Every figure is exact and matches PyTorch.
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     /// A small CNN for 32×32 images.
//!     #[input(3, 32, 32)]
//!     #[budget(params <= 100K, macs <= 10M)]
//!     pub model TinyNet {
//!         conv1: Conv2d::new(16, 3).padding(1),
//!         relu1: ReLU,
//!         pool: MaxPool2d::new(2),
//!         conv2: Conv2d::new(32, 3).padding(1),
//!         relu2: ReLU,
//!         gap: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(10),
//!     }
//! }
//!
//! const _: () = assert!(TinyNet::PARAMS == 448 + 4_640 + 330);
//! assert_eq!(TinyNet::MACS, 442_368 + 1_179_648 + 320);
//! assert_eq!(TinyNet::OUTPUT_SHAPE, Shape::new(&[1, 10]));
//! println!("{}", TinyNet::summary());
//! ```
//!
//! ## Declaring networks with [`network!`]
//!
//! One `network!` holds any number of declarations, each a **model** (a network with an input)
//! or a **block** (a reusable piece whose input comes from where it is used):
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     /// ResNet basic block with `C` output channels and stride `S`.
//!     pub block BasicBlock<const C: u64, const S: u64> {
//!         residual {
//!             conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
//!             bn1: BatchNorm2d::new(),
//!             relu: ReLU,
//!             conv2: Conv2d::new(C, 3).padding(1).bias(false),
//!             bn2: BatchNorm2d::new(),
//!         } shortcut {
//!             // identity when the shape already matches, else 1x1 conv + BN
//!             downsample: Projection::conv_bn(C).stride(S),
//!         },
//!         relu_out: ReLU,
//!     }
//!
//!     #[input(3, 224, 224)]
//!     #[budget(params <= 12M, macs <= 2G)]
//!     pub model ResNet18 {
//!         conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
//!         bn1: BatchNorm2d::new(),
//!         relu: ReLU,
//!         maxpool: MaxPool2d::new(3).stride(2).padding(1),
//!         layer1: [BasicBlock<64, 1>; 2],
//!         layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
//!         layer3: (BasicBlock<256, 2>, BasicBlock<256, 1>),
//!         layer4: (BasicBlock<512, 2>, BasicBlock<512, 1>),
//!         avgpool: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(1000),
//!     }
//! }
//!
//! const _: () = assert!(ResNet18::PARAMS == 11_689_512);
//! const _: () = assert!(ResNet18::MACS == 1_814_073_344);
//! ```
//!
//! A declaration is `[attributes] [pub] model|block Name[<generics>] [where ..] { entries }`.
//! Generics are those of a struct: const parameters (`<const C: u64>`), type parameters
//! (`<B: Backend>`, for a block that mirrors a framework type) and lifetimes.
//!
//! | attribute | on | meaning |
//! |---|---|---|
//! | `#[input(3, 224, 224)]` | model (required) | the shape of one sample; each dim is a `u64` const expression |
//! | `#[batch(8)]` | model | the batch size (default 1) |
//! | `#[budget(params <= 12M, ..)]` | model | limits checked at compile time (see below) |
//! | `///` docs, `#[derive]`, lint attributes | both | passed to the generated type |
//!
//! Entries are comma-separated and named; the names make the layer paths of summaries and error
//! messages (`ResNet18.layer2.0.conv1`). An entry is `name: item`, where an item is:
//!
//! | item | meaning | example |
//! |---|---|---|
//! | layer value | any const expression of a layer builder | `Conv2d::new(64, 3).stride(2)` |
//! | costed type | a block, model, derived struct or unit layer | `BasicBlock<64, 1>`, `ReLU` |
//! | `[item; n]` | `n` copies in a row, named `0`, `1`, .. (`n: u64`) | `[BasicBlock<64, 1>; 2]` |
//! | `(item, ..)` | a sequence named `0`, `1`, .. | `(BasicBlock<128, 2>, BasicBlock<128, 1>)` |
//! | `{ name: item, .. }` | a named sub-sequence | `{ conv: Conv2d::new(8, 1), relu: ReLU }` |
//! | `residual { .. } shortcut { .. }` | `body(x) + shortcut(x)`; no `shortcut` is the identity | see `BasicBlock` |
//! | `concat { .. }` | branches on the same input, concatenated on channels | Inception, SqueezeNet's fire |
//! | `add { .. }`, `mul { .. }` | branches on the same input, summed / multiplied elementwise | |
//!
//! `residual`, `concat`, `add` and `mul` may also stand without a name, as above: their layers
//! are then named as if they stood in the enclosing block (`layer1.0.conv1`).
//!
//! **Types and values.** A path with generic arguments, or a CamelCase path, is a costed type
//! (`<T as ModelCost>::NODE`); anything with a call, and a SCREAMING_CASE constant, is a layer
//! value (`expr.into_layer()`). Unit layers such as `ReLU` and `Flatten` are both. So const
//! items, const generics and your own `const fn`s all work:
//!
//! ```
//! use nncost::prelude::*;
//! const STEM: Conv2d = Conv2d::new(32, 3).stride(2).padding(1);
//! const fn conv_bn_width(width_pct: u64) -> u64 { 64 * width_pct / 100 }
//!
//! network! {
//!     #[input(3, 64, 64)]
//!     model Slim<const W: u64> {
//!         stem: STEM,
//!         conv: Conv2d::new(conv_bn_width(W), 3),
//!     }
//! }
//! assert_eq!(Slim::<50>::OUTPUT_SHAPE, Shape::new(&[1, 32, 30, 30]));
//! ```
//!
//! Input channels and features are inferred from the incoming shape, as PyTorch's lazy modules
//! do; declare them (`.in_channels(3)`, `.in_features(512)`) to have them checked.
//!
//! **Conditions.** `if COND { .. } else { .. }` picks layers with a `bool` const expression;
//! only the side taken is costed (and shown), and a name may appear on both sides:
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     /// Expands by `T` unless `T` is 1, as MobileNetV2's inverted residual.
//!     pub block Expand<const C: u64, const T: u64> {
//!         if T != 1 {
//!             expand: Conv2d::new(C * T, 1).bias(false),
//!         },
//!         depthwise: Conv2d::new(C * T, 3).padding(1).groups(C * T).bias(false),
//!     }
//!     #[input(16, 8, 8)]
//!     model One { body: Expand<16, 1> }
//!     #[input(16, 8, 8)]
//!     model Six { body: Expand<16, 6> }
//! }
//! assert_eq!(One::PARAMS, 16 * 9);
//! assert_eq!(Six::PARAMS, 16 * 96 + 96 * 9);
//! ```
//!
//! **Generic arguments.** Stable Rust does not accept an expression such as `{ 2 * W }` as a
//! generic argument in generic code, so pass parameters through as they are
//! (`Block<W, 2>`) and do the arithmetic inside the block (`Conv2d::new(C * M, 3)`), where
//! any const expression is fine.
//!
//! ## What a model gives you
//!
//! Every model type gets these associated consts, readable with no import
//! (`ResNet18::MACS`), and implements [`Model`] and [`ModelCost`]:
//!
//! | const | type | meaning |
//! |---|---|---|
//! | `PARAMS` | `u64` | learnable parameters |
//! | `BUFFERS` | `u64` | non-learnable state |
//! | `MACS` | `u64` | multiply-accumulates |
//! | `FLOPS` | `u64` | floating-point operations |
//! | `INPUT_SHAPE`, `OUTPUT_SHAPE` | [`Shape`] | batch first |
//! | `REPORT` | [`Report`] | all of the above together |
//!
//! and `summary()` (with the default `std` feature): a [`Summary`] table with every layer's
//! path, kind, output shape, params, MACs and share of the total. Blocks get [`ModelCost`] only:
//! their cost depends on the input they are given.
//!
//! ## Budgets
//!
//! `#[budget(figure <= limit, ..)]` on a model, or [`assert_budget!`] for any model type
//! (including a generic instance such as `MobileNetV2<100>`):
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 224, 224)]
//!     #[budget(macs <= 50M)] // error: Big: MACs 86.7 M exceed the budget 50.0 M (+73%): ..
//!     model Big { conv: Conv2d::new(64, 3).padding(1) }
//! }
//! ```
//!
//! Figures: `params`, `buffers`, `macs`, `flops`. Units: `K M G T` are powers of 1000;
//! decimals are allowed (`1.5G`); a limit may also be any `u64` const expression
//! (`macs <= 2 * BASE_MACS`). A violation fails `cargo check` and `cargo build` with the model,
//! the figure, both numbers exact and rounded, and the overshoot, at the budget in your source:
//!
//! ```text
//! error[E0080]: evaluation panicked: ResNet18: MACs 1.81 G exceed the budget 1.50 G (+21%): 1,814,073,344 > 1,500,000,000
//!   --> src/main.rs:4:25
//!    |
//!  4 |     #[budget(params <= 12M, macs <= 1.5G)]
//!    |                             ^^^^^^^^^^^^ evaluation of `<ResNet18 as nncost::Model>::REPORT` failed here
//! ```
//!
//! Budgets on a generic model are checked for each instance that is used (its figures, its
//! summary, or an `assert_budget!`). [`const_assert!`] checks any other const condition, such
//! as `const_assert!(ResNet18::MACS < 10 * MobileNetV2::MACS)`.
//!
//! ## Conventions
//!
//! Python counters disagree because they count different things. nncost states each figure:
//!
//! | figure | nncost counts | the Python tools |
//! |---|---|---|
//! | `PARAMS` | learnable parameters, PyTorch's `sum(p.numel() for p in model.parameters())`; a shared weight once | torchinfo and fvcore agree; ptflops counts only `requires_grad` parameters; thop sums per module, so shared modules count twice |
//! | `BUFFERS` | BatchNorm running mean and variance (not the integer `num_batches_tracked`) | rarely reported (torchinfo folds them into its size estimate) |
//! | `MACS` | multiply-accumulates of convolutions (transposed ones over *input* positions), linear layers and matrix products; one multiply-add is 1 | equal to torchvision's `_ops` and fvcore's "flops" on conv/linear; fvcore adds BatchNorm, ptflops and thop add BN, activations, pooling and adds; FlopCounterMode reports 2 per MAC |
//! | `FLOPS` | `2 × MACS`, plus bias adds and elementwise work (norms, activations, pooling, residual adds), one rule per layer, written in each layer's docs | no tool counts elementwise work consistently |
//!
//! For ResNet-50 at 224×224 the tools say 4.089 G (torchvision), 4.112 G (fvcore, adds
//! BatchNorm), 4.132 G (ptflops), 4.134 G (thop) and 8.178 G (FlopCounterMode, 2 per MAC);
//! nncost's `MACS` is torchvision's 4,089,184,256.
//!
//! Layers, their shape formulas and their FLOPs rules are in [`layers`]. nncost counts
//! inference: BatchNorm folds into a scale and a shift (2 FLOPs per element), dropout is free.
//!
//! ## Errors
//!
//! Mistakes are compile errors at your tokens, never a macro panic: a syntax error at the
//! offending token (several at once), a shape error at the layer entry with its full path and
//! the numbers, a bad builder argument at the builder call:
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 32, 32)]
//!     model Net {
//!         flatten: Flatten,
//!         conv: Conv2d::new(8, 3), // error: Net.conv (Conv2d): expects 4-D input [N, C, H, W], got [1, 3072]
//!     }
//! }
//! ```
//!
//! ## Features
//!
//! - `std` (default): [`Summary`] and `summary()`. Without it the crate is `no_std`; every
//!   const works the same.
//!
//! The arithmetic lives in [`nncost_core`] (`no_std`, no dependencies); the macros only emit
//! data and calls into it. Generated code refers to nncost through the path of the invocation,
//! so renaming the dependency works.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(feature = "std")]
mod summary;

#[cfg(feature = "std")]
pub use summary::Summary;

pub use nncost_core::layers;
pub use nncost_core::{
    evaluate, Budget, Cost, Entry, Figure, Layer, Merge, Model, ModelCost, ModelError, Node,
    Report, Row, Shape, Unit,
};

/// Everything a declaration needs: `use nncost::prelude::*;`.
///
/// ```
/// use nncost::prelude::*;
/// let conv: Layer = Conv2d::new(8, 3).into_layer();
/// assert_eq!(conv.kind(), "Conv2d");
/// ```
pub mod prelude {
    pub use crate::layers::*;
    pub use crate::{network, Layer, Model, ModelCost, Shape};
}

/// Declares models and blocks; see [the crate docs](crate#declaring-networks-with-network).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(16)]
///     model Mlp { fc1: Linear::new(32), act: GELU, fc2: Linear::new(4) }
/// }
/// assert_eq!(Mlp::PARAMS, 16 * 32 + 32 + 32 * 4 + 4);
/// ```
#[cfg(feature = "std")]
#[macro_export]
macro_rules! network {
    ($($tokens:tt)*) => {
        $crate::__private::network_impl! { [$crate] [std] $($tokens)* }
    };
}

/// Declares models and blocks; see the crate docs.
#[cfg(not(feature = "std"))]
#[macro_export]
macro_rules! network {
    ($($tokens:tt)*) => {
        $crate::__private::network_impl! { [$crate] [no_std] $($tokens)* }
    };
}

/// Budgets for any model type, checked at compile time (`cargo check` fails over budget).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(3, 8, 8)]
///     model Small<const C: u64> { conv: Conv2d::new(C, 3) }
/// }
/// nncost::assert_budget!(Small<16>: params <= 1K, macs <= 100K);
/// ```
#[macro_export]
macro_rules! assert_budget {
    ($($tokens:tt)*) => {
        $crate::__private::assert_budget_impl! { [$crate] $($tokens)* }
    };
}

/// A compile-time assertion on any const condition.
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(4)]
///     model A { fc: Linear::new(4) }
///     #[input(4)]
///     model B { fc: Linear::new(40) }
/// }
/// nncost::const_assert!(A::MACS * 10 == B::MACS);
/// ```
#[macro_export]
macro_rules! const_assert {
    ($condition:expr $(,)?) => {
        const _: () = ::core::assert!(
            $condition,
            ::core::concat!("const_assert!(", ::core::stringify!($condition), ") failed")
        );
    };
}

#[doc(hidden)]
pub mod __private {
    pub use nncost_core::{
        check_budget, fault_entry, unwrap_report, Budget, Entry, Figure, Merge, Model, ModelCost,
        Node, Report, Shape, Unit,
    };
    pub use nncost_macros::{assert_budget_impl, network_impl};

    #[cfg(feature = "std")]
    pub use crate::Summary;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
