//! Weight tying: a `Linear` that reuses an `Embedding`'s table as its weight (an LM head tied to
//! the token embedding, as GPT-2's `lm_head`).

use super::{Embedding, Linear};
use crate::cost::Cost;
use crate::error::Problem;
use crate::layer::Layer;
use crate::shape::Shape;

impl Linear {
    /// A linear layer whose weight is `source`'s table (`lm_head.weight = wte.weight`): it maps
    /// `source.embedding_dim` features to `source.num_embeddings` outputs, with no bias unless
    /// [`.bias(true)`](TiedLinear::bias). See [`TiedLinear`] for the cost.
    ///
    /// Give the same const value as the embedding layer, so both stay in step:
    ///
    /// ```
    /// use nncost_core::layers::{Embedding, Linear};
    /// const WTE: Embedding = Embedding::new(50257, 768);
    /// let head = Linear::tied(WTE);
    /// assert_eq!((head.out_features, head.in_features), (50257, 768));
    /// ```
    pub const fn tied(source: Embedding) -> TiedLinear {
        TiedLinear {
            in_features: source.embedding_dim,
            out_features: source.num_embeddings,
            bias: false,
        }
    }
}

/// A [`Linear`] whose weight belongs to another layer (built by [`Linear::tied`]): parameters are
/// counted once, where the weight is declared; the work is counted where it is used.
///
/// - Output: as `Linear`: the last dim becomes `out_features`; the input's features must be
///   `in_features` (the source's width).
/// - Params: 0 for the shared weight; `out_features` if it has its own bias.
/// - MACs and FLOPs: as `Linear` (`leading elements · in · out`, `2 × MACs` + bias adds).
///
/// nncost cannot see whether the source is in the network: it takes the source's sizes, so the
/// shapes are checked, and counts the weight wherever the source layer stands.
///
/// ```
/// use nncost_core::{layers::{Embedding, Linear}, Shape};
/// const WTE: Embedding = Embedding::new(1000, 64);
/// let (out, cost) = Linear::tied(WTE).into_layer().apply(&Shape::new(&[1, 8, 64])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 8, 1000]));
/// assert_eq!((cost.params, cost.macs), (0, 8 * 64 * 1000));
/// assert!(Linear::tied(WTE).into_layer().apply(&Shape::new(&[1, 8, 32])).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct TiedLinear {
    /// Input features: the source's `embedding_dim`.
    pub in_features: u64,
    /// Output features: the source's `num_embeddings`.
    pub out_features: u64,
    /// Whether the layer has its own bias (default `false`), counted as its parameters.
    pub bias: bool,
}

impl TiedLinear {
    /// Whether the layer adds its own learnable bias (default `false`; GPT-2's head has none).
    ///
    /// ```
    /// use nncost_core::{layers::{Embedding, Linear}, Shape};
    /// let head = Linear::tied(Embedding::new(10, 4)).bias(true).into_layer();
    /// assert_eq!(head.apply(&Shape::new(&[1, 4])).unwrap().1.params, 10);
    /// ```
    pub const fn bias(mut self, bias: bool) -> TiedLinear {
        self.bias = bias;
        self
    }

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::TiedLinear(self)
    }

    /// Output shape and cost for `input`, or what is wrong.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        let linear = Linear {
            in_features: self.in_features,
            out_features: self.out_features,
            out_ratio: None,
            bias: self.bias,
        };
        let (out, cost) = match linear.apply(input) {
            Ok(v) => v,
            // The width comes from the tied weight, not from an `in_features` to remove.
            Err(Problem::Declared {
                declared, actual, ..
            }) => {
                return Err(Problem::Mismatch {
                    what: "the tied weight's width",
                    declared,
                    actual_what: "features; tie to a weight as wide as the input",
                    actual,
                })
            }
            Err(problem) => return Err(problem),
        };
        Ok((
            out,
            Cost {
                params: if self.bias { self.out_features } else { 0 },
                ..cost
            },
        ))
    }
}
