//! The KV cache: what the layers of a cached step ([`Phase::cached`]) keep, read and write.
//!
//! Execution model of a cached step (`#[input(tokens = T, cached = P)]`), beside the one at
//! [`crate::Memory`]:
//! - Every self-attention layer keeps its keys and values in a cache of its own, in the cache
//!   dtype ([`crate::Precision::kv_cache`]): `2 · kv_heads · head_dim` values per position and
//!   sequence (`kv_heads · (head_dim + v_head_dim)` when the two differ; a multi-head latent
//!   attention keeps its latent, `kv_lora_rank + rope_dim`; a cross-attention the projected
//!   source; a state-space layer its recurrent state, whatever the positions).
//! - The step reads the `P` cached positions (with a sliding window, the `min(P, W − 1)` a
//!   rolling buffer keeps) and writes its `T` new ones (at most `W`): that traffic is part of
//!   the layer's `MEMORY_ACCESS_BYTES`, beside its input, weights and output.
//! - `KV_CACHE_BYTES` is what the caches hold after the step: `P + T` positions, at most `W`
//!   with a sliding window. It is alive for the whole step, so it is part of
//!   `PEAK_MEMORY_BYTES`.
//!
//! A model without `cached = ..` has no cache: 0 bytes, no cache traffic.

use crate::dtype::bytes_at;
use crate::error::Problem;
use crate::layer::Layer;
use crate::memory::{ACCESS_BYTES, KV_CACHE_BYTES};
use crate::phase::Phase;
use crate::shape::Shape;

/// Values (not bytes) of cache one layer holds, reads and writes in one step.
///
/// ```
/// use nncost_core::{layers::MultiheadAttention, CacheUse, Phase, Shape};
/// // 2 KV heads of size 16: 64 values per position.
/// let attn = MultiheadAttention::new(64, 4).kv_heads(2).into_layer();
/// let step = Shape::new(&[1, 1, 64]);
/// let cache = attn.cache_in(&step, &Phase::cached(10)).unwrap();
/// assert_eq!(cache, CacheUse { held: 11 * 64, read: 10 * 64, written: 64 });
/// assert_eq!(attn.cache_in(&step, &Phase::WHOLE).unwrap(), CacheUse::NONE);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CacheUse {
    /// Values in the cache after the step.
    pub held: u64,
    /// Values read from the cache (the positions cached before the step).
    pub read: u64,
    /// Values written to the cache (the step's new positions).
    pub written: u64,
}

impl CacheUse {
    /// No cache.
    pub const NONE: CacheUse = CacheUse {
        held: 0,
        read: 0,
        written: 0,
    };

    /// `per_position` values for each of `held`, `read` and `written` positions.
    pub(crate) const fn positions(
        per_position: u64,
        held: u64,
        read: u64,
        written: u64,
    ) -> Result<CacheUse, Problem> {
        let overflow = Problem::Overflow { what: KV_VALUES };
        match (
            per_position.checked_mul(held),
            per_position.checked_mul(read),
            per_position.checked_mul(written),
        ) {
            (Some(held), Some(read), Some(written)) => Ok(CacheUse {
                held,
                read,
                written,
            }),
            _ => Err(overflow),
        }
    }
}

/// The figure named when a cache size overflows.
pub(crate) const KV_VALUES: &str = "KV cache values";

/// Bytes of cache a layer holds after a step, and bytes it reads plus writes.
pub(crate) struct CacheBytes {
    /// Held after the step.
    pub held: u64,
    /// Read and written.
    pub traffic: u64,
}

/// [`cache_use`] in bytes of `bits`-bit values (the cache dtype).
pub(crate) const fn cache_bytes(
    layer: &Layer,
    input: &Shape,
    phase: &Phase,
    bits: u64,
) -> Result<CacheBytes, Problem> {
    if !phase.cache {
        return Ok(CacheBytes {
            held: 0,
            traffic: 0,
        });
    }
    let used = match cache_use(layer, input, phase) {
        Ok(used) => used,
        Err(problem) => return Err(problem),
    };
    match (
        bytes_at(used.held, bits),
        bytes_at(used.read, bits),
        bytes_at(used.written, bits),
    ) {
        (Some(held), Some(read), Some(written)) => match read.checked_add(written) {
            Some(traffic) => Ok(CacheBytes { held, traffic }),
            None => Err(Problem::Overflow { what: ACCESS_BYTES }),
        },
        _ => Err(Problem::Overflow {
            what: KV_CACHE_BYTES,
        }),
    }
}

/// What `layer` keeps in its cache in `phase` on `input` (nothing for layers without one).
pub(crate) const fn cache_use(
    layer: &Layer,
    input: &Shape,
    phase: &Phase,
) -> Result<CacheUse, Problem> {
    if !phase.cache {
        return Ok(CacheUse::NONE);
    }
    match layer {
        Layer::MultiheadAttention(mha) => mha.cache_in(input, phase),
        Layer::ScaledDotProductAttention(sdpa) => sdpa.cache_in(input, phase),
        Layer::LatentAttention(mla) => mla.cache_in(input, phase),
        Layer::Mamba(mamba) => mamba.cache_in(input, phase),
        _ => Ok(CacheUse::NONE),
    }
}
