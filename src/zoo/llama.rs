//! Llama 3 8B, as Hugging Face's `LlamaForCausalLM`, and the gated MLP the LLMs share.

use crate::prelude::*;

network! {
    /// The gated MLP of LLaMA, Mistral and Qwen2 (`LlamaMLP`, `MistralMLP`, `Qwen2MLP`):
    /// `down_proj(act_fn(gate_proj(x)) * up_proj(x))`, SiLU, no biases. `D` is the model's width,
    /// `I` the MLP's (`intermediate_size`).
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::GatedMlp;
    /// network! {
    ///     #[input(16, 4096)]
    ///     model Mlp { mlp: GatedMlp<4096, 14_336> }
    /// }
    /// assert_eq!(Mlp::PARAMS, 3 * 4096 * 14_336);
    /// assert_eq!(Mlp::MACS, 16 * 3 * 4096 * 14_336);
    /// ```
    pub block GatedMlp<const D: u64, const I: u64>(x) {
        gate_proj: x -> Linear::new(I).bias(false),
        act_fn: SiLU,
        up_proj: x -> Linear::new(I).bias(false),
        mul: mul(act_fn, up_proj),
        down_proj: Linear::new(D).bias(false),
    }

    /// Hugging Face's `LlamaAttention` (and Mistral's, Mixtral's and Qwen2's, which differ only
    /// in these settings): `q_proj`, `k_proj` and `v_proj` of the layer's input (`H` query
    /// heads and `G` key/value heads of `D / H`, biases when `QKV_BIAS`), rotary embeddings,
    /// the causal `attention_interface` over the keys (a sliding window of `WINDOW` positions
    /// unless 0; in a cached step, the cached keys and values too), and `o_proj`, no bias.
    ///
    /// The three projections are read by the attention as they are (Hugging Face views them
    /// into heads): `(q, k, v) -> ScaledDotProductAttention` costs what the fused layer costs,
    /// with no copy, and holds the step's KV cache.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::LlamaAttention;
    /// network! {
    ///     // 8 query heads and 2 key/value heads of 64, 16 tokens.
    ///     #[input(16, 512)]
    ///     model Attention { self_attn: LlamaAttention<512, 8, 2> }
    /// }
    /// let projections = 16 * (512 * 512 + 2 * 512 * 128 + 512 * 512);
    /// let products = 2 * 8 * 16 * 16 * 64;
    /// assert_eq!(Attention::MACS, projections + products);
    /// ```
    pub block LlamaAttention<
        const D: u64,
        const H: u64,
        const G: u64,
        const QKV_BIAS: bool = false,
        const WINDOW: u64 = 0,
    >(hidden_states) {
        q_proj: hidden_states -> Linear::new(D).bias(QKV_BIAS),
        k_proj: hidden_states -> Linear::new(G * (D / H)).bias(QKV_BIAS),
        v_proj: hidden_states -> Linear::new(G * (D / H)).bias(QKV_BIAS),
        if WINDOW == 0 {
            attention_interface: (q_proj, k_proj, v_proj)
                -> ScaledDotProductAttention::new(H).kv_heads(G).rope(true).causal(true),
        } else {
            attention_interface: (q_proj, k_proj, v_proj)
                -> ScaledDotProductAttention::new(H)
                    .kv_heads(G)
                    .rope(true)
                    .causal(true)
                    .sliding_window(WINDOW),
        },
        o_proj: Linear::new(D).bias(false),
    }

    /// A LLaMA decoder layer (`LlamaDecoderLayer`): `x + self_attn(input_layernorm(x))`, then
    /// `x + mlp(post_attention_layernorm(x))`. The attention has `H` query heads and `G` key/value
    /// heads of size `D / H`, rotary embeddings, a causal mask and no biases; the MLP is
    /// [`GatedMlp<D, I>`](GatedMlp).
    pub block LlamaDecoderLayer<const D: u64, const H: u64, const G: u64, const I: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: LlamaAttention<D, H, G>,
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: GatedMlp<D, I>,
        },
    }

    /// Hugging Face's `LlamaRotaryEmbedding` (`model.rotary_emb`) for `H` heads of `D / H`: its
    /// two non-persistent buffers of `D / H / 2` frequencies (`inv_freq`, `original_inv_freq`),
    /// which PyTorch's `model.buffers()` counts. The cosines and sines it makes for each
    /// position cost nothing here: the attention's RoPE FLOPs count rotating by them, and
    /// `FlopCounterMode` counts no MACs in it.
    ///
    /// ```
    /// use nncost::zoo::Llama3_8B;
    /// // Two buffers of 64 frequencies for heads of 128.
    /// assert_eq!(Llama3_8B::<128>::BUFFERS, 2 * 64);
    /// ```
    pub block LlamaRotaryEmbedding<const D: u64, const H: u64> {
        inv_freq: Buffer::new(&[D / H / 2]),
        original_inv_freq: Buffer::new(&[D / H / 2]),
    }

    /// LLaMA's decoder stack (`LlamaModel`): the token embedding (`V` tokens of width `D`), the
    /// rotary embedding (a side branch: its output is read by the attention's RoPE, which
    /// counts its work), `L` [`LlamaDecoderLayer`]s and the final norm.
    pub block LlamaModel<const V: u64, const D: u64, const L: u64, const H: u64, const G: u64, const I: u64> {
        embed_tokens: Embedding::new(V, D),
        rotary_emb: LlamaRotaryEmbedding<D, H>,
        layers: embed_tokens -> [LlamaDecoderLayer<D, H, G, I>; L],
        norm: RMSNorm::new(D),
    }

    /// Meta Llama 3 8B (Grattafiori et al., "The Llama 3 Herd of Models", 2024) as Hugging
    /// Face's `LlamaForCausalLM` with the published config: width 4,096, 32 layers, 32 query
    /// heads and 8 key/value heads of 128, MLP 14,336, vocabulary 128,256, an untied head, bf16.
    ///
    /// One step of `TOKENS` new tokens over a KV cache of `CACHED` positions: `Llama3_8B<128>` is
    /// the prefill of a 128-token prompt, [`Llama3_8BDecode<P>`](Llama3_8BDecode) (=
    /// `Llama3_8B<1, P>`) one generated token after `P`.
    ///
    /// **8,030,261,248 params, 964,891,246,592 MACs** at 128 tokens (asserted at compile time,
    /// as `FlopCounterMode` counts Hugging Face's eager attention: every score of the `128×128`
    /// products although the mask is causal). Its KV cache holds `2 · 32 · 8 · 128` values per
    /// position: 1,073,741,824 bytes at 8,192 positions in bf16.
    ///
    /// ```
    /// use nncost::zoo::{Llama3_8B, Llama3_8BDecode};
    /// assert_eq!(Llama3_8B::<128>::PARAMS, 8_030_261_248);
    /// assert_eq!(Llama3_8B::<8192>::KV_CACHE_BYTES, 1_073_741_824);
    /// // A decode step projects one token (q, o: 4,096²; k, v: 4,096 · 1,024; the MLP
    /// // 3 · 4,096 · 14,336; the head 4,096 · 128,256) and attends to 8,192 + 1 positions.
    /// let layer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14_336;
    /// let products = 2 * 32 * 128 * 8_193;
    /// assert_eq!(Llama3_8BDecode::<8192>::MACS, 32 * (layer + products) + 4096 * 128_256);
    /// ```
    #[input(tokens = TOKENS, cached = CACHED)]
    #[dtype(bf16)]
    pub model Llama3_8B<const TOKENS: u64, const CACHED: u64 = 0> {
        model: LlamaModel<128_256, 4096, 32, 32, 8, 14_336>,
        lm_head: Linear::new(128_256).bias(false),
    }
}

/// One decode step of [`Llama3_8B`]: a token generated after `CACHED` positions.
pub type Llama3_8BDecode<const CACHED: u64> = Llama3_8B<1, CACHED>;

crate::const_assert!(Llama3_8B::<128>::PARAMS == 8_030_261_248);
crate::const_assert!(Llama3_8B::<128>::MACS == 964_891_246_592);
