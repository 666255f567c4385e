//! Budgets: limits on a model's figures, checked in consts so `cargo check` fails over budget.

use crate::fmt::{Message, UnitSystem};
use crate::model::Report;

/// A figure a budget can limit.
///
/// ```
/// use nncost_core::Figure;
/// assert_eq!(Figure::Macs.label(), "MACs");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Figure {
    /// `params`: learnable parameters.
    Params,
    /// `buffers`: non-learnable floating-point state.
    Buffers,
    /// `all_buffers`: every buffer, floating-point and integer (PyTorch's `model.buffers()`).
    AllBuffers,
    /// `macs`: multiply-accumulates.
    Macs,
    /// `flops`: floating-point operations.
    Flops,
    /// `weights`: bytes of parameters in the weight dtype (`WEIGHT_BYTES`).
    Weights,
    /// `activations`: bytes of every activation tensor, all allocated at once (`ACTIVATION_BYTES`).
    Activations,
    /// `peak_memory`: weights plus the most activation bytes alive at once (`PEAK_MEMORY_BYTES`).
    PeakMemory,
    /// `memory_access`: bytes read and written by all layers (`MEMORY_ACCESS_BYTES`).
    MemoryAccess,
}

impl Figure {
    /// How the figure is named in messages.
    pub const fn label(self) -> &'static str {
        match self {
            Figure::Params => "parameters",
            Figure::Buffers => "buffers",
            Figure::AllBuffers => "all buffers",
            Figure::Macs => "MACs",
            Figure::Flops => "FLOPs",
            Figure::Weights => "weights",
            Figure::Activations => "activations",
            Figure::PeakMemory => "peak memory",
            Figure::MemoryAccess => "memory access",
        }
    }

    /// Whether the figure is a number of bytes (else a count).
    ///
    /// ```
    /// use nncost_core::Figure;
    /// assert!(Figure::PeakMemory.is_bytes());
    /// assert!(!Figure::Params.is_bytes());
    /// ```
    pub const fn is_bytes(self) -> bool {
        matches!(
            self,
            Figure::Weights | Figure::Activations | Figure::PeakMemory | Figure::MemoryAccess
        )
    }

    /// "exceed" or "exceeds", agreeing with [`Figure::label`].
    const fn verb(self) -> &'static str {
        match self {
            Figure::PeakMemory | Figure::MemoryAccess => "exceeds",
            _ => "exceed",
        }
    }

    /// The figure's value in a report.
    pub const fn of(self, report: &Report) -> u64 {
        match self {
            Figure::Params => report.cost.params,
            Figure::Buffers => report.cost.buffers,
            Figure::AllBuffers => report.cost.all_buffers(),
            Figure::Macs => report.cost.macs,
            Figure::Flops => report.cost.flops,
            Figure::Weights => report.memory.weights,
            Figure::Activations => report.memory.activations,
            Figure::PeakMemory => report.memory.peak,
            Figure::MemoryAccess => report.memory.access,
        }
    }
}

/// A unit a budget limit is written in: `12M`, `1.5G`, `48MiB`.
///
/// ```
/// use nncost_core::Unit;
/// assert_eq!(Unit::MiB.multiplier(), 1 << 20);
/// ```
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// No unit: the number itself.
    One,
    /// 10³
    K,
    /// 10⁶
    M,
    /// 10⁹
    G,
    /// 10¹²
    T,
    /// bytes
    B,
    /// 10³ bytes
    KB,
    /// 10⁶ bytes
    MB,
    /// 10⁹ bytes
    GB,
    /// 10¹² bytes
    TB,
    /// 2¹⁰ bytes
    KiB,
    /// 2²⁰ bytes
    MiB,
    /// 2³⁰ bytes
    GiB,
    /// 2⁴⁰ bytes
    TiB,
}

impl Unit {
    /// The factor the number is multiplied by.
    pub const fn multiplier(self) -> u64 {
        match self {
            Unit::One | Unit::B => 1,
            Unit::K | Unit::KB => 1_000,
            Unit::M | Unit::MB => 1_000_000,
            Unit::G | Unit::GB => 1_000_000_000,
            Unit::T | Unit::TB => 1_000_000_000_000,
            Unit::KiB => 1 << 10,
            Unit::MiB => 1 << 20,
            Unit::GiB => 1 << 30,
            Unit::TiB => 1 << 40,
        }
    }

