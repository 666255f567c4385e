//! Property tests: attention in cached steps against a simulated KV cache, over random
//! configurations and step sequences.
//!
//! The simulation is Hugging Face's `DynamicCache` (and, with a sliding window `W`, its
//! `DynamicSlidingWindowLayer`): a step appends its `T` new keys to the cached ones, attends to
//! all of them, then keeps the last `W − 1`. nncost's closed forms must give the same keys, and
//! a cache of `min(seen, W)` positions after each step.

use nncost_core::layers::{MultiheadAttention, ScaledDotProductAttention};
use nncost_core::{Phase, Shape};

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

#[test]
fn decode_steps_match_a_simulated_cache() {
    let mut rng = Rng(13);
    for _ in 0..300 {
        let kv_heads = rng.range(1, 3);
        let heads = kv_heads * rng.range(1, 3);
        let d = 2 * rng.range(1, 4);
        let e = heads * d;
        let window = if rng.range(0, 1) == 1 {
            rng.range(1, 12)
        } else {
            0
        };
        let mut attn = MultiheadAttention::new(e, heads)
            .kv_heads(kv_heads)
            .bias(false)
            .causal(true);
        if window > 0 {
            attn = attn.sliding_window(window);
        }
        let batch = rng.range(1, 2);
        let per_position = batch * 2 * kv_heads * d;
        // The simulated cache: how many positions it keeps between steps.
        let (mut kept, mut seen) = (0u64, 0u64);
        for step in 0..rng.range(1, 8) {
            let t = if step == 0 {
                rng.range(1, 20)
            } else {
                rng.range(1, 3)
            };
            let x = Shape::new(&[batch, t, e]);
            let phase = Phase::cached(seen);
            let keys = kept + t; // appended, all attended to
            let (_, cost) = attn.apply_in(&x, &phase).unwrap();
            let projections = batch * t * (2 * e * e + 2 * e * kv_heads * d);
            let products = batch * heads * t * keys * 2 * d;
            assert_eq!(cost.macs, projections + products, "step {step} of {attn:?}");
            let cache = attn.cache_in(&x, &phase).unwrap();
            seen += t;
            let held = if window > 0 { seen.min(window) } else { seen };
            assert_eq!(cache.held, held * per_position, "step {step} of {attn:?}");
            assert_eq!(cache.read, kept * per_position);
            kept = if window > 0 {
                (kept + t).min(window - 1)
            } else {
                kept + t
            };
        }
    }
}

/// Prefill (a step over an empty cache) computes what the whole sequence does; only the cache
/// figures differ.
#[test]
fn prefill_costs_the_whole_sequence() {
    let mut rng = Rng(7);
    for _ in 0..200 {
        let kv_heads = rng.range(1, 4);
        let heads = kv_heads * rng.range(1, 4);
        let d = rng.range(1, 16);
        let (n, l) = (rng.range(1, 3), rng.range(1, 64));
        let mha = MultiheadAttention::new(heads * d, heads)
            .kv_heads(kv_heads)
            .rope(true);
        let x = Shape::new(&[n, l, heads * d]);
        assert_eq!(mha.apply_in(&x, &Phase::PREFILL), mha.apply(&x));
        let sdpa = ScaledDotProductAttention::new(heads)
            .kv_heads(kv_heads)
            .causal(true);
        let fused = Shape::new(&[n, l, (heads + 2 * kv_heads) * d]);
        assert_eq!(sdpa.apply_in(&fused, &Phase::PREFILL), sdpa.apply(&fused));
        assert_eq!(
            sdpa.cache_in(&fused, &Phase::PREFILL).unwrap().written,
            n * l * 2 * kv_heads * d
        );
    }
}
