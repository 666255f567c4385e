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
#![doc = include_str!("docs/network.md")]
//!
#![doc = include_str!("docs/blocks.md")]
//!
#![doc = include_str!("docs/graphs.md")]
//!
#![doc = include_str!("docs/derive.md")]
//!
#![doc = include_str!("docs/figures.md")]
//!
#![doc = include_str!("docs/budgets.md")]
//!
#![doc = include_str!("docs/exports.md")]
//!
#![doc = include_str!("docs/memory.md")]
//!
#![doc = include_str!("docs/devices.md")]
//!
#![doc = include_str!("docs/sequences.md")]
//!
#![doc = include_str!("docs/llm.md")]
//!
#![doc = include_str!("docs/conventions.md")]
//!
#![doc = include_str!("docs/errors.md")]
//!
#![doc = include_str!("docs/features.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(feature = "chart")]
pub mod chart;
#[cfg(feature = "std")]
pub mod diff;
#[cfg(feature = "std")]
pub mod export;
#[cfg(feature = "std")]
mod format;
#[cfg(feature = "std")]
mod roofline;
#[cfg(feature = "std")]
mod summary;

#[cfg(feature = "std")]
pub use roofline::{RooflineRow, RooflineSummary};
#[cfg(feature = "std")]
pub use summary::{ModelSummary, Summary};

#[cfg(feature = "zoo")]
pub mod zoo;

pub mod frameworks;

#[cfg(doc)]
pub mod example_generated;

pub use nncost_core::layers;
pub use nncost_core::{
    compute_dtype, devices, milli_tokens_per_second, roofline, roofline_in, roofline_of, Bound,
    Cache, Device, DeviceBudget, DeviceCheck, Kernel, Peaks, Roofline, Time, TimeUnit,
};
pub use nncost_core::{
    evaluate, Budget, Cost, Entry, Figure, Graph, Layer, Merge, Model, ModelCost, ModelError, Node,
    Report, Row, Shape, Tensors, Unit, ROUTING_FLOPS_PER_SCORE,
};
pub use nncost_core::{
    evaluate_at, evaluate_in, CacheUse, DType, Memory, Mixture, Phase, Precision,
};

/// Derives [`ModelCost`] for a struct (and [`Model`] with `#[nncost(input(..))]`); see
/// [the crate docs](crate#deriving-modelcost).
///
/// ```
/// use nncost::prelude::*;
///
/// #[derive(ModelCost)]
/// #[nncost(input(16))]
/// struct Mlp {
///     #[layer(Linear::new(32))]
///     fc1: Vec<f32>,
///     #[layer(ReLU)]
///     act: (),
///     #[layer(Linear::new(4))]
///     fc2: Vec<f32>,
/// }
/// assert_eq!(Mlp::PARAMS, 16 * 32 + 32 + 32 * 4 + 4);
/// ```
pub use nncost_macros::ModelCost;

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
    // `M::summary()` in generic code.
    #[cfg(feature = "std")]
    pub use crate::ModelSummary;
    // For dtypes chosen by an expression: `#[dtype(weights = if Q { DType::Int8 } else { DType::F32 })]`.
    pub use crate::DType;
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
#[macro_export]
macro_rules! network {
    ($($tokens:tt)*) => {
        $crate::__private::network_impl! { [$crate] $($tokens)* }
    };
}

/// Expands to a model's `summary()`, or to nothing without the `std` feature: generated code
/// (`network!`, `#[derive(ModelCost)]`) calls it, since a proc macro cannot see this crate's
/// features.
#[cfg(feature = "std")]
#[doc(hidden)]
#[macro_export]
macro_rules! __summary_fn {
    () => {
        /// The per-layer table of this model: path, kind, output shape, params, MACs, share,
        /// output bytes, memory traffic and FLOPs per byte, then the totals.
        pub fn summary() -> $crate::Summary {
            $crate::Summary::of::<Self>()
        }
    };
}

/// Expands to nothing: `summary()` needs the `std` feature.
#[cfg(not(feature = "std"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __summary_fn {
    () => {};
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

/// A compile-time assertion on any const condition (`cargo check` fails when it is false).
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
/// nncost::const_assert!(A::PARAMS < B::PARAMS && B::PARAMS < 1_000);
/// ```
///
/// A comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) of two integers (or floats, `bool`s,
/// `char`s) shows both values when it fails, grouped as budget messages are:
///
/// ```compile_fail
/// # use nncost::prelude::*;
/// # network! { #[input(4)] model A { fc: Linear::new(4) } }
/// nncost::const_assert!(A::MACS == 17);
/// // error[E0080]: evaluation panicked: const_assert!(A::MACS == 17) failed: 16 != 17
/// ```
///
/// Any other condition (`&&`, a `const fn` call) fails with the condition alone.
#[macro_export]
macro_rules! const_assert {
    ($($tokens:tt)*) => {
        // In parentheses, so that the proc macro can hand the condition on as it was written.
        $crate::__private::const_assert_impl! { [$crate] ($($tokens)*) }
    };
}

/// `const_assert!` of a condition that is not a comparison: `assert!` in a const.
#[doc(hidden)]
#[macro_export]
macro_rules! __const_assert_plain {
    ($condition:expr $(,)?) => {
        // The text as an argument, not the format string: a condition may contain braces.
        const _: () = ::core::assert!(
            $condition,
            "{}",
            ::core::concat!("const_assert!(", ::core::stringify!($condition), ") failed")
        );
    };
}

#[doc(hidden)]
pub mod __private {
    pub use nncost_core::{
        check_budget, check_output, check_token_input, evaluate_at, evaluate_in, evaluate_inputs,
        fault_entry, unwrap_report, Budget, Entry, Figure, Merge, Model, ModelCost, ModelError,
        Node, Report, Shape, Unit,
    };
    pub use nncost_core::{check_comparison, Comparison};
    pub use nncost_core::{check_device_budget, DeviceBudget, TimeUnit};
    pub use nncost_core::{DType, Phase, Precision, Tensors};
    pub use nncost_macros::{assert_budget_impl, const_assert_impl, network_impl};
    // Glob-imported around every layer expression, so that nncost's layer names win there.
    pub use nncost_core::layers;
    // Names no user has in scope, for generated paths spanned at the user's tokens: with
    // `Model`, `ModelCost`, `DType` or `Node` imported (the prelude imports some),
    // `__nncost::Model` would trip `unused_qualifications` in a crate that denies it.
    pub use nncost_core::{
        DType as NncostDType, Entry as NncostEntry, Graph as NncostGraph, Keep as NncostKeep,
        Merge as NncostMerge, Mixture as NncostMixture, Model as NncostModel,
        ModelCost as NncostModelCost, Node as NncostNode, Output as NncostOutput,
        Read as NncostRead, Wiring as NncostWiring,
    };

    pub use crate::__const_assert_plain as const_assert_plain;
    pub use crate::__summary_fn as summary_fn;

    #[cfg(feature = "std")]
    pub use crate::Summary;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
