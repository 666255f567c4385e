//! `ScaledDotProductAttention`: the attention products on fused q, k, v features.

use super::keys::{self_keys, sequence};
use super::rope::ROPE_FLOPS_PER_ELEMENT;
use super::scores::{products, score_setters, Products, Scores};
use super::{mul3, require_kv_heads, SEQUENCE_RANK};
use crate::cost::Cost;
use crate::error::Problem;
use crate::kv_cache::CacheUse;
use crate::layer::Layer;
use crate::layers::require_positive;
use crate::phase::Phase;
use crate::shape::Shape;

/// Scaled-dot-product attention on fused query, key and value features, with no parameters:
/// `softmax(QKᵀ/√d)·V` per head, as `F.scaled_dot_product_attention` after a fused projection
/// (GPT-2's `c_attn`, a `qkv_proj`) and before the output projection.
///
/// The input `[N, .., L, H·d + G·d + G·dv]` holds the `H` query heads, then the `G` key heads,
/// then the `G` value heads (`G = H` unless [`.kv_heads(G)`](Self::kv_heads); `dv = d` unless
/// [`.v_head_dim(dv)`](Self::v_head_dim)); `d` is inferred. Keys and values are the same `L`
/// positions (self-attention; for cross-attention use [`MultiheadAttention::kv_len`], or build
/// the products from branches with a `matmul` merge). Dims between the batch and `L` are
/// independent sequences.
///
/// - Output: `[N, .., L, H·dv]`.
/// - Params: 0. MACs: `B·H·L·S·d` for `QKᵀ` plus `B·H·L·S·dv` for `AV` (`B` the batch times the
///   leading dims, `S = L` keys, or the cached ones too in a cached step).
/// - FLOPs: `2 × MACs` plus [`Scores::flops_per_score`] per score (`B·H·L·S`), plus
///   [`ROPE_FLOPS_PER_ELEMENT`] per rotated query and key element with [`.rope(true)`](Self::rope).
///
/// In a cached step ([`Phase::cached`]) the keys are the `P` cached positions (a sliding window
/// keeps `min(P, W − 1)`) plus the `L` new ones, and the cache holds `B·G·(d + dv)` values per
/// position, as for [`MultiheadAttention`](super::MultiheadAttention).
///
/// [`MultiheadAttention::kv_len`]: super::MultiheadAttention::kv_len
///
/// ```
/// use nncost_core::{layers::ScaledDotProductAttention, Shape};
/// let sdpa = ScaledDotProductAttention::new(12).causal(true).into_layer();
/// let (out, cost) = sdpa.apply(&Shape::new(&[1, 128, 3 * 768])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 128, 768]));
/// assert_eq!(cost.macs, 2 * 12 * 128 * 128 * 64);
/// assert_eq!(cost.flops, 2 * cost.macs + 7 * 12 * 128 * 128);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a layer builder does nothing until it is used in a network"]
pub struct ScaledDotProductAttention {
    /// Query heads `H`.
    pub num_heads: u64,
    /// Key/value heads `G`; `H` is divisible by `G`. Default `H`.
    pub kv_heads: u64,
    /// Value head size `dv`; 0 means the same as the query/key head size.
    pub v_head_dim: u64,
    /// Rotary position embeddings on queries and keys (counted in FLOPs only).
    pub rope: bool,
    /// Masks, score biases, scaling and the sliding window.
    pub scores: Scores,
}

impl ScaledDotProductAttention {
    /// Attention with `num_heads` query heads (and as many key/value heads).
    #[track_caller]
    pub const fn new(num_heads: u64) -> ScaledDotProductAttention {
        require_positive("ScaledDotProductAttention", "num_heads", num_heads);
        ScaledDotProductAttention {
            num_heads,
            kv_heads: num_heads,
            v_head_dim: 0,
            rope: false,
            scores: Scores::DEFAULT,
        }
    }

    /// Grouped-query attention: `kv_heads` key/value heads in the fused input.
    ///
    /// ```
    /// use nncost_core::{layers::ScaledDotProductAttention, Shape};
    /// // 8 query heads and 2 key/value heads of size 64: (8 + 2·2)·64 = 768 fused features.
    /// let sdpa = ScaledDotProductAttention::new(8).kv_heads(2).into_layer();
    /// let (out, cost) = sdpa.apply(&Shape::new(&[1, 10, 768])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 10, 512]));
    /// assert_eq!(cost.macs, 2 * 8 * 10 * 10 * 64);
    /// ```
    #[track_caller]
    pub const fn kv_heads(mut self, kv_heads: u64) -> ScaledDotProductAttention {
        require_kv_heads("ScaledDotProductAttention", self.num_heads, kv_heads);
        self.kv_heads = kv_heads;
        self
    }

