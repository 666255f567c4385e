//! Widths relative to the input: `Conv2d::ratio(1, 2, k)` (DenseNet's transition, `in // 2`),
//! `Linear::ratio(4, 1)` (a transformer MLP's `4 * dim`).

use super::require_positive;
use crate::error::Problem;

/// An output width as a fraction of the input's: `input · numerator / denominator`, rounded down
/// as Python's `//` (`in_channels * 4`, `num_features // 2`).
///
/// ```
/// use nncost_core::layers::Ratio;
/// assert_eq!(Ratio::new(1, 2).of(256), Ok(128));
/// assert_eq!(Ratio::new(4, 1).of(96), Ok(384));
/// assert_eq!(Ratio::new(1, 2).of(7), Ok(3)); // 7 // 2
/// assert!(Ratio::new(1, 8).of(4).is_err()); // no channel left
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    /// What the input's width is multiplied by.
    pub numerator: u64,
    /// What the product is divided by (rounding down).
    pub denominator: u64,
}

impl Ratio {
    /// `numerator / denominator` of the input's width; both must be at least 1.
    #[track_caller]
    pub const fn new(numerator: u64, denominator: u64) -> Ratio {
        require_positive("ratio", "numerator", numerator);
        require_positive("ratio", "denominator", denominator);
        Ratio {
            numerator,
            denominator,
        }
    }

    /// The width for an input of width `input`; an error if it rounds down to 0 or overflows.
    pub const fn of(&self, input: u64) -> Result<u64, Problem> {
        let scaled = checked!(checked_mul, input, self.numerator, "channels");
        let width = scaled / self.denominator;
        if width == 0 {
            return Err(Problem::RatioOfNothing {
                input,
                numerator: self.numerator,
                denominator: self.denominator,
            });
        }
        Ok(width)
    }
}
