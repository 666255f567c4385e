//! Shape operations: `Reshape`, `Unflatten`, `Transpose`, `Permute`, `Select`, `Narrow` (views,
//! which cost nothing), and `Scale` (a multiplication by a constant).
//!
//! Dims are PyTorch's: negative values count from the end (`-1` is the last dim), and dim 0 is
//! the batch.

use super::integer::{to_i64, to_i64s, to_u64};
use super::{numel, ShapeInteger};
use crate::cost::Cost;
use crate::error::Problem;
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// A PyTorch dim index (negative counts from the end) as an index below `rank`.
const fn resolve(what: &'static str, dim: i64, rank: usize) -> Result<usize, Problem> {
    let r = rank as i64;
    let d = if dim < 0 { dim + r } else { dim };
    if d < 0 || d >= r {
        return Err(Problem::DimOutOfRange { what, dim, rank });
    }
    Ok(d as usize)
}

/// Sizes with at most one `-1` (inferred), stored in a `[i64; MAX_RANK]`; panics otherwise.
#[track_caller]
const fn sizes_of<const K: usize>(layer: &str, values: [i64; K], max: usize) -> [i64; MAX_RANK] {
    if K == 0 || K > max {
        let mut m = Message::new();
        m.push_str(layer);
        m.push_str(": give 1 to ");
        m.push_u64(max as u64);
        m.push_str(" sizes, got ");
        m.push_u64(K as u64);
        panic!("{}", m.as_str());
    }
    let mut out = [0; MAX_RANK];
    let mut inferred = false;
    let mut i = 0;
    while i < K {
        let v = values[i];
        if v == -1 {
            if inferred {
                let mut m = Message::new();
                m.push_str(layer);
                m.push_str(": only one size may be -1 (inferred), got two");
                panic!("{}", m.as_str());
            }
            inferred = true;
        } else if v < 1 {
            let mut m = Message::new();
            m.push_str(layer);
            m.push_str(": sizes must be at least 1, or -1 for one inferred size, got ");
            m.push_i64(v);
            panic!("{}", m.as_str());
        }
        out[i] = v;
        i += 1;
    }
    out
}

/// The sizes with `-1` replaced so that their product is `total`.
const fn fill_sizes(
    values: &[i64; MAX_RANK],
    len: usize,
    total: u64,
    what: &'static str,
    actual_what: &'static str,
) -> Result<[u64; MAX_RANK], Problem> {
    let mut known: u64 = 1;
    let mut hole = len;
    let mut i = 0;
    while i < len {
        if values[i] < 0 {
            hole = i;
        } else {
            known = checked!(checked_mul, known, values[i] as u64, "tensor size");
        }
        i += 1;
    }
    let mut out = [0; MAX_RANK];
    i = 0;
    while i < len {
        out[i] = values[i] as u64;
        i += 1;
    }
    if hole < len {
        if !total.is_multiple_of(known) {
            return Err(Problem::NotDivisible {
                what: actual_what,
                value: total,
                by_what: what,
                by: known,
            });
        }
        out[hole] = total / known;
    } else if known != total {
        return Err(Problem::Mismatch {
            what,
            declared: known,
            actual_what,
            actual: total,
        });
    }
    Ok(out)
}

/// A reshape of each sample, the batch kept, as `x.reshape(N, *shape)` (Keras' `Reshape`).
/// One size may be `-1`, inferred.
///
/// - Output: `[N, shape..]`; the sample's element count must not change.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Reshape, Cost, Shape};
/// let (out, cost) = Reshape::new([12, -1]).into_layer().apply(&Shape::new(&[2, 10, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[2, 12, 640]));
/// assert_eq!(cost, Cost::ZERO);
/// assert!(Reshape::new([7, 7]).into_layer().apply(&Shape::new(&[1, 50])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Reshape {
    /// The sample's new dims; `-1` is inferred; entries from `len` on are unused.
    pub shape: [i64; MAX_RANK],
    /// How many dims the sample gets.
    pub len: usize,
}

