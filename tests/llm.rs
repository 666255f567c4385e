//! LLM inference as deployed: prefill and decode steps over a KV cache, the cache's bytes and
//! traffic, sliding windows, mixtures of experts, windowed attention (Swin), latent attention
//! and state-space layers. Numbers are published figures (the tables) or worked by hand
//! in the test.

use nncost::prelude::*;

network! {
    /// LLaMA's gated MLP.
    pub block LlamaMlp<const D: u64, const I: u64> {
        mul {
            gate_proj: { proj: Linear::new(I).bias(false), act: SiLU },
            up_proj: Linear::new(I).bias(false),
        },
        down_proj: Linear::new(D).bias(false),
    }

    /// A LLaMA decoder layer of width `D`, `H` heads, `G` KV heads, MLP width `I`.
    pub block LlamaLayer<const D: u64, const H: u64, const G: u64, const I: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: MultiheadAttention::new(D, H).kv_heads(G).bias(false).rope(true).causal(true),
        },
        residual {
            post_attention_layernorm: RMSNorm::new(D),
            mlp: LlamaMlp<D, I>,
        },
    }

    /// Llama-2-7B's shape, one step of `T` tokens over `P` cached positions, f16 everywhere.
    #[input(tokens = T, cached = P)]
    #[dtype(f16)]
    pub model Llama2<const T: u64, const P: u64> {
        embed_tokens: Embedding::new(32_000, 4096),
        layers: [LlamaLayer<4096, 32, 32, 11_008>; 32],
        norm: RMSNorm::new(4096),
        lm_head: Linear::new(32_000).bias(false),
    }
}

#[test]
fn llama2_kv_cache_and_decode_step() {
    // 2 (K and V) · 32 layers · 32 KV heads · 128 · 4,096 positions · 2 bytes.
    assert_eq!(Llama2::<4096, 0>::KV_CACHE_BYTES, 2_147_483_648);
    assert_eq!(Llama2::<1, 4095>::KV_CACHE_BYTES, 2_147_483_648);
    let step = Llama2::<1, 4096>::MACS;
    println!("{}", Llama2::<1, 4096>::summary());
    assert_eq!(step, 7_681_081_344);
}
