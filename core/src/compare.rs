//! Comparisons checked in consts with both values in the message, for `nncost::const_assert!`:
//! `const_assert!(Net::MACS == 56_510_401) failed: 56,510,400 != 56,510,401`.
//!
//! Stable Rust has no const trait methods, so a generic `const fn` cannot call `PartialEq` or
//! `Display` on its operands. The macro compares the operands where their types are concrete
//! (the primitive `==` and `<` are const) and hands both values to [`check_comparison`], which
//! reads their bytes by the kind the sealed [`Operand`] trait names (an associated const, which
//! generic const code may read) and formats them as budget messages do.

use crate::fmt::Message;

/// A comparison operator of `const_assert!(a OP b)`.
///
/// ```
/// use nncost_core::Comparison;
/// assert_eq!(Comparison::Lt.symbol(), "<");
/// assert_eq!(Comparison::Lt.negation(), Comparison::Ge);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparison {
    /// The operator as written: `"=="`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }

    /// The operator that holds between two ordered values when this one does not: `!=` for
    /// `==`, `>=` for `<`.
    pub const fn negation(self) -> Comparison {
        match self {
            Comparison::Eq => Comparison::Ne,
            Comparison::Ne => Comparison::Eq,
            Comparison::Lt => Comparison::Ge,
            Comparison::Le => Comparison::Gt,
            Comparison::Gt => Comparison::Le,
            Comparison::Ge => Comparison::Lt,
        }
    }
}

/// How an [`Operand`]'s bytes are read: its representation and size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// An unsigned integer of this many bytes.
    Unsigned(usize),
    /// A signed integer of this many bytes.
    Signed(usize),
    /// A float of this many bytes (4 or 8).
    Float(usize),
    /// `bool`.
    Bool,
    /// `char`.
    Char,
}

mod sealed {
    /// Only the primitive types of this module are operands: [`super::operand_bytes`] relies on
    /// their sizes and on their having no padding.
    pub trait Sealed {}
}

/// A value a failing `const_assert!` comparison can show: the primitive integers, floats,
/// `bool` and `char` (the types whose `==` and `<` work in a const).
///
/// ```
/// use nncost_core::{Operand, OperandKind};
/// assert_eq!(<u64 as Operand>::KIND, OperandKind::Unsigned(8));
/// ```
#[diagnostic::on_unimplemented(
    message = "`const_assert!` cannot compare values of type `{Self}` in a const",
    label = "not an integer, float, `bool` or `char`",
    note = "`==`, `!=`, `<`, `<=`, `>` and `>=` work in consts on primitive numbers, `bool` and `char` only"
)]
pub trait Operand: Copy + sealed::Sealed {
    /// How the value's bytes are read.
    const KIND: OperandKind;
}

macro_rules! operands {
    ($($ty:ty => $kind:ident),* $(,)?) => {$(
        impl sealed::Sealed for $ty {}
        impl Operand for $ty {
            const KIND: OperandKind = OperandKind::$kind(core::mem::size_of::<$ty>());
        }
    )*};
}

operands! {
    u8 => Unsigned, u16 => Unsigned, u32 => Unsigned, u64 => Unsigned, u128 => Unsigned,
    usize => Unsigned,
    i8 => Signed, i16 => Signed, i32 => Signed, i64 => Signed, i128 => Signed, isize => Signed,
    f32 => Float, f64 => Float,
}

impl sealed::Sealed for bool {}
impl Operand for bool {
    const KIND: OperandKind = OperandKind::Bool;
}

impl sealed::Sealed for char {}
impl Operand for char {
    const KIND: OperandKind = OperandKind::Char;
}

/// Passes if `holds`; else panics (a compile error in a const) with `assertion`, then both
/// operands around the operator that holds between them:
/// `const_assert!(Net::MACS == 56_510_401) failed: 56,510,400 != 56,510,401`.
///
/// `holds` is `lhs OP rhs`, computed by the caller where the operands' type is concrete.
///
/// ```
/// use nncost_core::{check_comparison, Comparison};
/// const _: () = check_comparison(3 < 4, 3, 4, Comparison::Lt, "const_assert!(3 < 4) failed");
/// ```
///
/// ```compile_fail
/// use nncost_core::{check_comparison, Comparison};
/// // error: const_assert!(X == 56_510_401) failed: 56,510,400 != 56,510,401
/// const X: u64 = 56_510_400;
/// const _: () = check_comparison(X == 56_510_401, X, 56_510_401, Comparison::Eq,
///     "const_assert!(X == 56_510_401) failed");
/// ```
#[track_caller]
pub const fn check_comparison<T: Operand>(
    holds: bool,
    lhs: T,
    rhs: T,
    op: Comparison,
    assertion: &str,
) {
    if holds {
        return;
    }
    let m = comparison_message(lhs, rhs, op, assertion);
    panic!("{}", m.as_str())
}

