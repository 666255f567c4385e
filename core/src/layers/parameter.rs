//! Tensors that are not a layer's weights: a learned [`Parameter`] and a fixed [`Buffer`] of any
//! shape, used as operands (layer scale, a learned bias added to attention scores), and
//! [`IndexSelect`], a table gathered by an integer index buffer (Swin's relative position bias).
//!
//! A `Parameter` or a `Buffer` entry ignores the tensor it is given and yields its own: its
//! output is the stored tensor. **Memory**: it is weights (a `Parameter`, counted in
//! `WEIGHT_BYTES` through `PARAMS`) or state (a `Buffer`), not an activation, so the entry writes
//! nothing, allocates nothing and moves nothing itself, like a view; the merge or layer that
//! consumes it reads it as any operand, at its own size and at the activation dtype.

use super::numel;
use crate::cost::Cost;
use crate::error::Problem;
use crate::fmt::Message;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// `dims` as a [`Shape`], for a tensor `layer` stores; panics (at the builder call, at compile
/// time) on more than [`MAX_RANK`] dims or a dim of size 0.
#[track_caller]
const fn stored_shape(layer: &str, dims: &[u64]) -> Shape {
    if dims.len() > MAX_RANK {
        let mut m = Message::new();
        m.push_str(layer);
        m.push_str(": a tensor has at most 6 dims, got ");
        m.push_u64(dims.len() as u64);
        panic!("{}", m.as_str());
    }
    let mut i = 0;
    while i < dims.len() {
        if dims[i] == 0 {
            let mut m = Message::new();
            m.push_str(layer);
            m.push_str(": every dim must be at least 1, but dim ");
            m.push_u64(i as u64);
            m.push_str(" of ");
            m.push_shape(&Shape::new(dims));
            m.push_str(" is 0 (a tensor of zero size holds nothing)");
            panic!("{}", m.as_str());
        }
        i += 1;
    }
    Shape::new(dims)
}

/// A learned tensor of any shape that is not a layer's weight, as an `nn.Parameter` attribute
/// used in `forward`: ConvNeXt's and CaiT's layer scale (`gamma * x`, `gamma` of shape
/// `[C, 1, 1]`), a learned bias or temperature.
///
/// As an entry it ignores its input and yields its own tensor, so it is the operand of a merge:
/// `mul { x: Identity, gamma: Parameter::new(&[C, 1, 1]) }` is `x * gamma`, broadcast as PyTorch
/// (the merge's output is `x`'s shape; its FLOPs are one multiply per output element).
///
/// - Output: the parameter's shape, exactly as declared (no batch dim is added).
/// - Params: its elements. Buffers, MACs, FLOPs: 0 (`FlopCounterMode` counts no elementwise
///   multiply, so a layer scale is 0 MACs).
/// - Memory: weights, not an activation: the entry writes nothing; the merge reads them.
///
/// ```
/// use nncost_core::{layers::Parameter, Shape};
/// let gamma = Parameter::new(&[96, 1, 1]).into_layer();
/// // Whatever it is given, it yields itself.
/// let (out, cost) = gamma.apply(&Shape::new(&[1, 96, 56, 56])).unwrap();
/// assert_eq!(out, Shape::new(&[96, 1, 1]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (96, 0, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Parameter {
    /// The tensor's shape.
    pub shape: Shape,
}

impl Parameter {
    /// A learned tensor of shape `dims` (0 to 6 dims, each at least 1; `&[]` is a scalar).
    #[track_caller]
    pub const fn new(dims: &[u64]) -> Parameter {
        Parameter {
            shape: stored_shape("Parameter", dims),
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Parameter(self)
    }

    /// Output shape (the parameter's) and cost; the input is not used.
    pub const fn apply(&self, _input: &Shape) -> Result<(Shape, Cost), Problem> {
        Ok((
            self.shape,
            Cost {
                params: tri!(numel(&self.shape)),
                ..Cost::ZERO
            },
        ))
    }
}

/// A fixed (non-learnable) tensor of any shape, as `self.register_buffer(name, tensor)`: a
/// sinusoidal position table, a mask, `position_ids`. Floating-point by default (counted in
/// `BUFFERS`); `.integer()` for an integer tensor (counted in `ALL_BUFFERS` only, as PyTorch's
/// `model.buffers()` includes it).
///
/// As an entry it ignores its input and yields its own tensor, as [`Parameter`]: e.g. a fixed
/// table added to a sequence, `add { x: Identity, pe: Buffer::new(&[L, D]) }`.
///
/// - Output: the buffer's shape. Params, MACs, FLOPs: 0.
/// - Buffers: its elements, floating-point or integer.
/// - Memory: state, not an activation: the entry writes nothing; its reader reads it.
///
/// ```
/// use nncost_core::{layers::Buffer, Shape};
/// let x = Shape::new(&[1, 77, 512]);
/// let (out, cost) = Buffer::new(&[77, 512]).into_layer().apply(&x).unwrap();
/// assert_eq!(out, Shape::new(&[77, 512]));
/// assert_eq!((cost.params, cost.buffers, cost.integer_buffers), (0, 77 * 512, 0));
/// let (_, ids) = Buffer::new(&[1, 77]).integer().into_layer().apply(&x).unwrap();
/// assert_eq!((ids.buffers, ids.integer_buffers), (0, 77));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Buffer {
    /// The tensor's shape.
    pub shape: Shape,
    /// Whether it holds integers (`int64` indices and ids) rather than floating-point values.
    pub integer: bool,
}

