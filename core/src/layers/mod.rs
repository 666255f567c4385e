//! The layer catalogue: const-fn builders with PyTorch's semantics and shape formulas.
//!
//! Every builder ends in `.into_layer()` (the DSL calls it for you). Input channels/features are
//! inferred from the incoming shape; builders also accept them explicitly and then check them.
//! Invalid settings (a zero kernel, a stride of 0, groups that do not divide the channels) panic
//! in the builder, which at compile time is an error at the builder call in your source.

/// Checked arithmetic for layer formulas: `Err(Problem::Overflow)` instead of a wrap or a panic.
macro_rules! checked {
    ($op:ident, $a:expr, $b:expr, $what:expr) => {
        match ($a).$op($b) {
            Some(v) => v,
            None => return Err($crate::error::Problem::Overflow { what: $what }),
        }
    };
}

/// `?` for `const fn`s (the `Try` trait is not const on stable).
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Err(e),
        }
    };
}

mod activation;
mod conv;
mod linear;

pub use activation::*;
pub use conv::*;
pub use linear::*;

use crate::error::Problem;
use crate::shape::Shape;

/// Product of `count` entries of `values`, checked.
pub(crate) const fn product(values: &[u64; 3], count: usize, what: &'static str) -> Result<u64, Problem> {
    let mut n: u64 = 1;
    let mut i = 0;
    while i < count {
        n = checked!(checked_mul, n, values[i], what);
        i += 1;
    }
    Ok(n)
}

/// The number of elements of `shape`, or an overflow problem.
pub(crate) const fn numel(shape: &Shape) -> Result<u64, Problem> {
    match shape.numel() {
        Some(n) => Ok(n),
        None => Err(Problem::Overflow { what: "tensor size" }),
    }
}

/// Text of the usual rank expectations, shared by conv, pool, norm and upsample layers.
pub(crate) const fn spatial_rank_text(spatial: usize) -> &'static str {
    match spatial {
        1 => "3-D input [N, C, L]",
        2 => "4-D input [N, C, H, W]",
        _ => "5-D input [N, C, D, H, W]",
    }
}

/// Panics with `"{layer}: {setting} must be at least 1, got 0"` when `value` is 0.
#[track_caller]
pub(crate) const fn require_positive(layer: &str, setting: &str, value: u64) {
    if value == 0 {
        let mut m = crate::fmt::Message::new();
        m.push_str(layer);
        m.push_str(": ");
        m.push_str(setting);
        m.push_str(" must be at least 1, got 0");
        panic!("{}", m.as_str());
    }
}
