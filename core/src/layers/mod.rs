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

/// The per-dimension window setters of a builder `$name(spec)` of spatial rank `$rank`, in an
/// `impl` block: `kernel_sizes`, `stride`/`strides` and `padding`/`paddings` (the strides of
/// dims past the rank are `$unset_stride`); `@dilation` adds `dilation`/`dilations`. The doc
/// comments before `kernel_sizes`, `padding` and `paddings` become those methods' docs.
macro_rules! window_setters {
    (
        $name:ident, $rank:literal, unset_stride: $unset_stride:literal,
        $(#[$kernel_sizes_doc:meta])* kernel_sizes,
        $(#[$padding_doc:meta])* padding,
        $(#[$paddings_doc:meta])* paddings $(,)?
    ) => {
        $(#[$kernel_sizes_doc])*
        #[track_caller]
        pub const fn kernel_sizes(mut self, kernel_size: [u64; $rank]) -> Self {
            $crate::layers::require_all_positive(stringify!($name), "kernel_size", kernel_size);
            self.0.kernel = $crate::layers::spread(kernel_size, 1);
            self
        }

        /// The same stride along every spatial dim.
        #[track_caller]
        pub const fn stride(self, stride: u64) -> Self {
            self.strides([stride; $rank])
        }

        /// Stride per spatial dim.
        #[track_caller]
        pub const fn strides(mut self, stride: [u64; $rank]) -> Self {
            $crate::layers::require_all_positive(stringify!($name), "stride", stride);
            self.0.stride = $crate::layers::spread(stride, $unset_stride);
            self
        }

        $(#[$padding_doc])*
        pub const fn padding(self, padding: u64) -> Self {
            self.paddings([padding; $rank])
        }

        $(#[$paddings_doc])*
        pub const fn paddings(mut self, padding: [u64; $rank]) -> Self {
            self.0.padding = $crate::layers::spread(padding, 0);
            self
        }
    };
    (@dilation $name:ident, $rank:literal) => {
        /// The same dilation along every spatial dim.
        #[track_caller]
        pub const fn dilation(self, dilation: u64) -> Self {
            self.dilations([dilation; $rank])
        }

        /// Dilation per spatial dim.
        #[track_caller]
        pub const fn dilations(mut self, dilation: [u64; $rank]) -> Self {
            $crate::layers::require_all_positive(stringify!($name), "dilation", dilation);
            self.0.dilation = $crate::layers::spread(dilation, 1);
            self
        }
    };
}

mod activation;
mod attention;
mod batch_norm;
mod conv;
mod custom;
mod embedding;
mod identity;
mod integer;
mod learned;
mod linear;
mod matmul;
mod norm;
mod parameter;
mod pool;
mod projection;
mod ratio;
mod resample;
mod reshape;
mod rms_norm;
mod rnn;
mod tensor;
mod tied;

pub use activation::*;
pub use attention::*;
pub use batch_norm::*;
pub use conv::*;
pub use custom::*;
pub use embedding::*;
pub use identity::*;
pub use integer::ShapeInteger;
pub use learned::*;
pub use linear::*;
pub use matmul::*;
pub use norm::*;
pub use parameter::*;
pub use pool::*;
pub use projection::*;
pub use ratio::*;
pub use resample::*;
pub use reshape::*;
pub use rms_norm::*;
pub use rnn::*;
pub use tensor::*;
pub use tied::*;

use crate::error::Problem;
use crate::shape::Shape;

/// Product of `count` entries of `values`, checked.
pub(crate) const fn product(
    values: &[u64; 3],
    count: usize,
    what: &'static str,
) -> Result<u64, Problem> {
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
        None => Err(Problem::Overflow {
            what: "tensor size",
        }),
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

/// Panics with `"{layer}: {what} ({value}) must be divisible by {by_what} ({by})"` (the text of
/// [`Problem::NotDivisible`]) unless `value` is a multiple of `by`.
#[track_caller]
pub(crate) const fn require_divisible(
    layer: &str,
    what: &'static str,
    value: u64,
    by_what: &'static str,
    by: u64,
) {
    if !value.is_multiple_of(by) {
        let mut m = crate::fmt::Message::new();
        m.push_str(layer);
        m.push_str(": ");
        Problem::NotDivisible {
            what,
            value,
            by_what,
            by,
        }
        .write(&mut m);
        panic!("{}", m.as_str());
    }
}

/// [`require_positive`] for every entry of a per-dimension setting.
#[track_caller]
pub(crate) const fn require_all_positive<const N: usize>(
    layer: &str,
    setting: &str,
    values: [u64; N],
) {
    let mut i = 0;
    while i < N {
        require_positive(layer, setting, values[i]);
        i += 1;
    }
}

/// A per-dimension setting of `N <= 3` entries, stored in a `[u64; 3]` filled with `fill`.
pub(crate) const fn spread<const N: usize>(values: [u64; N], fill: u64) -> [u64; 3] {
    let mut out = [fill; 3];
    let mut i = 0;
    while i < N {
        out[i] = values[i];
        i += 1;
    }
    out
}

/// Panics with `"{layer}: {setting} must have 1 to 3 entries, got {n}"` unless `1 <= n <= 3`.
#[track_caller]
pub(crate) const fn require_spatial_len(layer: &str, setting: &str, n: usize) {
    if n == 0 || n > 3 {
        let mut m = crate::fmt::Message::new();
        m.push_str(layer);
        m.push_str(": ");
        m.push_str(setting);
        m.push_str(" must have 1 to 3 entries (one per spatial dim), got ");
        m.push_u64(n as u64);
        panic!("{}", m.as_str());
    }
}
