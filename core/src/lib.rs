//! nncost-core: the `no_std`, dependency-free cost engine behind [nncost](https://docs.rs/nncost).
//!
//! Every number nncost reports is computed here, by `const fn`s over plain data: shapes
//! ([`Shape`]), layers ([`Layer`], built with the builders in [`layers`]), structure ([`Node`]),
//! one-pass evaluation ([`evaluate`], [`evaluate_at`], [`Walk`]), memory at a model's dtypes
//! ([`DType`], [`Precision`], [`Memory`]), budgets ([`Budget`]), and device profiles with the
//! roofline time of a model on them ([`Device`], [`devices`], [`roofline`], [`DeviceBudget`]).
//! The same functions run at compile time (associated consts, budgets) and at run time
//! (summaries, tests).
//!
//! ```
//! use nncost_core::{evaluate, layers::{Conv2d, ReLU}, Entry, Node, Shape};
//! const NET: Node = Node::Seq(&[
//!     Entry::new("conv", Node::Layer(Conv2d::new(16, 3).padding(1).into_layer())),
//!     Entry::new("relu", Node::Layer(ReLU.into_layer())),
//! ]);
//! const REPORT: nncost_core::Report = match evaluate("Net", &NET, Shape::input(1, &[3, 32, 32])) {
//!     Ok(r) => r,
//!     Err(_) => panic!("bad net"),
//! };
//! assert_eq!(REPORT.cost.params, 16 * 3 * 9 + 16);
//! assert_eq!(REPORT.output, Shape::new(&[1, 16, 32, 32]));
//! ```
#![no_std]
#![deny(missing_docs)]
// `Problem` and `Fault` are plain `Copy` data so that `const fn`s can build and return them;
// boxing them (what this lint suggests) is impossible in `const` and `no_std` code.
#![allow(clippy::result_large_err)]

mod budget;
mod compare;
mod cost;
mod device;
mod device_budget;
pub mod devices;
mod dtype;
mod error;
mod eval;
mod fmt;
mod kv_cache;
mod layer;
pub mod layers;
mod layout;
mod memory;
mod mixture;
mod model;
mod node;
mod operators;
mod phase;
mod roofline;
mod shape;
mod tensors;
mod time;
mod tokens;

pub use budget::{check_budget, Budget, Figure, Unit};
pub use compare::{check_comparison, comparison_message, Comparison, Operand, OperandKind};
pub use cost::Cost;
pub use device::{compute_dtype, Bound, Cache, Device, Kernel, Peaks, MAX_CACHES};
pub use device_budget::{check_device_budget, milli_tokens_per_second, DeviceBudget, DeviceCheck};
pub use dtype::{DType, Precision};
pub use error::{axis_name, Fault, Problem, Segment, MAX_PATH};
pub use eval::{Outcome, Row, Walk};
pub use fmt::{Message, UnitSystem, MESSAGE_CAPACITY};
pub use kv_cache::CacheUse;
pub use layer::Layer;
pub use memory::Memory;
pub use mixture::{Mixture, ROUTING_FLOPS_PER_SCORE};
pub use model::{
    check_output, evaluate, evaluate_at, evaluate_in, evaluate_inputs, fault_entry, unwrap_report,
    Model, ModelCost, ModelError, Report,
};
pub use node::{Entry, Graph, Keep, Merge, Node, Output, Read, Wiring};
pub use operators::Operators;
pub use phase::Phase;
pub use roofline::{roofline, roofline_in, roofline_inputs, roofline_of, Roofline};
pub use shape::{Shape, MAX_RANK};
pub use tensors::{Tensors, MAX_TENSORS};
pub use time::{Time, TimeUnit};
pub use tokens::{check_token_input, takes_tokens};
