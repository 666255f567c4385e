//! What `network!` generates, as documentation (this module exists only in `cargo doc`).
//!
//! The declaration below expands to the items in this module:
//!
//! ```ignore
//! network! {
//!     /// A 3×3 convolution, batch norm and ReLU with `C` output channels.
//!     pub block ConvBnRelu<const C: u64> {
//!         conv: Conv2d::new(C, 3).padding(1).bias(false),
//!         bn: BatchNorm2d::new(),
//!         relu: ReLU,
//!     }
//!
//!     /// A two-stage CNN for 32×32 images.
//!     #[input(3, 32, 32)]
//!     #[budget(params <= 100K, macs <= 50M)]
//!     pub model ExampleNet {
//!         stage1: ConvBnRelu<16>,
//!         pool: MaxPool2d::new(2),
//!         stage2: ConvBnRelu<32>,
//!         gap: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(10),
//!     }
//! }
//! ```
//!
//! - [`ConvBnRelu`]: a unit struct (a `PhantomData` tuple struct when there are type or
//!   lifetime parameters) implementing [`ModelCost`], whose `NODE` is the
//!   declared structure as const data.
//! - [`ExampleNet`]: the same, plus [`Model`] (its `REPORT` evaluates the
//!   structure once, points a shape error at the offending entry and checks the budgets), the
//!   inherent figure consts (`ExampleNet::PARAMS`, `MACS`, `WEIGHT_BYTES`, ...) and
//!   `summary()`.

use crate::prelude::*;

crate::network! {
    /// A 3×3 convolution, batch norm and ReLU with `C` output channels.
    pub block ConvBnRelu<const C: u64> {
        conv: Conv2d::new(C, 3).padding(1).bias(false),
        bn: BatchNorm2d::new(),
        relu: ReLU,
    }

    /// A two-stage CNN for 32×32 images.
    #[input(3, 32, 32)]
    #[budget(params <= 100K, macs <= 50M)]
    pub model ExampleNet {
        stage1: ConvBnRelu<16>,
        pool: MaxPool2d::new(2),
        stage2: ConvBnRelu<32>,
        gap: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(10),
    }
}
