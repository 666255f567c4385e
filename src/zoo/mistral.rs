//! Mistral 7B v0.1, as Hugging Face's `MistralForCausalLM`: sliding-window attention.

use super::{GatedMlp, LlamaAttention, LlamaRotaryEmbedding};
use crate::prelude::*;

network! {
    /// A Mistral decoder layer (`MistralDecoderLayer`): as [`LlamaDecoderLayer`](super::LlamaDecoderLayer)
    /// with sliding-window attention over `W` positions.
    pub block MistralDecoderLayer<const D: u64, const H: u64, const G: u64, const I: u64, const W: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: LlamaAttention<D, H, G, false, W>,
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: GatedMlp<D, I>,
        },
    }

    /// Mistral 7B v0.1 (Jiang et al., "Mistral 7B", 2023) as Hugging Face's
    /// `MistralForCausalLM` with the published config: width 4,096, 32 layers, 32 query heads
    /// and 8 key/value heads of 128, MLP 14,336, vocabulary 32,000, sliding window 4,096, bf16.
    ///
    /// One step of `TOKENS` new tokens over a KV cache of `CACHED` positions;
    /// [`Mistral7BDecode<P>`](Mistral7BDecode) is one generated token.
    ///
    /// **7,241,732,096 params, 75,840,532,512,768 MACs** at 8,192 tokens (asserted at compile
    /// time). The prefill counts every score of the dense `8,192×8,192` products, as
    /// `FlopCounterMode` does on the eager attention: masks never reduce it. A kernel that skips
    /// masked scores computes only the visible pairs ([`visible_pairs`]): 67,045,513,232,384 MACs
    /// with the causal mask alone, 64,845,953,105,920 with the 4,096 window.
    ///
    /// The cache is a rolling buffer of the window: a decode step attends to the 4,095 positions
    /// it keeps and itself, whatever the context, and nncost counts the cache as the `W` = 4,096
    /// positions it holds once the step has written its own (Hugging Face keeps `W − 1` = 4,095
    /// between steps: 536,739,840 bytes instead of 536,870,912 at bf16).
    ///
    /// ```
    /// use nncost::zoo::{Mistral7B, Mistral7BDecode};
    /// assert_eq!(Mistral7B::<8192>::MACS, 75_840_532_512_768);
    /// // At 32,768 positions the cache is the window's: 2 · 32 · 8 · 128 · 4,096 · 2 bytes.
    /// assert_eq!(Mistral7BDecode::<32_767>::KV_CACHE_BYTES, 536_870_912);
    /// assert_eq!(Mistral7BDecode::<32_767>::MACS, Mistral7BDecode::<4_095>::MACS);
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    #[dtype(bf16)]
    pub model Mistral7B<const TOKENS: u64, const CACHED: u64 = 0> {
        model: {
            embed_tokens: Embedding::new(32_000, 4096),
            rotary_emb: LlamaRotaryEmbedding<4096, 32>,
            layers: embed_tokens -> [MistralDecoderLayer<4096, 32, 8, 14_336, 4096>; 32],
            norm: RMSNorm::new(4096),
        },
        lm_head: Linear::new(32_000).bias(false),
    }
}

/// One decode step of [`Mistral7B`]: a token generated after `CACHED` positions.
pub type Mistral7BDecode<const CACHED: u64> = Mistral7B<1, CACHED>;

crate::const_assert!(Mistral7B::<8192>::PARAMS == 7_241_732_096);
crate::const_assert!(Mistral7B::<8192>::MACS == 75_840_532_512_768);
