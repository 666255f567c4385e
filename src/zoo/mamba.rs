//! Mamba-130m, as Hugging Face's `MambaForCausalLM`: a selective state-space model.

use crate::prelude::*;

/// mamba-130m's token embedding, `backbone.embeddings`: 50,280 tokens of width 768, tied to the
/// LM head of [`Mamba130m`].
///
/// ```
/// use nncost::zoo::MAMBA_130M_EMBED;
/// assert_eq!(MAMBA_130M_EMBED.num_embeddings, 50_280);
/// ```
pub const MAMBA_130M_EMBED: Embedding = Embedding::new(50_280, 768);

network! {
    /// A Mamba block (`MambaBlock`): `x + mixer(norm(x))`, the [`Mamba`] mixer of width `D`
    /// with Hugging Face's `MambaConfig` defaults (state 16, conv 4, expand 2, time-step rank
    /// `⌈D / 16⌉`).
    pub block MambaBlock<const D: u64> {
        residual {
            norm: RMSNorm::new(D),
            mixer: Mamba::new(D),
        },
    }

    /// mamba-130m (Gu & Dao, "Mamba: Linear-Time Sequence Modeling with Selective State
    /// Spaces", 2023) as Hugging Face's `MambaForCausalLM` with the `state-spaces/mamba-130m-hf`
    /// config: width 768, 24 layers, vocabulary 50,280, state 16, expand 2, conv 4, time-step
    /// rank 48, an LM head tied to the embedding, f32.
    ///
    /// One step of `TOKENS` new tokens over `CACHED` earlier ones: its "cache" is the recurrent
    /// state, `24 · 1,536 · (4 + 16)` values whatever the context.
    ///
    /// **129,135,360 params, 16,513,155,072 MACs** at 128 tokens (asserted at compile time; each
    /// layer 3,771,648 params). The causal convolution counts `S + K − 1` = 131 positions, as
    /// PyTorch pads both sides and crops and `FlopCounterMode` counts the padded output; the scan's
    /// read-out counts `d_inner · d_state` per position, the matmul of Hugging Face's sequential
    /// scan.
    ///
    /// ```
    /// use nncost::zoo::Mamba130m;
    /// assert_eq!(Mamba130m::<128>::PARAMS, 129_135_360);
    /// // The state does not grow with the context.
    /// assert_eq!(Mamba130m::<1, 100>::KV_CACHE_BYTES, Mamba130m::<1, 100_000>::KV_CACHE_BYTES);
    /// assert_eq!(Mamba130m::<1, 100>::KV_CACHE_BYTES, 24 * 1536 * (4 + 16) * 4);
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    pub model Mamba130m<const TOKENS: u64, const CACHED: u64 = 0> {
        backbone: {
            embeddings: MAMBA_130M_EMBED,
            layers: [MambaBlock<768>; 24],
            norm_f: RMSNorm::new(768),
        },
        lm_head: Linear::tied(MAMBA_130M_EMBED),
    }
}

crate::const_assert!(Mamba130m::<128>::PARAMS == 129_135_360);
crate::const_assert!(Mamba130m::<128>::MACS == 16_513_155_072);