    /// The unit as written in a budget (`""` for [`Unit::One`]).
    ///
    /// ```
    /// use nncost_core::Unit;
    /// assert_eq!((Unit::MiB.name(), Unit::One.name()), ("MiB", ""));
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Unit::One => "",
            Unit::K => "K",
            Unit::M => "M",
            Unit::G => "G",
            Unit::T => "T",
            Unit::B => "B",
            Unit::KB => "KB",
            Unit::MB => "MB",
            Unit::GB => "GB",
            Unit::TB => "TB",
            Unit::KiB => "KiB",
            Unit::MiB => "MiB",
            Unit::GiB => "GiB",
            Unit::TiB => "TiB",
        }
    }

    /// How values compared with a limit in this unit are shown.
    pub const fn system(self) -> UnitSystem {
        match self {
            Unit::One | Unit::K | Unit::M | Unit::G | Unit::T => UnitSystem::Count,
            Unit::B | Unit::KB | Unit::MB | Unit::GB | Unit::TB => UnitSystem::DecimalBytes,
            Unit::KiB | Unit::MiB | Unit::GiB | Unit::TiB => UnitSystem::BinaryBytes,
        }
    }
}

/// `figure <= limit`, with the limit as written (`1.5G`) turned into an exact integer.
///
/// ```
/// use nncost_core::{Budget, Figure, Unit};
/// const B: Budget = Budget::new(Figure::Macs, "1.5", Unit::G);
/// assert_eq!(B.limit, 1_500_000_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// The figure limited.
    pub figure: Figure,
    /// The limit, exact.
    pub limit: u64,
    /// The unit it was written in (decides how the message shows numbers).
    pub unit: Unit,
    /// The number as written, when it is not a valid limit, and why; reported by
    /// [`check_budget`] (with the model's name) instead of a comparison.
    pub invalid: Option<(&'static str, &'static str)>,
}

impl Budget {
    /// Parses `number` (digits, an optional `.fraction`, an optional `e`/`E` exponent, `_` ignored)
    /// times `unit`. If it is not a whole number that fits in `u64`, the budget is invalid and
    /// [`check_budget`] fails (a compile error at the budget) saying why.
    ///
    /// ```
    /// use nncost_core::{Budget, Figure, Unit};
    /// let b = Budget::new(Figure::Params, "1.5", Unit::One);
    /// assert!(b.invalid.unwrap().1.starts_with("not a whole number"));
    /// ```
    pub const fn new(figure: Figure, number: &'static str, unit: Unit) -> Budget {
        match parse_scaled(number.as_bytes(), unit.multiplier()) {
            Ok(limit) => Budget {
                figure,
                limit,
                unit,
                invalid: None,
            },
            Err(why) => Budget {
                figure,
                limit: u64::MAX,
                unit,
                invalid: Some((number, why)),
            },
        }
    }

    /// A limit given as an exact number (`macs <= BASE_MACS`), shown in counts or bytes as
    /// befits the figure.
    ///
    /// ```
    /// use nncost_core::{Budget, Figure, Unit};
    /// assert_eq!(Budget::exact(Figure::Params, 1_000).limit, 1_000);
    /// assert_eq!(Budget::exact(Figure::Weights, 1 << 20).unit, Unit::B);
    /// ```
    pub const fn exact(figure: Figure, limit: u64) -> Budget {
        Budget {
            figure,
            limit,
            unit: if figure.is_bytes() {
                Unit::B
            } else {
                Unit::One
            },
            invalid: None,
        }
    }

    /// Writes the violation message if `report` exceeds the budget (or the budget is invalid);
    /// `None` if it fits.
    pub const fn violation(&self, report: &Report) -> Option<Message> {
        if let Some((number, why)) = self.invalid {
            let mut m = Message::new();
            m.push_str(report.name);
            m.push_str(": the budget limit `");
            m.push_str(number);
            m.push_str(self.unit.name());
            m.push_str("` for ");
            m.push_str(self.figure.label());
            m.push_str(" is ");
            m.push_str(why);
            return Some(m);
        }
        let value = self.figure.of(report);
        if value <= self.limit {
            return None;
        }
        let units = self.unit.system();
        let mut m = Message::new();
        m.push_str(report.name);
        m.push_str(": ");
        m.push_str(self.figure.label());
        m.push_str(" ");
        m.push_human(value, units);
        m.push_str(" ");
        m.push_str(self.figure.verb());
        m.push_str(" the budget ");
        m.push_human(self.limit, units);
        m.push_str(" (");
        m.push_overshoot(value, self.limit);
        m.push_str("): ");
        m.push_grouped(value);
        m.push_str(" > ");
        m.push_grouped(self.limit);
        Some(m)
    }
}

