//! Attention: `MultiheadAttention` (self, cross, grouped-query, windowed), scaled-dot-product
//! attention on fused `q‖k‖v` features, multi-head latent attention (DeepSeek), rotary
//! embeddings, and what a cached decoding step attends to.
//!
//! Shapes are batch first (`[N, L, E]`), as PyTorch's `batch_first=True`; dims between the batch
//! and the positions (`[N, windows, L, E]`) are independent sequences.
//!
//! **MACs.** The projections count as `Linear` layers do; the attention itself counts its two
//! matrix products, `QKᵀ` (`B·H·L·S·d`) and `AV` (`B·H·L·S·dv`), `H` heads of size `d` (`dv` for
//! values), `L` queries and `S` keys. This equals `torch.utils.flop_counter.FlopCounterMode`
//! (divided by 2) on `nn.MultiheadAttention` and `F.scaled_dot_product_attention`, and on Hugging
//! Face's attention in eager mode.
//!
//! **FLOPs.** `2 × MACs`, plus one add per output element of each projection bias, plus per
//! score (`B·H·L·S` scores) 1 for the scaling by `1/√d` and 5 for the softmax ([`SCORE_FLOPS`]),
//! 1 for a causal mask or sliding window ([`CAUSAL_MASK_FLOPS`]), 1 for a given mask
//! ([`MASK_FLOPS`]), 1 for a score bias ([`SCORE_BIAS_FLOPS`]: ALiBi, relative positions), plus
//! [`ROPE_FLOPS_PER_ELEMENT`] per element rotated by RoPE.
//!
//! **Masks** change neither MACs nor the other FLOPs: nncost counts the full `L×S` products,
//! which is what a dense kernel computes before masking (and what `FlopCounterMode`'s formula
//! for `scaled_dot_product_attention` reports, since it ignores `is_causal`). FlashAttention-style
//! kernels skip the fully masked tiles and do about half the work for long sequences;
//! [`visible_pairs`] counts the pairs they compute, for that convention.
//!
//! **Cached steps.** In a step over a KV cache ([`Phase::cached`](crate::Phase::cached)) a layer
//! projects only the step's new positions and attends to the cached ones plus the new ones; a
//! sliding window keeps a rolling buffer. See [`MultiheadAttention`] and the `kv_cache` figures.

mod keys;
mod latent;
mod mha;
mod rope;
mod scores;
mod sdpa;

pub use latent::LatentAttention;
pub use mha::MultiheadAttention;
pub use rope::{RotaryEmbedding, ROPE_FLOPS_PER_ELEMENT};
pub use scores::{
    visible_pairs, ScoreBias, Scores, CAUSAL_MASK_FLOPS, MASK_FLOPS, SCORE_BIAS_FLOPS, SCORE_FLOPS,
};
pub use sdpa::ScaledDotProductAttention;

use super::{require_divisible, require_positive};
use crate::error::Problem;

/// What attention layers accept, with a hint for a vector.
const SEQUENCE_RANK: &str = "a sequence [N, .., L, E] of at least 3 dims (batch first; a vector [N, E] is a sequence of one: Unflatten::new(1, [1, -1]))";

/// `a · b · c`, checked.
const fn mul3(a: u64, b: u64, c: u64, what: &'static str) -> Result<u64, Problem> {
    let ab = checked!(checked_mul, a, b, what);
    Ok(checked!(checked_mul, ab, c, what))
}

