//! Layers that move no numbers in inference: `Flatten` (a reshape) and `Dropout` (the identity).

use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// Flattening of dims 1 to the last into one, as `torch.nn.Flatten()` (`start_dim=1, end_dim=-1`).
///
/// Usable as a value (`Flatten`) and as a type in `network!`. Other ranges:
/// [`Flatten::new(start_dim, end_dim)`](Flatten::new), which gives a [`FlattenRange`].
///
/// - Output: `[N, C·H·W]` from `[N, C, H, W]` (see [`FlattenRange`] for the general rule).
/// - Params, buffers, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Flatten, Shape};
/// let (out, cost) = Flatten.into_layer().apply(&Shape::new(&[1, 512, 1, 1])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 512]));
/// assert_eq!(cost, nncost_core::Cost::ZERO);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flatten;

impl Flatten {
    /// Flattening of dims `start_dim..=end_dim` (negative counts from the end), as
    /// `torch.nn.Flatten(start_dim, end_dim)`.
    ///
    /// ```
    /// use nncost_core::{layers::Flatten, Shape};
    /// let (out, _) = Flatten::new(0, -2).into_layer().apply(&Shape::new(&[2, 3, 4])).unwrap();
    /// assert_eq!(out, Shape::new(&[6, 4]));
    /// ```
    #[allow(clippy::new_ret_no_self)]
    #[track_caller]
    pub const fn new(start_dim: i64, end_dim: i64) -> FlattenRange {
        FlattenRange::new(start_dim, end_dim)
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Flatten(FlattenRange {
            start_dim: 1,
            end_dim: -1,
        })
    }
}

impl crate::model::ModelCost for Flatten {
    const NODE: crate::node::Node = crate::node::Node::Layer(Flatten.into_layer());
}

/// Flattening of dims `start_dim..=end_dim` into one, as `torch.nn.Flatten(start_dim, end_dim)`.
///
/// Dims are PyTorch's: negative values count from the end (`-1` is the last dim), and both must
/// lie in the input's rank with `start_dim` not after `end_dim`.
///
/// - Output: `dims[..start] ++ [Π dims[start..=end]] ++ dims[end + 1..]`.
/// - Params, buffers, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::FlattenRange, Shape};
/// let (out, _) = FlattenRange::new(2, 3).into_layer().apply(&Shape::new(&[1, 8, 4, 4, 2])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 8, 16, 2]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct FlattenRange {
    /// First flattened dim (negative counts from the end).
    pub start_dim: i64,
    /// Last flattened dim, included (negative counts from the end).
    pub end_dim: i64,
}

