//! Hugging Face's attention as its models write it: heads split by views, and
//! `eager_attention_forward`, shared by the CLIP and Whisper zoo models.

use crate::prelude::*;

/// `n^(-1/2)`, Hugging Face's `scaling = head_dim ** -0.5`, by Newton's method on `f64` (exact
/// for perfect squares; a const fn, since `f64::sqrt` is not one). The factor does not change
/// any cost; it is kept so the `Scale` layers state what they multiply by.
///
/// ```
/// use nncost::zoo::inv_sqrt;
/// assert_eq!(inv_sqrt(64), 0.125);
/// assert_eq!(inv_sqrt(1), 1.0);
/// assert!((inv_sqrt(2) - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-15);
/// ```
pub const fn inv_sqrt(n: u64) -> f64 {
    assert!(n > 0, "inv_sqrt: n must be at least 1");
    let x = n as f64;
    // Newton's iteration for √x from above converges monotonically; stop when it stalls.
    let mut root = if x < 1.0 { 1.0 } else { x };
    loop {
        let next = 0.5 * (root + x / root);
        if next >= root {
            break;
        }
        root = next;
    }
    1.0 / root
}

network! {
    /// The view that splits a projection `[N, L, D]` into `H` heads and puts them first,
    /// `[N, H, L, D / H]`: Hugging Face's `x.view(batch, seq, -1, head_dim).transpose(1, 2)`.
    /// Both are views: no work, no memory.
    pub block SplitHeads<const D: u64, const H: u64> {
        view: Unflatten::new(-1, [-1, (D / H) as i64]),
        transpose: Transpose::new(1, 2),
    }

    /// Hugging Face's `eager_attention_forward(module, query, key, value, attention_mask,
    /// scaling)` on queries `[N, H, L, d]` and keys and values `[N, H, S, d]` (`d = D / H`):
    ///
    /// ```python
    /// attn_weights = torch.matmul(query, key.transpose(-1, -2)) * scaling
    /// if attention_mask is not None:
    ///     attn_weights = attn_weights + attention_mask
    /// attn_weights = nn.functional.softmax(attn_weights, dim=-1)
    /// attn_output = torch.matmul(attn_weights, value)
    /// attn_output = attn_output.transpose(1, 2).contiguous()
    /// ```
    ///
    /// `scaling` is `d^(-1/2)`, or 1 when `PRESCALED` (Whisper scales its queries before and
    /// passes `scaling=1.0`; the multiply still runs). With `CAUSAL` the causal mask
    /// `[N, 1, L, S]` is added to the scores.
    ///
    /// - MACs: `N·H·L·S·d` for `QKᵀ` and as many for the weighted sum, as `FlopCounterMode`
    ///   counts the two `matmul`s.
    /// - FLOPs: 2 per MAC, and per score 1 for the scaling, 1 for the mask (when `CAUSAL`) and
    ///   5 for the softmax: the rule of [`MultiheadAttention`].
    /// - Memory: the scores are materialised, as eager attention does (an SDPA kernel does not).
    ///
    /// The mask is a tensor `create_causal_mask` builds in the model's forward (neither a
    /// parameter nor a buffer) and passes to every layer; `network!` has no such constant, and
    /// a block input cannot be left out (Hugging Face passes `attention_mask=None` to the
    /// unmasked layers), so it stands here as a free view of the scores with its shape: no work,
    /// no memory, read by the add at its own size.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::EagerAttention;
    /// network! {
    ///     // 4 heads of 16 over 10 queries and 20 keys.
    ///     model Core(q: [4, 10, 16], k: [4, 20, 16], v: [4, 20, 16]) {
    ///         attn: (q, k, v) -> EagerAttention<64, 4, false, false>,
    ///     }
    /// }
    /// assert_eq!(Core::MACS, 2 * 4 * 10 * 20 * 16);
    /// // 2 per MAC, then per score 1 for the scaling and 5 for the softmax.
    /// assert_eq!(Core::FLOPS, 2 * Core::MACS + 6 * 4 * 10 * 20);
    /// assert_eq!(Core::OUTPUT_SHAPE, Shape::new(&[1, 10, 4, 16]));
    /// ```
    pub block EagerAttention<const D: u64, const H: u64, const PRESCALED: bool, const CAUSAL: bool>(
        query,
        key,
        value,
    ) {
        key_t: key -> Transpose::new(-1, -2),
        scores: matmul(query, key_t),
        attn_weights: Scale::new(if PRESCALED { 1.0 } else { inv_sqrt(D / H) }),
        if CAUSAL {
            attention_mask: attn_weights -> Narrow::new(1, 0, 1),
            masked: add(attn_weights, attention_mask),
        },
        softmax: Softmax::new(-1),
        attn_output: matmul(softmax, value),
        transpose: Transpose::new(1, 2),
    }
}
