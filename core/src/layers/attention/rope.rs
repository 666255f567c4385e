//! Rotary position embeddings (RoPE, Su et al., 2021).

use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::layers::{numel, require_positive};
use crate::shape::Shape;

/// FLOPs per rotated element: `x·cos + rotate_half(x)·sin` is 2 multiplies and 1 add. The sign
/// flip inside `rotate_half` and the `cos`/`sin` tables (computed once per position and shared by
/// every layer) are not counted.
///
/// ```
/// use nncost_core::{layers::{RotaryEmbedding, ROPE_FLOPS_PER_ELEMENT}, Shape};
/// let rope = RotaryEmbedding::new(64).into_layer();
/// assert_eq!(rope.apply(&Shape::new(&[1, 10, 256])).unwrap().1.flops, ROPE_FLOPS_PER_ELEMENT * 10 * 256);
/// ```
pub const ROPE_FLOPS_PER_ELEMENT: u64 = 3;

/// Rotary position embeddings applied to queries or keys, as LLaMA's `apply_rotary_pos_emb`: the
/// last dim holds heads of `head_dim` values, the first `rotary_dim` of each (all by default)
/// rotated by position.
///
/// - Shape: unchanged; the last dim must be a multiple of `head_dim`.
/// - Params: 0. MACs: 0 (no matrix product; `FlopCounterMode` counts nothing).
/// - FLOPs: [`ROPE_FLOPS_PER_ELEMENT`] per rotated element.
///
/// Use it where attention is written by hand (q and k projections, then the products with
/// `matmul { .. }`); [`MultiheadAttention::rope`](super::MultiheadAttention::rope) counts the
/// same inside the attention layer.
///
/// ```
/// use nncost_core::{layers::RotaryEmbedding, Shape};
/// // 8 heads of 64, half of each rotated (partial rotary, as GPT-NeoX).
/// let rope = RotaryEmbedding::new(64).rotary_dim(32).into_layer();
/// let (out, cost) = rope.apply(&Shape::new(&[1, 10, 512])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 10, 512]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (0, 0, 3 * 10 * 8 * 32));
/// assert!(rope.apply(&Shape::new(&[1, 10, 100])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct RotaryEmbedding {
    /// Values per head.
    pub head_dim: u64,
    /// Rotated values per head; 0 means all of them.
    pub rotary_dim: u64,
}

impl RotaryEmbedding {
    /// RoPE over heads of `head_dim` values, all rotated.
    #[track_caller]
    pub const fn new(head_dim: u64) -> RotaryEmbedding {
        require_positive("RotaryEmbedding", "head_dim", head_dim);
        RotaryEmbedding {
            head_dim,
            rotary_dim: 0,
        }
    }

    /// Only the first `rotary_dim` values of each head are rotated (`partial_rotary_factor`).
    #[track_caller]
    pub const fn rotary_dim(mut self, rotary_dim: u64) -> RotaryEmbedding {
        require_positive("RotaryEmbedding", "rotary_dim", rotary_dim);
        if rotary_dim > self.head_dim {
            panic!("RotaryEmbedding: rotary_dim must be at most head_dim");
        }
        self.rotary_dim = rotary_dim;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::RotaryEmbedding(self)
    }

    /// Output shape (the input's) and cost, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        if input.rank() < 2 {
            return Err(Problem::Rank {
                expected: "input with heads of features last [N, .., H·d]",
                got: *input,
            });
        }
        let width = input.last();
        if !width.is_multiple_of(self.head_dim) {
            return Err(Problem::NotDivisible {
                what: "features",
                value: width,
                by_what: "head_dim",
                by: self.head_dim,
            });
        }
        let n = tri!(numel(input));
        let rotated = if self.rotary_dim == 0 {
            n
        } else {
            // n / head_dim heads of rotary_dim rotated values each.
            checked!(checked_mul, n / self.head_dim, self.rotary_dim, "FLOPs")
        };
        Ok((
            *input,
            Cost {
                flops: checked!(checked_mul, rotated, ROPE_FLOPS_PER_ELEMENT, "FLOPs"),
                ..Cost::ZERO
            },
        ))
    }
}