impl Reshape {
    /// Each sample reshaped to `shape` (1 to 5 dims, at most one `-1`); the sizes may be of any
    /// [`ShapeInteger`] type (literals, `u64` const parameters).
    #[track_caller]
    pub const fn new<T: ShapeInteger, const K: usize>(shape: [T; K]) -> Reshape {
        Reshape {
            shape: sizes_of("Reshape", to_i64s("Reshape", "a size", shape), MAX_RANK - 1),
            len: K,
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Reshape(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() < 1 {
            return Err(Problem::Rank {
                expected: "input with a batch dim [N, ..]",
                got: *input,
            });
        }
        let sample = match input.numel_from(1) {
            Some(n) => n,
            None => {
                return Err(Problem::Overflow {
                    what: "tensor size",
                })
            }
        };
        let dims = tri!(fill_sizes(
            &self.shape,
            self.len,
            sample,
            "reshape size",
            "elements per sample"
        ));
        let mut out = input.with_rank(self.len + 1);
        let mut i = 0;
        while i < self.len {
            out = out.with_dim(i + 1, dims[i]);
            i += 1;
        }
        Ok((out, Cost::ZERO))
    }
}

/// One dim split into several, as `torch.nn.Unflatten(dim, sizes)`; one size may be `-1`.
///
/// - Output: `dims[..dim] ++ sizes ++ dims[dim + 1..]`; the sizes' product must be `dims[dim]`.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Unflatten, Shape};
/// // Split 768 features into 12 heads of 64.
/// let (out, _) = Unflatten::new(-1, [12, -1]).into_layer().apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 12, 64]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Unflatten {
    /// The dim split (negative counts from the end).
    pub dim: i64,
    /// What it is split into; `-1` is inferred; entries from `len` on are unused.
    pub sizes: [i64; MAX_RANK],
    /// How many dims it becomes.
    pub len: usize,
}

impl Unflatten {
    /// Dim `dim` split into `sizes` (at most one `-1`; any [`ShapeInteger`] type).
    #[track_caller]
    pub const fn new<T: ShapeInteger, const K: usize>(dim: i64, sizes: [T; K]) -> Unflatten {
        Unflatten {
            dim,
            sizes: sizes_of(
                "Unflatten",
                to_i64s("Unflatten", "a size", sizes),
                MAX_RANK - 1,
            ),
            len: K,
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Unflatten(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank();
        let d = tri!(resolve("dim", self.dim, rank));
        if rank - 1 + self.len > MAX_RANK {
            return Err(Problem::Rank {
                expected: "a result of at most 6 dims",
                got: *input,
            });
        }
        let dims = tri!(fill_sizes(
            &self.sizes,
            self.len,
            input.dim(d),
            "unflattened sizes",
            "entries in the dim"
        ));
        let mut out = input.with_rank(rank - 1 + self.len);
        let mut i = 0;
        while i < self.len {
            out = out.with_dim(d + i, dims[i]);
            i += 1;
        }
        i = d + 1;
        while i < rank {
            out = out.with_dim(i - 1 + self.len, input.dim(i));
            i += 1;
        }
        Ok((out, Cost::ZERO))
    }
}

/// Two dims swapped, as `torch.transpose(x, dim0, dim1)`.
///
/// - Output: the input's dims with `dim0` and `dim1` exchanged.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Transpose, Shape};
/// let (out, _) = Transpose::new(1, 2).into_layer().apply(&Shape::new(&[1, 128, 12, 64])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 12, 128, 64]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Transpose {
    /// One dim (negative counts from the end).
    pub dim0: i64,
    /// The other dim.
    pub dim1: i64,
}

impl Transpose {
    /// Swaps `dim0` and `dim1`.
    pub const fn new(dim0: i64, dim1: i64) -> Transpose {
        Transpose { dim0, dim1 }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Transpose(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let a = tri!(resolve("dim0", self.dim0, input.rank()));
        let b = tri!(resolve("dim1", self.dim1, input.rank()));
        let out = input.with_dim(a, input.dim(b)).with_dim(b, input.dim(a));
        Ok((out, Cost::ZERO))
    }
}

/// Dims reordered, as `x.permute(dims)`; `dims` lists every dim of the input once.
///
/// - Output: `[dims[dims[0]], dims[dims[1]], ..]`.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Permute, Shape};
/// let (out, _) = Permute::new([0, 2, 3, 1]).into_layer().apply(&Shape::new(&[1, 3, 8, 8])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 8, 8, 3]));
/// assert!(Permute::new([0, 1, 1]).into_layer().apply(&Shape::new(&[1, 3, 8])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Permute {
    /// The source dim of each output dim; entries from `len` on are unused.
    pub dims: [i64; MAX_RANK],
    /// The rank.
    pub len: usize,
}

impl Permute {
    /// The permutation `dims` (negative counts from the end), one entry per input dim.
    #[track_caller]
    pub const fn new<const K: usize>(dims: [i64; K]) -> Permute {
        if K == 0 || K > MAX_RANK {
            let mut m = Message::new();
            m.push_str("Permute: give one entry per dim, 1 to 6 of them, got ");
            m.push_u64(K as u64);
            panic!("{}", m.as_str());
        }
        let mut out = [0; MAX_RANK];
        let mut i = 0;
        while i < K {
            out[i] = dims[i];
            i += 1;
        }
        Permute { dims: out, len: K }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Permute(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank();
        if rank != self.len {
            return Err(Problem::Mismatch {
                what: "permutation length",
                declared: self.len as u64,
                actual_what: "dims",
                actual: rank as u64,
            });
        }
        let mut seen = [false; MAX_RANK];
        let mut out = *input;
        let mut i = 0;
        while i < rank {
            let src = tri!(resolve("permutation entry", self.dims[i], rank));
            if seen[src] {
                return Err(Problem::Other(
                    "Permute's dims must name every input dim exactly once",
                ));
            }
            seen[src] = true;
            out = out.with_dim(i, input.dim(src));
            i += 1;
        }
        Ok((out, Cost::ZERO))
    }
}

/// One position of a dim kept and the dim removed, as `x.select(dim, index)` (`x[:, 0]`): e.g.
/// keeping the class token of `[N, L, D]` gives `[N, D]`. `index` may be negative (from the end).
///
/// - Output: the input's dims without `dim`.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::Select, Shape};
/// let (out, _) = Select::new(1, 0).into_layer().apply(&Shape::new(&[4, 197, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[4, 768]));
/// assert!(Select::new(1, 3).into_layer().apply(&Shape::new(&[4, 3, 8])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Select {
    /// The dim (negative counts from the end).
    pub dim: i64,
    /// The position kept (negative counts from the end).
    pub index: i64,
}

impl Select {
    /// Keeps position `index` of dim `dim` and removes the dim.
    pub const fn new(dim: i64, index: i64) -> Select {
        Select { dim, index }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Select(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank();
        let d = tri!(resolve("dim", self.dim, rank));
        let size = input.dim(d);
        let fits = if self.index < 0 {
            self.index.unsigned_abs() <= size
        } else {
            (self.index as u64) < size
        };
        if !fits {
            return Err(Problem::Mismatch {
                what: if self.index < 0 {
                    "index from the end"
                } else {
                    "index"
                },
                declared: self.index.unsigned_abs(),
                actual_what: "positions along the dim",
                actual: size,
            });
        }
        let mut out = input.with_rank(rank - 1);
        let mut i = d + 1;
        while i < rank {
            out = out.with_dim(i - 1, input.dim(i));
            i += 1;
        }
        Ok((out, Cost::ZERO))
    }
}

/// `length` consecutive positions of a dim, as `x.narrow(dim, start, length)`
/// (`x[:, start:start + length]`); `start` may be negative (from the end). Crops relative to the
/// dim's end: [`Narrow::drop_last`] (`x[..., :-k]`) and [`Narrow::drop_first`] (`x[..., k:]`).
///
/// - Output: the input's dims with `dim` set to the positions kept.
/// - Params, MACs, FLOPs: 0 (a view).
///
/// ```
/// use nncost_core::{layers::{Conv1d, Narrow}, Shape};
/// // Drop the class token: positions 1.. of 197.
/// let (out, _) = Narrow::new(1, 1, 196).into_layer().apply(&Shape::new(&[1, 197, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 196, 768]));
/// // Mamba's causal convolution: pad 3 on both sides, convolve over S + 3 positions, keep S.
/// let (padded, _) = Conv1d::depthwise(4).padding(3).into_layer().apply(&Shape::new(&[1, 1536, 64])).unwrap();
/// assert_eq!(padded, Shape::new(&[1, 1536, 67]));
/// let (out, _) = Narrow::drop_last(-1, 3).into_layer().apply(&padded).unwrap();
/// assert_eq!(out, Shape::new(&[1, 1536, 64]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Narrow {
    /// The dim (negative counts from the end).
    pub dim: i64,
    /// The first position kept (negative counts from the end).
    pub start: i64,
    /// How many positions are kept (unused when `to_end_minus` is set).
    pub length: u64,
    /// `Some(k)`: the positions kept run from `start` to `k` before the dim's end, whatever its
    /// size (`x[..., start:-k]`; `Some(0)` to the end).
    pub to_end_minus: Option<u64>,
}

impl Narrow {
    /// Keeps positions `start..start + length` of dim `dim` (`start` and `length` of any
    /// [`ShapeInteger`] type; `length` must not be negative: for `x[..., :-k]` use
    /// [`Narrow::drop_last`]).
    #[track_caller]
    pub const fn new<S: ShapeInteger, L: ShapeInteger>(dim: i64, start: S, length: L) -> Narrow {
        Narrow {
            dim,
            start: to_i64("Narrow", "start", start),
            length: to_u64(
                "Narrow",
                "length",
                length,
                "; to drop the last k positions of a dim use Narrow::drop_last(dim, k)",
            ),
            to_end_minus: None,
        }
    }