impl FlattenRange {
    /// Flattening of dims `start_dim..=end_dim` (negative counts from the end). Panics when both
    /// have the same sign and `start_dim > end_dim` (other orders depend on the input's rank).
    #[track_caller]
    pub const fn new(start_dim: i64, end_dim: i64) -> FlattenRange {
        if (start_dim >= 0) == (end_dim >= 0) && start_dim > end_dim {
            let mut m = crate::fmt::Message::new();
            m.push_str("Flatten: start_dim (");
            m.push_i64(start_dim);
            m.push_str(") must not come after end_dim (");
            m.push_i64(end_dim);
            m.push_str(")");
            panic!("{}", m.as_str());
        }
        FlattenRange { start_dim, end_dim }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Flatten(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank();
        let start = tri!(resolve_dim("start_dim", self.start_dim, rank));
        let end = tri!(resolve_dim("end_dim", self.end_dim, rank));
        if start > end {
            return Err(Problem::Other(
                "Flatten's start_dim comes after its end_dim for this input's rank",
            ));
        }
        let merged = end - start;
        let mut size: u64 = 1;
        let mut i = start;
        while i <= end {
            size = checked!(checked_mul, size, input.dim(i), "tensor size");
            i += 1;
        }
        let mut out = input.with_rank(rank - merged).with_dim(start, size);
        let mut i = end + 1;
        while i < rank {
            out = out.with_dim(i - merged, input.dim(i));
            i += 1;
        }
        Ok((out, Cost::ZERO))
    }
}

/// A PyTorch dim index (negative counts from the end) as an index below `rank`.
const fn resolve_dim(what: &'static str, dim: i64, rank: usize) -> Result<usize, Problem> {
    let r = rank as i64;
    let d = if dim < 0 { dim + r } else { dim };
    if d < 0 || d >= r {
        return Err(Problem::DimOutOfRange { what, dim, rank });
    }
    Ok(d as usize)
}

/// Dropout with PyTorch's default `p = 0.5`, as `torch.nn.Dropout()`; in inference the identity.
///
/// Usable as a value (`Dropout`) and as a type in `network!`; another rate:
/// [`Dropout::new(p)`](Dropout::new), which gives a [`DropoutRate`].
///
/// - Output: the input's shape. Params, buffers, MACs, FLOPs: 0 (costs are for inference, where
///   dropout does nothing).
///
/// ```
/// use nncost_core::{layers::Dropout, Cost, Shape};
/// let (out, cost) = Dropout.into_layer().apply(&Shape::new(&[1, 4096])).unwrap();
/// assert_eq!((out, cost), (Shape::new(&[1, 4096]), Cost::ZERO));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropout;

impl Dropout {
    /// Dropout with probability `p` (0 to 1) of zeroing an element in training, as
    /// `torch.nn.Dropout(p)`.
    ///
    /// ```
    /// use nncost_core::layers::Dropout;
    /// assert_eq!(Dropout::new(0.2).into_layer().kind(), "Dropout");
    /// ```
    #[allow(clippy::new_ret_no_self)]
    #[track_caller]
    pub const fn new(p: f64) -> DropoutRate {
        DropoutRate::new(p)
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Dropout(DropoutRate { p: 0.5 })
    }
}

impl crate::model::ModelCost for Dropout {
    const NODE: crate::node::Node = crate::node::Node::Layer(Dropout.into_layer());
}

/// Dropout with probability `p`, as `torch.nn.Dropout(p)`; in inference the identity.
///
/// - Output: the input's shape. Params, buffers, MACs, FLOPs: 0.
///
/// ```
/// use nncost_core::{layers::DropoutRate, Shape};
/// let (out, cost) = DropoutRate::new(0.1).into_layer().apply(&Shape::new(&[2, 7, 64])).unwrap();
/// assert_eq!((out, cost.flops), (Shape::new(&[2, 7, 64]), 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct DropoutRate {
    /// The probability of zeroing an element in training (no effect on the cost).
    pub p: f64,
}

impl DropoutRate {
    /// Dropout with probability `p`; panics unless `0 <= p <= 1`, as PyTorch does.
    #[track_caller]
    pub const fn new(p: f64) -> DropoutRate {
        if !(p >= 0.0 && p <= 1.0) {
            panic!("Dropout: p must be between 0 and 1");
        }
        DropoutRate { p }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Dropout(self)
    }

    /// Output shape (the input's) and cost (zero).
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        Ok((*input, Cost::ZERO))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_ranges() {
        let x = Shape::new(&[2, 3, 4, 5]);
        let flat = |s, e| FlattenRange::new(s, e).apply(&x);
        assert_eq!(flat(1, -1).unwrap().0, Shape::new(&[2, 60]));
        assert_eq!(flat(0, -1).unwrap().0, Shape::new(&[120]));
        assert_eq!(flat(1, 2).unwrap().0, Shape::new(&[2, 12, 5]));
        assert_eq!(flat(-2, -1).unwrap().0, Shape::new(&[2, 3, 20]));
        assert_eq!(flat(2, 2).unwrap().0, x);
        assert_eq!(flat(2, -2).unwrap().0, x);
        assert!(flat(2, -3).is_err());
        assert_eq!(
            flat(1, 4).unwrap_err(),
            Problem::DimOutOfRange {
                what: "end_dim",
                dim: 4,
                rank: 4
            }
        );
        assert_eq!(
            flat(-5, -1).unwrap_err(),
            Problem::DimOutOfRange {
                what: "start_dim",
                dim: -5,
                rank: 4
            }
        );
        assert!(flat(3, -2).is_err());
        assert_eq!(
            Flatten.into_layer().apply(&Shape::new(&[4, 10])).unwrap().0,
            Shape::new(&[4, 10])
        );
    }
}