/// The message of a failed comparison (see [`check_comparison`]).
///
/// ```
/// use nncost_core::{comparison_message, Comparison};
/// let m = comparison_message(-1_500i64, 20, Comparison::Gt, "failed");
/// assert_eq!(m.as_str(), "failed: -1,500 <= 20");
/// let m = comparison_message(0.25f64, 0.5, Comparison::Ge, "failed");
/// assert_eq!(m.as_str(), "failed: 0.25 < 0.5");
/// let m = comparison_message(f64::NAN, 0.5, Comparison::Lt, "failed");
/// assert_eq!(m.as_str(), "failed: NaN < 0.5 is false");
/// ```
pub const fn comparison_message<T: Operand>(
    lhs: T,
    rhs: T,
    op: Comparison,
    assertion: &str,
) -> Message {
    let lhs = Value::of(lhs);
    let rhs = Value::of(rhs);
    let mut m = Message::new();
    m.push_str(assertion);
    m.push_str(": ");
    lhs.write(&mut m);
    m.push_str(" ");
    if lhs.is_nan() || rhs.is_nan() {
        // Nothing holds between NaN and a value: say which comparison was false.
        m.push_str(op.symbol());
        m.push_str(" ");
        rhs.write(&mut m);
        m.push_str(" is false");
    } else {
        m.push_str(op.negation().symbol());
        m.push_str(" ");
        rhs.write(&mut m);
    }
    m
}

/// An operand read back from its bytes.
#[derive(Clone, Copy)]
enum Value {
    Unsigned(u128),
    Signed(i128),
    Float(f64),
    Bool(bool),
    Char(char),
}

impl Value {
    const fn of<T: Operand>(value: T) -> Value {
        let b = operand_bytes(value);
        match T::KIND {
            OperandKind::Unsigned(size) => Value::Unsigned(match size {
                1 => b[0] as u128,
                2 => u16::from_ne_bytes([b[0], b[1]]) as u128,
                4 => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as u128,
                8 => u64::from_ne_bytes(first_eight(&b)) as u128,
                _ => u128::from_ne_bytes(b),
            }),
            OperandKind::Signed(size) => Value::Signed(match size {
                1 => b[0] as i8 as i128,
                2 => i16::from_ne_bytes([b[0], b[1]]) as i128,
                4 => i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i128,
                8 => i64::from_ne_bytes(first_eight(&b)) as i128,
                _ => i128::from_ne_bytes(b),
            }),
            OperandKind::Float(4) => {
                Value::Float(f32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as f64)
            }
            OperandKind::Float(_) => Value::Float(f64::from_ne_bytes(first_eight(&b))),
            OperandKind::Bool => Value::Bool(b[0] != 0),
            OperandKind::Char => {
                match char::from_u32(u32::from_ne_bytes([b[0], b[1], b[2], b[3]])) {
                    Some(c) => Value::Char(c),
                    None => Value::Char(char::REPLACEMENT_CHARACTER),
                }
            }
        }
    }

    const fn is_nan(&self) -> bool {
        matches!(self, Value::Float(v) if v.is_nan())
    }

    const fn write(&self, m: &mut Message) {
        match *self {
            Value::Unsigned(n) => m.push_digits(n, true),
            Value::Signed(n) => {
                if n < 0 {
                    m.push_str("-");
                }
                m.push_digits(n.unsigned_abs(), true);
            }
            Value::Float(v) => push_float(m, v),
            Value::Bool(b) => m.push_str(if b { "true" } else { "false" }),
            Value::Char(c) => {
                let mut buf = [0u8; 4];
                m.push_str("'");
                m.push_str(c.encode_utf8(&mut buf));
                m.push_str("'");
            }
        }
    }
}

/// The first eight of sixteen bytes.
const fn first_eight(b: &[u8; 16]) -> [u8; 8] {
    [b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]
}

/// A value's bytes, zero-padded to sixteen: a union written through its `value` field and
/// read through `bytes`, the const-compatible `transmute_copy` of a generic value.
union Bits<T: Copy> {
    value: T,
    bytes: [u8; 16],
}

const fn operand_bytes<T: Operand>(value: T) -> [u8; 16] {
    let mut bits = Bits { bytes: [0; 16] };
    bits.value = value;
    // SAFETY: every byte of `bits` is initialized: all sixteen by the zeroed `bytes`, then the
    // first `size_of::<T>()` by `value`, which covers them without padding since `T` is one of
    // the primitive integers, floats, `bool` or `char` (`Operand` is sealed), all at most 16
    // bytes. Any initialized bytes are a valid `[u8; 16]`.
    unsafe { bits.bytes }
}

