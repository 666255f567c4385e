//! Mixtral 8x7B v0.1, as Hugging Face's `MixtralForCausalLM`: a sparse mixture of experts.

use super::{LlamaAttention, LlamaRotaryEmbedding};
use crate::prelude::*;

network! {
    /// One Mixtral expert, as Hugging Face's `MixtralExperts` runs expert `e` (its weights are
    /// slices `gate_up_proj[e]` and `down_proj[e]` of two 3-D parameters): one projection to
    /// `2·I`, chunked into `gate` and `up` (views), `down_proj(act_fn(gate) * up)`, SiLU, no
    /// biases; the gated MLP of [`GatedMlp`](super::GatedMlp) with the gate and up projections
    /// fused.
    pub block MixtralExpert<const D: u64, const I: u64> {
        gate_up_proj: Linear::new(2 * I).bias(false),
        gate: Narrow::new(-1, 0, I),
        up: gate_up_proj -> Narrow::new(-1, I, I),
        act_fn: gate -> SiLU,
        mul: mul(act_fn, up),
        down_proj: Linear::new(D).bias(false),
    }

    /// A Mixtral decoder layer (`MixtralDecoderLayer`): attention as LLaMA's, then the sparse
    /// mixture `mlp` (`MixtralSparseMoeBlock`): a router `gate` (`D → E`, no bias) picks the top `K` of
    /// `E` experts [`MixtralExpert<D, I>`](MixtralExpert) for each token.
    pub block MixtralDecoderLayer<const D: u64, const H: u64, const G: u64, const I: u64, const E: u64, const K: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: LlamaAttention<D, H, G>,
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: moe(experts = E, top_k = K) {
                gate: Linear::new(E).bias(false),
                experts: MixtralExpert<D, I>,
            },
        },
    }

    /// Mixtral 8x7B v0.1 (Jiang et al., "Mixtral of Experts", 2024) as Hugging Face's
    /// `MixtralForCausalLM` with the published config: width 4,096, 32 layers, 32 query heads and
    /// 8 key/value heads of 128, 8 experts of MLP width 14,336 with 2 per token, vocabulary
    /// 32,000, no sliding window, bf16.
    ///
    /// One step of `TOKENS` new tokens over a KV cache of `CACHED` positions;
    /// [`Mixtral8x7BDecode<P>`](Mixtral8x7BDecode) is one generated token.
    ///
    /// **46,702,792,704 params, 1,636,114,104,320 MACs** at 128 tokens (asserted at compile
    /// time); **12,879,925,248 active params**: a token uses 2 of each layer's 8 experts of
    /// 176,160,768 parameters. The routers' MACs are 32 · 128 · 4,096 · 8 = 134,217,728.
    ///
    /// `FlopCounterMode` on Hugging Face's model sees these MACs only with
    /// `set_experts_implementation("batched_mm")`: the default grouped matmul has no counting
    /// rule and the experts' work silently vanishes from its total.
    ///
    /// ```
    /// use nncost::zoo::{Mixtral8x7B, Mixtral8x7BDecode};
    /// assert_eq!(Mixtral8x7B::<128>::ACTIVE_PARAMS, 12_879_925_248);
    /// // A decode step reads the weights of the 2 experts it runs in each layer, not all 8.
    /// let expert = 3 * 4096 * 14_336 * 2; // bytes at bf16
    /// let all = Mixtral8x7B::<128>::WEIGHT_BYTES;
    /// assert!(Mixtral8x7BDecode::<1000>::MEMORY_ACCESS_BYTES < all - 32 * 6 * expert + (1 << 30));
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    #[dtype(bf16)]
    pub model Mixtral8x7B<const TOKENS: u64, const CACHED: u64 = 0> {
        model: {
            embed_tokens: Embedding::new(32_000, 4096),
            rotary_emb: LlamaRotaryEmbedding<4096, 32>,
            layers: embed_tokens -> [MixtralDecoderLayer<4096, 32, 8, 14_336, 8, 2>; 32],
            norm: RMSNorm::new(4096),
        },
        lm_head: Linear::new(32_000).bias(false),
    }
}

/// One decode step of [`Mixtral8x7B`]: a token generated after `CACHED` positions.
pub type Mixtral8x7BDecode<const CACHED: u64> = Mixtral8x7B<1, CACHED>;

crate::const_assert!(Mixtral8x7B::<128>::PARAMS == 46_702_792_704);
crate::const_assert!(Mixtral8x7B::<128>::ACTIVE_PARAMS == 12_879_925_248);
crate::const_assert!(Mixtral8x7B::<128>::MACS == 1_636_114_104_320);
