//! Qwen2.5-0.5B, as Hugging Face's `Qwen2ForCausalLM`: biased q, k, v and a tied head.

use super::{GatedMlp, LlamaAttention, LlamaRotaryEmbedding};
use crate::prelude::*;

/// Qwen2.5-0.5B's token embedding, `embed_tokens`: 151,936 tokens of width 896. The LM head of
/// [`Qwen2_5_0_5B`] reuses this table ([`Linear::tied`]).
///
/// ```
/// use nncost::zoo::QWEN2_5_0_5B_EMBED;
/// assert_eq!(QWEN2_5_0_5B_EMBED.num_embeddings * QWEN2_5_0_5B_EMBED.embedding_dim, 136_134_656);
/// ```
pub const QWEN2_5_0_5B_EMBED: Embedding = Embedding::new(151_936, 896);

network! {
    /// A Qwen2 decoder layer (`Qwen2DecoderLayer`): LLaMA's, with biases on the q, k and v
    /// projections (not on the output projection).
    pub block Qwen2DecoderLayer<const D: u64, const H: u64, const G: u64, const I: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: LlamaAttention<D, H, G, true>,
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: GatedMlp<D, I>,
        },
    }

    /// Qwen2.5-0.5B's decoder stack (`Qwen2Model`), without the LM head: 24 layers of width 896,
    /// 14 query heads and 2 key/value heads of 64, MLP 4,864, bf16.
    ///
    /// **494,032,768 params, 46,506,442,752 MACs** at 128 tokens (asserted at compile time).
    ///
    /// ```
    /// use nncost::zoo::Qwen2_5_0_5BModel;
    /// assert_eq!(Qwen2_5_0_5BModel::<128>::MACS, 46_506_442_752);
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    #[dtype(bf16)]
    pub model Qwen2_5_0_5BModel<const TOKENS: u64, const CACHED: u64 = 0> {
        embed_tokens: QWEN2_5_0_5B_EMBED,
        rotary_emb: LlamaRotaryEmbedding<896, 14>,
        layers: embed_tokens -> [Qwen2DecoderLayer<896, 14, 2, 4864>; 24],
        norm: RMSNorm::new(896),
    }

    /// Qwen2.5-0.5B (Qwen Team, "Qwen2.5 Technical Report", 2024) as Hugging Face's
    /// `Qwen2ForCausalLM` with the published config: [`Qwen2_5_0_5BModel`] and an LM head tied to
    /// the token embedding ([`QWEN2_5_0_5B_EMBED`]), so its parameters are the stack's.
    ///
    /// One step of `TOKENS` new tokens over a KV cache of `CACHED` positions;
    /// [`Qwen2_5_0_5BDecode<P>`](Qwen2_5_0_5BDecode) is one generated token.
    ///
    /// **494,032,768 params, 63,931,678,720 MACs** at 128 tokens (asserted at compile time).
    ///
    /// ```
    /// use nncost::zoo::{Qwen2_5_0_5B, Qwen2_5_0_5BModel};
    /// assert_eq!(Qwen2_5_0_5B::<128>::PARAMS, Qwen2_5_0_5BModel::<128>::PARAMS);
    /// assert_eq!(Qwen2_5_0_5B::<128>::MACS - Qwen2_5_0_5BModel::<128>::MACS, 128 * 896 * 151_936);
    /// // Its KV cache: 24 layers · 2 · 2 heads · 64 values per position, bf16.
    /// assert_eq!(Qwen2_5_0_5B::<4096>::KV_CACHE_BYTES, 24 * 2 * 2 * 64 * 4096 * 2);
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    #[dtype(bf16)]
    pub model Qwen2_5_0_5B<const TOKENS: u64, const CACHED: u64 = 0> {
        model: Qwen2_5_0_5BModel<TOKENS, CACHED>,
        lm_head: Linear::tied(QWEN2_5_0_5B_EMBED),
    }
}

/// One decode step of [`Qwen2_5_0_5B`]: a token generated after `CACHED` positions.
pub type Qwen2_5_0_5BDecode<const CACHED: u64> = Qwen2_5_0_5B<1, CACHED>;

crate::const_assert!(Qwen2_5_0_5B::<128>::PARAMS == 494_032_768);
crate::const_assert!(Qwen2_5_0_5B::<128>::MACS == 63_931_678_720);
crate::const_assert!(Qwen2_5_0_5BModel::<128>::MACS == 46_506_442_752);
crate::const_assert!(Qwen2_5_0_5BModel::<128>::PARAMS == 494_032_768);