    /// A value head size `dv` other than the query/key head size: the fused input is
    /// `H·d + G·d + G·dv` wide and `d` is inferred from it.
    ///
    /// ```
    /// use nncost_core::{layers::ScaledDotProductAttention, Shape};
    /// // 2 heads, q and k of 24, v of 16: 2·24 + 2·24 + 2·16 = 128 features.
    /// let sdpa = ScaledDotProductAttention::new(2).v_head_dim(16).into_layer();
    /// let (out, cost) = sdpa.apply(&Shape::new(&[1, 5, 128])).unwrap();
    /// assert_eq!(out, Shape::new(&[1, 5, 32]));
    /// assert_eq!(cost.macs, 2 * 5 * 5 * (24 + 16));
    /// ```
    #[track_caller]
    pub const fn v_head_dim(mut self, v_head_dim: u64) -> ScaledDotProductAttention {
        require_positive("ScaledDotProductAttention", "v_head_dim", v_head_dim);
        self.v_head_dim = v_head_dim;
        self
    }

    /// Rotary position embeddings on the queries and keys, [`ROPE_FLOPS_PER_ELEMENT`] per
    /// rotated element (as [`MultiheadAttention::rope`](super::MultiheadAttention::rope)).
    pub const fn rope(mut self, rope: bool) -> ScaledDotProductAttention {
        self.rope = rope;
        self
    }

    score_setters!("ScaledDotProductAttention");

    /// The layer, for a [`crate::Node::Layer`].
    pub const fn into_layer(self) -> Layer {
        Layer::ScaledDotProductAttention(self)
    }

    /// The fused input `[.., L, H·d + G·d + G·dv]` that separate queries `[.., L, H·d]`, keys
    /// `[.., L, G·d]` and values `[.., L, G·dv]` stand for, as Hugging Face's attention reads
    /// `q_proj`, `k_proj` and `v_proj`: `(q, k, v) -> ScaledDotProductAttention` in a
    /// declaration costs exactly the fused layer (the three are read, nothing is copied).
    ///
    /// ```
    /// use nncost_core::{layers::ScaledDotProductAttention, Shape};
    /// let sdpa = ScaledDotProductAttention::new(8).kv_heads(2);
    /// let (q, k) = (Shape::new(&[1, 10, 512]), Shape::new(&[1, 10, 128]));
    /// assert_eq!(sdpa.fused_input(&q, &k, &k), Ok(Shape::new(&[1, 10, 768])));
    /// // Keys of the wrong width for 2 key/value heads of 64:
    /// assert!(sdpa.fused_input(&q, &Shape::new(&[1, 10, 64]), &k).is_err());
    /// ```
    pub const fn fused_input(
        &self,
        query: &Shape,
        key: &Shape,
        value: &Shape,
    ) -> Result<Shape, Problem> {
        let rank = query.rank();
        if rank < 3 {
            return Err(Problem::Rank {
                expected: SEQUENCE_RANK,
                got: *query,
            });
        }
        let mut i = 0;
        while i + 1 < rank {
            if key.rank() != rank || key.dim(i) != query.dim(i) {
                return Err(Problem::Merge {
                    what: "attention's queries and keys (the same dims but the features)",
                    left: *query,
                    right: *key,
                });
            }
            if value.rank() != rank || value.dim(i) != query.dim(i) {
                return Err(Problem::Merge {
                    what: "attention's queries and values (the same dims but the features)",
                    left: *query,
                    right: *value,
                });
            }
            i += 1;
        }
        let last = rank - 1;
        let (q, k, v) = (query.dim(last), key.dim(last), value.dim(last));
        if !q.is_multiple_of(self.num_heads) {
            return Err(Problem::NotDivisible {
                what: "query features",
                value: q,
                by_what: "num_heads",
                by: self.num_heads,
            });
        }
        let d = q / self.num_heads;
        let keys = checked!(checked_mul, self.kv_heads, d, "tensor size");
        if k != keys {
            return Err(Problem::Mismatch {
                what: "kv_heads × the queries' head size",
                declared: keys,
                actual_what: "key features",
                actual: k,
            });
        }
        let dv = if self.v_head_dim == 0 {
            d
        } else {
            self.v_head_dim
        };
        let values = checked!(checked_mul, self.kv_heads, dv, "tensor size");
        if v != values {
            return Err(Problem::Mismatch {
                what: "kv_heads × the value head size",
                declared: values,
                actual_what: "value features",
                actual: v,
            });
        }
        let fused = checked!(checked_add, q, k, "tensor size");
        let fused = checked!(checked_add, fused, v, "tensor size");
        Ok(query.with_dim(last, fused))
    }

