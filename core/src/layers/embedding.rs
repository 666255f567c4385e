//! `Embedding`: a lookup table from token ids to vectors.

use super::{numel, require_positive};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::{Shape, MAX_RANK};

/// A lookup table of `num_embeddings` vectors of size `embedding_dim`, as
/// `torch.nn.Embedding(num_embeddings, embedding_dim)`.
///
/// The input holds integer token ids, of any shape (e.g. `[N, L]`); it is described by its shape
/// like any other tensor.
///
/// - Output: the input's shape with `embedding_dim` appended: `[N, L]` → `[N, L, D]`.
/// - Params: `num_embeddings · embedding_dim`. Buffers: 0.
/// - MACs, FLOPs: 0 (a gather; as `FlopCounterMode`, fvcore and torchvision).
///
/// ```
/// use nncost_core::{layers::Embedding, Shape};
/// let wte = Embedding::new(50257, 768).into_layer();
/// let (out, cost) = wte.apply(&Shape::new(&[1, 128])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!((cost.params, cost.macs, cost.flops), (38_597_376, 0, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct Embedding {
    /// The vocabulary size: how many vectors the table holds.
    pub num_embeddings: u64,
    /// The size of each vector.
    pub embedding_dim: u64,
}

impl Embedding {
    /// A table of `num_embeddings` vectors of size `embedding_dim`.
    #[track_caller]
    pub const fn new(num_embeddings: u64, embedding_dim: u64) -> Embedding {
        require_positive("Embedding", "num_embeddings", num_embeddings);
        require_positive("Embedding", "embedding_dim", embedding_dim);
        Embedding {
            num_embeddings,
            embedding_dim,
        }
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::Embedding(self)
    }

    /// Output shape and cost for token ids of shape `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let rank = input.rank();
        if rank == 0 || rank >= MAX_RANK {
            return Err(Problem::Rank {
                expected: "token ids of 1 to 5 dims [N, ..]",
                got: *input,
            });
        }
        let out = input.with_rank(rank + 1).with_dim(rank, self.embedding_dim);
        tri!(numel(&out));
        Ok((
            out,
            Cost {
                params: checked!(
                    checked_mul,
                    self.num_embeddings,
                    self.embedding_dim,
                    "parameters"
                ),
                buffers: 0,
                integer_buffers: 0,
                macs: 0,
                flops: 0,
                ..Cost::ZERO
            },
        ))
    }
}