/// Panics unless `kv_heads` is at least 1 and divides `num_heads` (grouped-query attention).
#[track_caller]
const fn require_kv_heads(layer: &str, num_heads: u64, kv_heads: u64) {
    require_positive(layer, "kv_heads", kv_heads);
    require_divisible(layer, "num_heads", num_heads, "kv_heads", kv_heads);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::Phase;
    use crate::shape::Shape;

    #[test]
    fn causal_mask_costs_flops_only() {
        let x = Shape::new(&[2, 7, 24]);
        let open = MultiheadAttention::new(24, 4).apply(&x).unwrap().1;
        let causal = MultiheadAttention::new(24, 4)
            .causal(true)
            .apply(&x)
            .unwrap()
            .1;
        assert_eq!(open.macs, causal.macs);
        assert_eq!(open.params, causal.params);
        assert_eq!(causal.flops - open.flops, 2 * 4 * 7 * 7);
    }

    #[test]
    fn cross_attention_dims() {
        // kdim/vdim other than embed_dim need a declared key/value source.
        let mha = MultiheadAttention::new(16, 2).kdim(8);
        assert!(matches!(
            mha.apply(&Shape::new(&[1, 3, 16])),
            Err(Problem::Mismatch { what: "kdim", .. })
        ));
        let cross = mha.kv_len(5).apply(&Shape::new(&[1, 3, 16])).unwrap().1;
        // k: 8 → 16, v: 16 → 16.
        assert_eq!(cross.params, 16 * 16 * 3 + 8 * 16 + 4 * 16);
        assert!(MultiheadAttention::new(16, 2)
            .apply(&Shape::new(&[1, 3, 12]))
            .is_err());
        assert!(MultiheadAttention::new(16, 2)
            .apply(&Shape::new(&[3, 16]))
            .is_err());
    }

    #[test]
    fn sdpa_needs_divisible_features() {
        let sdpa = ScaledDotProductAttention::new(4).kv_heads(2);
        assert!(matches!(
            sdpa.apply(&Shape::new(&[1, 3, 10])),
            Err(Problem::NotDivisible { by: 8, .. })
        ));
    }

    #[test]
    fn overflow_is_named() {
        let x = Shape::new(&[1 << 20, 1 << 20, 64]);
        assert!(matches!(
            MultiheadAttention::new(64, 1).apply(&x),
            Err(Problem::Overflow { .. })
        ));
    }

    #[test]
    fn leading_dims_are_sequences() {
        // [2, 3, 5, 8] is 6 sequences of 5 positions: as [6, 5, 8].
        let attn = MultiheadAttention::new(8, 2);
        let windows = attn.apply(&Shape::new(&[2, 3, 5, 8])).unwrap();
        let flat = attn.apply(&Shape::new(&[6, 5, 8])).unwrap().1;
        assert_eq!(windows.0, Shape::new(&[2, 3, 5, 8]));
        assert_eq!(windows.1, flat);
        let sdpa = ScaledDotProductAttention::new(2);
        let (out, cost) = sdpa.apply(&Shape::new(&[2, 3, 5, 24])).unwrap();
        assert_eq!(out, Shape::new(&[2, 3, 5, 8]));
        assert_eq!(cost, sdpa.apply(&Shape::new(&[6, 5, 24])).unwrap().1);
    }

    #[test]
    fn vectors_get_a_hint() {
        let err = MultiheadAttention::new(8, 2)
            .apply(&Shape::new(&[1, 8]))
            .unwrap_err();
        let mut m = crate::fmt::Message::new();
        err.write(&mut m);
        assert!(
            m.as_str().contains("Unflatten::new(1, [1, -1])"),
            "{}",
            m.as_str()
        );
    }

    #[test]
    fn cross_attention_caches_its_source() {
        // 3 queries over 20 source positions of width 16 (2 heads of 8).
        let cross = MultiheadAttention::new(16, 2).kv_len(20).bias(false);
        let x = Shape::new(&[1, 1, 16]);
        let prefill = cross.apply_in(&x, &Phase::PREFILL).unwrap().1;
        let decode = cross.apply_in(&x, &Phase::cached(5)).unwrap().1;
        // Prefill projects the source (k and v: 20·16·16 each); decode reads it.
        assert_eq!(prefill.macs - decode.macs, 2 * 20 * 16 * 16);
        let cache = cross.cache_in(&x, &Phase::cached(5)).unwrap();
        assert_eq!(
            (cache.held, cache.read, cache.written),
            (20 * 32, 20 * 32, 0)
        );
        let cache = cross.cache_in(&x, &Phase::PREFILL).unwrap();
        assert_eq!((cache.read, cache.written), (0, 20 * 32));
    }

    #[test]
    fn window_table_needs_window_positions() {
        let attn = MultiheadAttention::new(8, 2).relative_position_bias(2, 2);
        assert!(attn.apply(&Shape::new(&[1, 4, 8])).is_ok());
        assert!(matches!(
            attn.apply(&Shape::new(&[1, 5, 8])),
            Err(Problem::Mismatch {
                declared: 4,
                actual: 5,
                ..
            })
        ));
    }
}