/// `v` with up to six decimals, trailing zeros dropped, thousands grouped: `1,234.5`.
const fn push_float(m: &mut Message, v: f64) {
    if v.is_nan() {
        m.push_str("NaN");
        return;
    }
    if v < 0.0 {
        m.push_str("-");
    }
    let a = if v < 0.0 { -v } else { v };
    if a.is_infinite() {
        m.push_str("inf");
        return;
    }
    // Millionths, rounded (a cast saturates past u128, far beyond any figure).
    let millionths = (a * 1e6 + 0.5) as u128;
    m.push_digits(millionths / 1_000_000, true);
    let mut frac = millionths % 1_000_000;
    if frac == 0 {
        return;
    }
    let mut digits = 6;
    while frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    m.push_str(".");
    // Leading zeros of the fraction.
    let mut width = 1;
    let mut scale = 10;
    while frac >= scale {
        width += 1;
        scale *= 10;
    }
    while width < digits {
        m.push_str("0");
        width += 1;
    }
    m.push_digits(frac, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown<T: Operand>(lhs: T, rhs: T, op: Comparison) -> Message {
        comparison_message(lhs, rhs, op, "x")
    }

    #[test]
    fn every_integer_width_reads_back() {
        assert_eq!(shown(255u8, 1, Comparison::Lt).as_str(), "x: 255 >= 1");
        assert_eq!(shown(-128i8, 1, Comparison::Gt).as_str(), "x: -128 <= 1");
        assert_eq!(
            shown(65_535u16, 0, Comparison::Eq).as_str(),
            "x: 65,535 != 0"
        );
        assert_eq!(
            shown(-32_768i16, 0, Comparison::Eq).as_str(),
            "x: -32,768 != 0"
        );
        assert_eq!(
            shown(u32::MAX, 0, Comparison::Le).as_str(),
            "x: 4,294,967,295 > 0"
        );
        assert_eq!(
            shown(i32::MIN, 0, Comparison::Ge).as_str(),
            "x: -2,147,483,648 < 0"
        );
        assert_eq!(
            shown(56_510_400u64, 56_510_401, Comparison::Eq).as_str(),
            "x: 56,510,400 != 56,510,401"
        );
        assert_eq!(
            shown(i64::MIN, 0, Comparison::Ne).as_str(),
            "x: -9,223,372,036,854,775,808 == 0"
        );
        assert_eq!(
            shown(u128::MAX, 0, Comparison::Eq).as_str(),
            "x: 340,282,366,920,938,463,463,374,607,431,768,211,455 != 0"
        );
        assert_eq!(
            shown(i128::MIN, 0, Comparison::Eq).as_str(),
            "x: -170,141,183,460,469,231,731,687,303,715,884,105,728 != 0"
        );
        assert_eq!(
            shown(usize::MAX, 0, Comparison::Eq).as_str(),
            if usize::BITS == 64 {
                "x: 18,446,744,073,709,551,615 != 0"
            } else {
                "x: 4,294,967,295 != 0"
            }
        );
        assert_eq!(shown(-7isize, 7, Comparison::Eq).as_str(), "x: -7 != 7");
    }

    #[test]
    fn floats_bools_and_chars_read_back() {
        assert_eq!(
            shown(31.5f64, 40.0, Comparison::Gt).as_str(),
            "x: 31.5 <= 40"
        );
        assert_eq!(
            shown(1_234.062_5_f64, 0.001, Comparison::Lt).as_str(),
            "x: 1,234.0625 >= 0.001"
        );
        assert_eq!(shown(0.1f32, 0.0, Comparison::Lt).as_str(), "x: 0.1 >= 0");
        assert_eq!(shown(-2.5f32, 1.0, Comparison::Gt).as_str(), "x: -2.5 <= 1");
        assert_eq!(
            shown(f64::INFINITY, f64::NEG_INFINITY, Comparison::Lt).as_str(),
            "x: inf >= -inf"
        );
        assert_eq!(
            shown(1.0, f64::NAN, Comparison::Eq).as_str(),
            "x: 1 == NaN is false"
        );
        assert_eq!(
            shown(true, false, Comparison::Eq).as_str(),
            "x: true != false"
        );
        assert_eq!(shown('a', 'é', Comparison::Eq).as_str(), "x: 'a' != 'é'");
    }

    #[test]
    fn a_comparison_that_holds_passes() {
        check_comparison(1 < 2, 1, 2, Comparison::Lt, "unused");
    }

    #[test]
    #[should_panic(expected = "const_assert!(a) failed: 2 < 3")]
    fn a_comparison_that_fails_panics_with_both_values() {
        check_comparison(2 >= 3, 2, 3, Comparison::Ge, "const_assert!(a) failed");
    }
}