impl Buffer {
    /// A floating-point buffer of shape `dims` (0 to 6 dims, each at least 1).
    #[track_caller]
    pub const fn new(dims: &[u64]) -> Buffer {
        Buffer {
            shape: stored_shape("Buffer", dims),
            integer: false,
        }
    }

    /// The buffer holds integers (an index table, `position_ids`): counted in `ALL_BUFFERS`
    /// but not in `BUFFERS`, which counts floating-point state.
    pub const fn integer(mut self) -> Buffer {
        self.integer = true;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Buffer(self)
    }

    /// Output shape (the buffer's) and cost; the input is not used.
    pub const fn apply(&self, _input: &Shape) -> Result<(Shape, Cost), Problem> {
        let n = tri!(numel(&self.shape));
        Ok((
            self.shape,
            if self.integer {
                Cost {
                    integer_buffers: n,
                    ..Cost::ZERO
                }
            } else {
                Cost {
                    buffers: n,
                    ..Cost::ZERO
                }
            },
        ))
    }
}

/// Rows of a table gathered by an integer index buffer, as `table[index]` (indexing dim 0; for a
/// 1-D index, `torch.index_select(table, 0, index)`). The layer owns the index: an integer buffer
/// of shape `index` (e.g. Swin's `relative_position_index`).
///
/// Swin's relative position bias: a `[169, H]` parameter table (the `(2·7 − 1)²` relative
/// offsets of a 7×7 window, one bias per head) gathered by a `[49·49]` index, viewed as
/// `[49, 49, H]` and permuted to `[H, 49, 49]`, then added to the attention scores:
///
/// ```
/// use nncost_core::{layers::{IndexSelect, Parameter, Permute, Unflatten}, Shape};
/// let (table, _) = Parameter::new(&[169, 3]).into_layer().apply(&Shape::SCALAR).unwrap();
/// let (rows, cost) = IndexSelect::new(&[49 * 49]).into_layer().apply(&table).unwrap();
/// assert_eq!(rows, Shape::new(&[2401, 3]));
/// assert_eq!((cost.params, cost.integer_buffers, cost.flops), (0, 2401, 0));
/// let (grid, _) = Unflatten::new(0, [49, 49]).into_layer().apply(&rows).unwrap();
/// let (bias, _) = Permute::new([2, 0, 1]).into_layer().apply(&grid).unwrap();
/// assert_eq!(bias, Shape::new(&[3, 49, 49]));
/// ```
///
/// - Output: `index` dims followed by the table's dims after the first:
///   `[R, D..]` → `[index.., D..]`. The index values (below `R`) are not checked.
/// - Params: 0 (the table is whatever precedes it, usually a [`Parameter`]). Buffers: the index's
///   elements, integer. MACs, FLOPs: 0 (a gather, as `FlopCounterMode`).
/// - Memory: it reads the table (its input) and writes the gathered rows; reading the index is
///   not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct IndexSelect {
    /// The shape of the integer index buffer.
    pub index: Shape,
}

impl IndexSelect {
    /// Gathers rows of its input with an integer index buffer of shape `index` (1 to 6 dims, each
    /// at least 1).
    #[track_caller]
    pub const fn new(index: &[u64]) -> IndexSelect {
        if index.is_empty() {
            panic!("IndexSelect: the index has at least one dim");
        }
        IndexSelect {
            index: stored_shape("IndexSelect", index),
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::IndexSelect(self)
    }

    /// Output shape and cost for the table `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let (k, r) = (self.index.rank(), input.rank());
        if r == 0 || k + r - 1 > MAX_RANK {
            return Err(Problem::Rank {
                expected: "a table [R, ..] whose gathered rows have at most 6 dims",
                got: *input,
            });
        }
        let mut out = self.index.with_rank(k + r - 1);
        let mut i = 1;
        while i < r {
            out = out.with_dim(k + i - 1, input.dim(i));
            i += 1;
        }
        tri!(numel(&out));
        Ok((
            out,
            Cost {
                integer_buffers: tri!(numel(&self.index)),
                ..Cost::ZERO
            },
        ))
    }
}