    /// All positions of dim `dim` but the last `count`, as `x[..., :-count]` (the crop after a
    /// convolution padded on both sides, as Mamba's causal `Conv1d`).
    #[track_caller]
    pub const fn drop_last<C: ShapeInteger>(dim: i64, count: C) -> Narrow {
        Narrow {
            dim,
            start: 0,
            length: 0,
            to_end_minus: Some(to_u64("Narrow", "count", count, "")),
        }
    }

    /// All positions of dim `dim` but the first `count`, as `x[..., count:]`.
    #[track_caller]
    pub const fn drop_first<C: ShapeInteger>(dim: i64, count: C) -> Narrow {
        Narrow {
            dim,
            start: to_i64("Narrow", "count", count),
            length: 0,
            to_end_minus: Some(0),
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Narrow(self)
    }

    /// Output shape and cost (zero), or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let d = tri!(resolve("dim", self.dim, input.rank()));
        let size = input.dim(d);
        let start = if self.start < 0 {
            if self.start.unsigned_abs() > size {
                return Err(Problem::Mismatch {
                    what: "start from the end",
                    declared: self.start.unsigned_abs(),
                    actual_what: "positions along the dim",
                    actual: size,
                });
            }
            size - self.start.unsigned_abs()
        } else {
            self.start as u64
        };
        let length = match self.to_end_minus {
            None => self.length,
            Some(dropped) => match size.checked_sub(dropped) {
                Some(end) if end > start => end - start,
                _ => {
                    return Err(Problem::Mismatch {
                        what: "positions dropped (start + dropped at the end)",
                        declared: start.saturating_add(dropped),
                        actual_what: "positions along the dim, so none would be left",
                        actual: size,
                    })
                }
            },
        };
        let end = checked!(checked_add, start, length, "tensor size");
        if end > size {
            return Err(Problem::Mismatch {
                what: "start + length",
                declared: end,
                actual_what: "positions along the dim",
                actual: size,
            });
        }
        Ok((input.with_dim(d, length), Cost::ZERO))
    }
}

/// A multiplication by a constant (attention's `1/√d`, an embedding's `√D`), as `x * factor`.
///
/// - Output: the input's shape. Params, MACs: 0.
/// - FLOPs: 1 per element.
///
/// ```
/// use nncost_core::{layers::Scale, Shape};
/// let (_, cost) = Scale::new(0.125).into_layer().apply(&Shape::new(&[1, 12, 16, 16])).unwrap();
/// assert_eq!((cost.macs, cost.flops), (0, 12 * 16 * 16));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Scale {
    /// The factor (it does not change the cost).
    pub factor: f64,
}

impl Scale {
    /// Multiplication by `factor`.
    pub const fn new(factor: f64) -> Scale {
        Scale { factor }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Scale(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let n = tri!(numel(input));
        Ok((
            *input,
            Cost {
                flops: n,
                ..Cost::ZERO
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unflatten_in_the_middle() {
        let x = Shape::new(&[2, 12, 5]);
        let (out, _) = Unflatten::new(1, [3, 4]).apply(&x).unwrap();
        assert_eq!(out, Shape::new(&[2, 3, 4, 5]));
        assert!(matches!(
            Unflatten::new(1, [5, -1]).apply(&x),
            Err(Problem::NotDivisible {
                value: 12,
                by: 5,
                ..
            })
        ));
        assert!(matches!(
            Unflatten::new(1, [3, 3]).apply(&x),
            Err(Problem::Mismatch {
                declared: 9,
                actual: 12,
                ..
            })
        ));
        assert!(Unflatten::new(3, [1]).apply(&x).is_err());
        assert!(Unflatten::new(1, [1, 1, 1, 1, 12])
            .apply(&Shape::new(&[1, 12, 2]))
            .is_err());
    }

    #[test]
    fn select_and_narrow_bounds() {
        let x = Shape::new(&[1, 5, 8]);
        assert_eq!(Select::new(1, -5).apply(&x).unwrap().0, Shape::new(&[1, 8]));
        assert!(Select::new(1, -6).apply(&x).is_err());
        assert_eq!(Select::new(-1, 7).apply(&x).unwrap().0, Shape::new(&[1, 5]));
        assert_eq!(
            Narrow::new(1, -2, 2).apply(&x).unwrap().0,
            Shape::new(&[1, 2, 8])
        );
        assert!(Narrow::new(1, 4, 2).apply(&x).is_err());
        assert!(Narrow::new(1, -6, 1).apply(&x).is_err());
    }

    #[test]
    fn transpose_and_permute() {
        let x = Shape::new(&[2, 3, 4]);
        assert_eq!(
            Transpose::new(-1, -2).apply(&x).unwrap().0,
            Shape::new(&[2, 4, 3])
        );
        assert!(Transpose::new(0, 3).apply(&x).is_err());
        assert_eq!(
            Permute::new([2, 0, 1]).apply(&x).unwrap().0,
            Shape::new(&[4, 2, 3])
        );
        assert!(Permute::new([0, 1]).apply(&x).is_err());
    }

    #[test]
    fn reshape_keeps_the_batch() {
        let x = Shape::new(&[3, 4, 6]);
        assert_eq!(
            Reshape::new([-1]).apply(&x).unwrap().0,
            Shape::new(&[3, 24])
        );
        assert_eq!(
            Reshape::new([2, 3, 4]).apply(&x).unwrap().0,
            Shape::new(&[3, 2, 3, 4])
        );
        assert!(Reshape::new([5, -1]).apply(&x).is_err());
    }
}