    /// Output shape and cost for fused features of shape `input`, or what is wrong, over the
    /// whole sequence.
    pub const fn apply(&self, input: &Shape) -> Result<(Shape, Cost), Problem> {
        self.apply_in(input, &Phase::WHOLE)
    }

    /// The query/key and value head sizes from the fused width `fused`.
    const fn head_dims(&self, fused: u64) -> Result<(u64, u64), Problem> {
        let (h, g) = (self.num_heads, self.kv_heads);
        let qk_heads = checked!(checked_add, h, g, "tensor size");
        if self.v_head_dim == 0 {
            let groups = checked!(checked_add, qk_heads, g, "tensor size");
            if !fused.is_multiple_of(groups) {
                return Err(Problem::NotDivisible {
                    what: "fused q, k, v features",
                    value: fused,
                    by_what: "num_heads + 2·kv_heads",
                    by: groups,
                });
            }
            let d = fused / groups;
            return Ok((d, d));
        }
        let values = checked!(checked_mul, g, self.v_head_dim, "tensor size");
        if fused < values || !(fused - values).is_multiple_of(qk_heads) {
            return Err(Problem::NotDivisible {
                what: "fused q, k features (after kv_heads·v_head_dim values)",
                value: fused.saturating_sub(values),
                by_what: "num_heads + kv_heads",
                by: qk_heads,
            });
        }
        Ok(((fused - values) / qk_heads, self.v_head_dim))
    }

    /// Output shape and cost for fused features of shape `input` in `phase`, or what is wrong.
    pub const fn apply_in(&self, input: &Shape, phase: &Phase) -> Result<(Shape, Cost), Problem> {
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let (d, dv) = tri!(self.head_dims(seq.features));
        let out_width = checked!(checked_mul, self.num_heads, dv, "tensor size");
        let out = input.with_dim(input.rank() - 1, out_width);
        tri!(crate::layers::numel(&out));
        let keys = tri!(self_keys(seq.len, phase, self.scores.window));
        tri!(self.scores.check_positions(seq.len, keys.present));
        let (macs, mut flops) = tri!(products(
            &Products {
                batch: seq.batch,
                heads: self.num_heads,
                queries: seq.len,
                keys: keys.present,
                qk_dim: d,
                v_dim: dv,
            },
            &self.scores
        ));
        if self.rope {
            let heads = checked!(checked_add, self.num_heads, self.kv_heads, "FLOPs");
            let rows = checked!(checked_mul, seq.batch, seq.len, "FLOPs");
            let rotated = tri!(mul3(rows, heads, d, "FLOPs"));
            let rope = checked!(checked_mul, rotated, ROPE_FLOPS_PER_ELEMENT, "FLOPs");
            flops = checked!(checked_add, flops, rope, "FLOPs");
        }
        let (params, index) = tri!(self.scores.table(self.num_heads));
        Ok((
            out,
            Cost {
                params,
                integer_buffers: index,
                macs,
                flops,
                ..Cost::ZERO
            },
        ))
    }

    /// The KV cache this layer holds, reads and writes in `phase` (values): `B·G·(d + dv)` per
    /// position, as [`MultiheadAttention::cache_in`](super::MultiheadAttention::cache_in).
    ///
    /// ```
    /// use nncost_core::{layers::ScaledDotProductAttention, Phase, Shape};
    /// let sdpa = ScaledDotProductAttention::new(12).causal(true);
    /// let cache = sdpa.cache_in(&Shape::new(&[1, 1, 3 * 768]), &Phase::cached(9)).unwrap();
    /// assert_eq!(cache.held, 10 * 2 * 768);
    /// ```
    pub const fn cache_in(&self, input: &Shape, phase: &Phase) -> Result<CacheUse, Problem> {
        if !phase.cache {
            return Ok(CacheUse::NONE);
        }
        let seq = tri!(sequence(input, SEQUENCE_RANK));
        let (d, dv) = tri!(self.head_dims(seq.features));
        let keys = tri!(self_keys(seq.len, phase, self.scores.window));
        let width = checked!(checked_add, d, dv, crate::kv_cache::KV_VALUES);
        let per_position = tri!(mul3(
            seq.batch,
            self.kv_heads,
            width,
            crate::kv_cache::KV_VALUES
        ));
        CacheUse::positions(per_position, keys.held, keys.read, keys.written)
    }
}
