//! [`ShapeInteger`]: the integer types shape operations accept for sizes and positions, so that a
//! generic block passes its `u64` const parameters as they are (`Unflatten::new(-1, [H, D / H])`)
//! and literals keep working (`Reshape::new([12, -1])`). Dims (`Transpose::new(1, 2)`, the `-1`
//! above) stay `i64`, as in PyTorch: they are written as literals, not computed from a block's
//! parameters, and a literal there is an `i64` with no numeric fallback.

use crate::fmt::Message;

mod sealed {
    pub trait Sealed {}
}

/// An integer type accepted where PyTorch takes a size or a position (`Reshape`'s and
/// `Unflatten`'s sizes, `Narrow`'s start, length and counts): `i32` (what an unsuffixed literal
/// such as `-1` is there), `i64`, `isize`, `u32`, `u64` (a `network!` block's const parameters),
/// `usize`. Implemented for those types only.
///
/// ```
/// use nncost_core::{layers::Unflatten, Shape};
/// const H: u64 = 12;
/// // A u64 const and a literal, without `as i64`.
/// let (out, _) = Unflatten::new(-1, [H, 768 / H]).into_layer().apply(&Shape::new(&[1, 8, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 8, 12, 64]));
/// ```
pub trait ShapeInteger: Copy + sealed::Sealed {
    /// Whether the type is signed.
    #[doc(hidden)]
    const SIGNED: bool;
    /// The type's size in bytes.
    #[doc(hidden)]
    const BYTES: usize;
}

macro_rules! integer {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}
        impl ShapeInteger for $ty {
            const SIGNED: bool = <$ty>::MIN != 0;
            const BYTES: usize = core::mem::size_of::<$ty>();
        }
    )*};
}

integer!(i32, i64, isize, u32, u64, usize);

/// The value of `value` (any [`ShapeInteger`]), widened to `i128`, which holds every one of them.
///
/// Stable Rust has no `const` trait methods, so a generic `const fn` cannot call a conversion;
/// it reads the value as the integer type that `T` is (told apart by the sealed trait's
/// associated consts) instead.
pub(crate) const fn to_i128<T: ShapeInteger>(value: T) -> i128 {
    let pointer = &value as *const T;
    // SAFETY: `ShapeInteger` is sealed and implemented only for the six types below, each identified
    // by its signedness and size (`isize`/`usize` are `i64`/`u64` or `i32`/`u32` in layout), so
    // `pointer` points at an initialized, aligned value of the type it is read as.
    unsafe {
        match (T::SIGNED, T::BYTES) {
            (true, 4) => *(pointer as *const i32) as i128,
            (true, 8) => *(pointer as *const i64) as i128,
            (false, 4) => *(pointer as *const u32) as i128,
            (false, 8) => *(pointer as *const u64) as i128,
            _ => panic!("nncost: unsupported integer type"),
        }
    }
}

/// `value` as a PyTorch dim or size (`i64`); panics naming `layer` and `setting` above `i64::MAX`.
#[track_caller]
pub(crate) const fn to_i64<T: ShapeInteger>(layer: &str, setting: &str, value: T) -> i64 {
    let v = to_i128(value);
    if v > i64::MAX as i128 {
        let mut m = Message::new();
        m.push_str(layer);
        m.push_str(": ");
        m.push_str(setting);
        m.push_str(" is larger than i64::MAX");
        panic!("{}", m.as_str());
    }
    v as i64
}

/// `value` as a count (`u64`); panics naming `layer` and `setting` when it is negative, adding
/// `hint`.
#[track_caller]
pub(crate) const fn to_u64<T: ShapeInteger>(
    layer: &str,
    setting: &str,
    value: T,
    hint: &str,
) -> u64 {
    let v = to_i128(value);
    if v < 0 {
        let mut m = Message::new();
        m.push_str(layer);
        m.push_str(": ");
        m.push_str(setting);
        m.push_str(" must not be negative, got ");
        m.push_i64(v as i64);
        m.push_str(hint);
        panic!("{}", m.as_str());
    }
    v as u64
}

/// Every entry of `values` as a PyTorch dim or size (see [`to_i64`]).
#[track_caller]
pub(crate) const fn to_i64s<T: ShapeInteger, const K: usize>(
    layer: &str,
    setting: &str,
    values: [T; K],
) -> [i64; K] {
    let mut out = [0; K];
    let mut i = 0;
    while i < K {
        out[i] = to_i64(layer, setting, values[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_its_value() {
        assert_eq!(to_i128(-1_i32), -1);
        assert_eq!(to_i128(i32::MIN), i32::MIN as i128);
        assert_eq!(to_i128(i64::MIN), i64::MIN as i128);
        assert_eq!(to_i128(-7_isize), -7);
        assert_eq!(to_i128(u32::MAX), u32::MAX as i128);
        assert_eq!(to_i128(u64::MAX), u64::MAX as i128);
        assert_eq!(to_i128(usize::MAX), usize::MAX as i128);
        assert_eq!(to_i64("Reshape", "size", 768_u64), 768);
        assert_eq!(to_u64("Narrow", "length", 3_i32, ""), 3);
    }

    #[test]
    #[should_panic(expected = "Narrow: length must not be negative, got -2; hint")]
    fn negative_counts_are_refused() {
        to_u64("Narrow", "length", -2_i64, "; hint");
    }

    #[test]
    #[should_panic(expected = "Reshape: size is larger than i64::MAX")]
    fn huge_sizes_are_refused() {
        to_i64("Reshape", "size", u64::MAX);
    }
}
