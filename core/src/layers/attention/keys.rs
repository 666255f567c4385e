//! Which keys a step attends to, and what its KV cache holds, reads and writes.

use crate::error::Problem;
use crate::phase::Phase;
use crate::shape::Shape;

/// The positions one attention works on, per sequence.
#[derive(Clone, Copy)]
pub(crate) struct Keys {
    /// Keys each query is scored against (before `add_bias_kv` / `add_zero_attn`).
    pub present: u64,
    /// Key/value positions projected in this pass.
    pub projected: u64,
    /// Positions the cache holds after the step.
    pub held: u64,
    /// Cached positions read.
    pub read: u64,
    /// New positions written to the cache.
    pub written: u64,
}

/// Self-attention over `new` positions in `phase`, with a sliding window of `window` (0: none).
///
/// Whole sequence: the `new` positions, no cache. Cached step over `P` positions: the cache keeps
/// `P` (a rolling buffer keeps `min(P, W − 1)`, as Hugging Face's sliding-window cache between
/// steps); the step projects its `new` positions, attends to the kept ones plus its own, and
/// the cache then holds `P + new` (at most `W`).
pub(crate) const fn self_keys(new: u64, phase: &Phase, window: u64) -> Result<Keys, Problem> {
    if !phase.cache {
        return Ok(Keys {
            present: new,
            projected: new,
            held: 0,
            read: 0,
            written: 0,
        });
    }
    let p = phase.cached;
    let kept = if window > 0 && p > window - 1 {
        window - 1
    } else {
        p
    };
    let total = checked!(checked_add, p, new, "KV cache positions");
    let (held, written) = if window > 0 {
        (min(total, window), min(new, window))
    } else {
        (total, new)
    };
    Ok(Keys {
        present: checked!(checked_add, kept, new, "MACs"),
        projected: new,
        held,
        read: kept,
        written,
    })
}

/// Cross-attention to `source` positions projected from another sequence. In a cached step the
/// projected source is cached: prefill projects and writes it, a decode step reads it.
pub(crate) const fn cross_keys(source: u64, phase: &Phase) -> Keys {
    let decode = phase.is_decode();
    Keys {
        present: source,
        projected: if decode { 0 } else { source },
        held: if phase.cache { source } else { 0 },
        read: if decode { source } else { 0 },
        written: if phase.is_prefill() { source } else { 0 },
    }
}

const fn min(a: u64, b: u64) -> u64 {
    if a < b {
        a
    } else {
        b
    }
}

/// A sequence input `[N, .., L, F]`: the independent sequences (batch times leading dims), the
/// positions and the features.
#[derive(Clone, Copy)]
pub(crate) struct Sequence {
    /// `N` times every dim between the batch and `L` (Swin's windows).
    pub batch: u64,
    /// Positions `L`.
    pub len: u64,
    /// Features `F`.
    pub features: u64,
}

/// `input` as a sequence, or a rank error saying what was `expected` (with a hint for a vector).
pub(crate) const fn sequence(input: &Shape, expected: &'static str) -> Result<Sequence, Problem> {
    let rank = input.rank();
    if rank < 3 {
        return Err(Problem::Rank {
            expected,
            got: *input,
        });
    }
    let mut batch: u64 = 1;
    let mut i = 0;
    while i < rank - 2 {
        batch = checked!(checked_mul, batch, input.dim(i), "tensor size");
        i += 1;
    }
    Ok(Sequence {
        batch,
        len: input.dim(rank - 2),
        features: input.last(),
    })
}
