//! Learnable tensors joined to a sequence: a position table added (`PositionEmbedding`) and class
//! tokens concatenated (`ClassToken`).

use super::{numel, require_positive};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

/// A learned position table of `max_len` rows added to a sequence `[N, L, D]`: row `i` is added
/// to position `i`, as GPT-2's `wpe` (`nn.Embedding(n_positions, D)` looked up with
/// `arange(L)`) or ViT's `pos_embedding` parameter.
///
/// - Output: the input's shape. `D` is inferred; `L` must not exceed `max_len`.
/// - Params: `(max_len + offset)·D` (the whole table, used or not; `.offset(k)` for a table
///   whose first `k` rows are never looked up, as BART's `offset = 2`: 1,026 rows for 1,024
///   positions).
/// - MACs: 0. FLOPs: one add per element (`N·L·D`).
///
/// ```
/// use nncost_core::{layers::PositionEmbedding, Shape};
/// let wpe = PositionEmbedding::new(1024).into_layer();
/// let (out, cost) = wpe.apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (1024 * 768, 0, 128 * 768));
/// assert!(wpe.apply(&Shape::new(&[1, 2048, 768])).is_err());
/// // BART: positions start at row 2 of a 1,026-row table.
/// let (_, cost) = PositionEmbedding::new(1024).offset(2).into_layer().apply(&Shape::new(&[1, 128, 768])).unwrap();
/// assert_eq!(cost.params, 1026 * 768);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct PositionEmbedding {
    /// Rows of the table: the longest sequence it serves.
    pub max_len: u64,
    /// Declared width; 0 means "inferred from the input".
    pub dim: u64,
    /// Rows before the first position's (the table has `max_len + offset` rows).
    pub offset: u64,
}

impl PositionEmbedding {
    /// A table for sequences of up to `max_len` positions; its width is the input's.
    #[track_caller]
    pub const fn new(max_len: u64) -> PositionEmbedding {
        require_positive("PositionEmbedding", "max_len", max_len);
        PositionEmbedding {
            max_len,
            dim: 0,
            offset: 0,
        }
    }

    /// Declares the width `D`; the input's features must then be `D`.
    #[track_caller]
    pub const fn dim(mut self, dim: u64) -> PositionEmbedding {
        require_positive("PositionEmbedding", "dim", dim);
        self.dim = dim;
        self
    }

    /// Position `i` is row `offset + i` of a table of `max_len + offset` rows (BART's learned
    /// positions have `offset = 2`); the parameters count every row.
    pub const fn offset(mut self, offset: u64) -> PositionEmbedding {
        self.offset = offset;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::PositionEmbedding(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, L, D]",
                got: *input,
            });
        }
        let (len, d) = (input.dim(1), input.dim(2));
        if self.dim != 0 && self.dim != d {
            return Err(Problem::Mismatch {
                what: "dim",
                declared: self.dim,
                actual_what: "features",
                actual: d,
            });
        }
        if len > self.max_len {
            return Err(Problem::Mismatch {
                what: "max_len",
                declared: self.max_len,
                actual_what: "positions, more than the table holds",
                actual: len,
            });
        }
        Ok((
            *input,
            Cost {
                params: checked!(
                    checked_mul,
                    checked!(checked_add, self.max_len, self.offset, "parameters"),
                    d,
                    "parameters"
                ),
                flops: tri!(numel(input)),
                ..Cost::ZERO
            },
        ))
    }
}

/// Learned tokens put before a sequence `[N, L, D]`, as ViT's class token
/// (`torch.cat([cls_token.expand(N, -1, -1), x], dim=1)`); `.count(n)` for several (DeiT's
/// distillation token, register tokens).
///
/// - Output: `[N, L + count, D]`; `D` is inferred.
/// - Params: `count·D`. MACs, FLOPs: 0 (a copy).
///
/// ```
/// use nncost_core::{layers::ClassToken, Shape};
/// let (out, cost) = ClassToken::new().into_layer().apply(&Shape::new(&[2, 196, 768])).unwrap();
/// assert_eq!(out, Shape::new(&[2, 197, 768]));
/// assert_eq!((cost.params, cost.flops), (768, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct ClassToken {
    /// How many tokens are put before the sequence.
    pub count: u64,
}

impl ClassToken {
    /// One learned token before the sequence.
    pub const fn new() -> ClassToken {
        ClassToken { count: 1 }
    }

    /// `count` learned tokens before the sequence (default 1).
    #[track_caller]
    pub const fn count(mut self, count: u64) -> ClassToken {
        require_positive("ClassToken", "count", count);
        self.count = count;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::ClassToken(self)
    }

    /// Output shape and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() != 3 {
            return Err(Problem::Rank {
                expected: "3-D input [N, L, D]",
                got: *input,
            });
        }
        let len = checked!(checked_add, input.dim(1), self.count, "tensor size");
        let out = input.with_dim(1, len);
        tri!(numel(&out));
        Ok((
            out,
            Cost {
                params: checked!(checked_mul, self.count, input.dim(2), "parameters"),
                ..Cost::ZERO
            },
        ))
    }
}

impl Default for ClassToken {
    fn default() -> Self {
        ClassToken::new()
    }
}