/// Fails (a compile error at the caller's span) when `report` is over `budget`.
///
/// ```should_panic
/// use nncost_core::{check_budget, Budget, Cost, Figure, Report, Unit};
/// let report = Report { name: "Net", cost: Cost { macs: 1_814_073_344, ..Cost::ZERO }, ..Report::EMPTY };
/// // panics: "Net: MACs 1.81 G exceed the budget 1.50 G (+21%): 1,814,073,344 > 1,500,000,000"
/// check_budget(&report, Budget::new(Figure::Macs, "1.5", Unit::G));
/// ```
#[track_caller]
pub const fn check_budget(report: &Report, budget: Budget) {
    if let Some(m) = budget.violation(report) {
        panic!("{}", m.as_str());
    }
}

const TOO_LARGE: &str = "larger than u64 can hold (18,446,744,073,709,551,615)";
const NOT_WHOLE: &str = "not a whole number once the unit is applied; a limit counts whole units: \
     write a whole number, or a decimal with a unit (`1.5K` is 1,500)";

/// `digits × multiplier` exactly, from decimal text such as `1.5`, `12`, `2e9`, `1_000`.
const fn parse_scaled(text: &[u8], multiplier: u64) -> Result<u64, &'static str> {
    parse_scaled_or(text, multiplier, NOT_WHOLE)
}

/// [`parse_scaled`] with its own reason for a result that is not whole (a latency in
/// picoseconds says so).
pub(crate) const fn parse_scaled_or(
    text: &[u8],
    multiplier: u64,
    not_whole: &'static str,
) -> Result<u64, &'static str> {
    // Collect the significant digits as an integer and the power of ten to apply.
    let mut mantissa: u128 = 0;
    let mut exponent: i32 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'_' {
        } else if c == b'.' {
            if seen_point {
                return Err("not a number (more than one decimal point)");
            }
            seen_point = true;
        } else if c == b'e' || c == b'E' {
            let mut exp: i32 = 0;
            let mut negative = false;
            let mut j = i + 1;
            if j < text.len() && (text[j] == b'-' || text[j] == b'+') {
                negative = text[j] == b'-';
                j += 1;
            }
            if j >= text.len() {
                return Err("not a number (its exponent has no digits)");
            }
            while j < text.len() {
                let d = text[j];
                if d == b'_' {
                    j += 1;
                    continue;
                }
                if !d.is_ascii_digit() || exp > 1000 {
                    return Err("not a number");
                }
                exp = exp * 10 + (d - b'0') as i32;
                j += 1;
            }
            exponent += if negative { -exp } else { exp };
            break;
        } else if c.is_ascii_digit() {
            seen_digit = true;
            if mantissa > u64::MAX as u128 {
                return Err(TOO_LARGE);
            }
            mantissa = mantissa * 10 + (c - b'0') as u128;
            if seen_point {
                exponent -= 1;
            }
        } else {
            return Err("not a number");
        }
        i += 1;
    }
    if !seen_digit {
        return Err("not a number");
    }
    let mut value = mantissa * multiplier as u128;
    while exponent > 0 {
        value *= 10;
        if value > u64::MAX as u128 {
            return Err(TOO_LARGE);
        }
        exponent -= 1;
    }
    while exponent < 0 {
        if !value.is_multiple_of(10) {
            return Err(not_whole);
        }
        value /= 10;
        exponent += 1;
    }
    if value > u64::MAX as u128 {
        return Err(TOO_LARGE);
    }
    Ok(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimals_units_and_exponents() {
        assert_eq!(parse_scaled(b"1.5", 1_000_000_000), Ok(1_500_000_000));
        assert_eq!(parse_scaled(b"12", 1_000_000), Ok(12_000_000));
        assert_eq!(parse_scaled(b"48", 1 << 20), Ok(48 << 20));
        assert_eq!(parse_scaled(b"2e9", 1), Ok(2_000_000_000));
        assert_eq!(parse_scaled(b"1_000", 1), Ok(1000));
        assert_eq!(parse_scaled(b"0.25", 1 << 10), Ok(256));
        assert!(parse_scaled(b"1.5", 1).is_err());
        assert!(parse_scaled(b"1e30", 1).is_err());
        assert!(parse_scaled(b"abc", 1).is_err());
    }
}
