//! `Roll`: a cyclic shift along dims, as `torch.roll` (Swin's shifted windows).

use crate::cost::Cost;
use crate::error::Problem;
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// A cyclic shift of the input by `shifts[i]` positions along `dims[i]`, as
/// `torch.roll(x, shifts, dims)` (dims are PyTorch's: negative counts from the end, 0 is the
/// batch). Swin shifts its windows with `Roll::new([-3, -3], [1, 2])` on `[N, H, W, C]` and back
/// with `Roll::new([3, 3], [1, 2])`.
///
/// - Shape: unchanged. Params, MACs, FLOPs: 0.
/// - Memory: `torch.roll` returns a new tensor, so unlike a view it reads its input and writes
///   its output (a copy).
///
/// ```
/// use nncost_core::{layers::Roll, Shape};
/// let roll = Roll::new([-3, -3], [1, 2]).into_layer();
/// let (out, cost) = roll.apply(&Shape::new(&[1, 56, 56, 96])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 56, 56, 96]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (0, 0, 0));
/// assert!(roll.apply(&Shape::new(&[1, 56])).is_err()); // no dim 2
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Roll {
    /// Shift per rolled dim; entries from `len` on are unused.
    pub shifts: [i64; MAX_RANK],
    /// The rolled dims (PyTorch indices).
    pub dims: [i64; MAX_RANK],
    /// How many dims are rolled.
    pub len: usize,
}

impl Roll {
    /// Shifts `shifts[i]` along `dims[i]`, for 1 to 6 dims.
    #[track_caller]
    pub const fn new<const K: usize>(shifts: [i64; K], dims: [i64; K]) -> Roll {
        if K == 0 || K > MAX_RANK {
            let mut m = Message::new();
            m.push_str("Roll: give 1 to 6 shifts and dims, got ");
            m.push_u64(K as u64);
            panic!("{}", m.as_str());
        }
        let mut out = Roll {
            shifts: [0; MAX_RANK],
            dims: [0; MAX_RANK],
            len: K,
        };
        let mut i = 0;
        while i < K {
            out.shifts[i] = shifts[i];
            out.dims[i] = dims[i];
            i += 1;
        }
        out
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Roll(self)
    }

    /// Output shape (the input's) and cost (nothing), or a dim out of range.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank() as i64;
        let mut i = 0;
        while i < self.len {
            let dim = self.dims[i];
            if dim >= rank || dim < -rank {
                return Err(Problem::DimOutOfRange {
                    what: "dims",
                    dim,
                    rank: rank as usize,
                });
            }
            i += 1;
        }
        Ok((*input, Cost::ZERO))
    }
}
