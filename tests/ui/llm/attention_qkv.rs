// Separate queries, keys and values: keys too wide for 2 key/value heads of 16, two inputs
// (an attention takes one fused or three), and three given to a layer that is not an attention.
use nncost::prelude::*;

network! {
    #[input(tokens = 8)]
    pub model WideKeys {
        embed: Embedding::new(100, 128),
        q_proj: embed -> Linear::new(128),
        k_proj: embed -> Linear::new(64),
        v_proj: embed -> Linear::new(32),
        attention: (q_proj, k_proj, v_proj) -> ScaledDotProductAttention::new(8).kv_heads(2),
    }
}

network! {
    #[input(tokens = 8)]
    pub model ThreeIntoLinear {
        embed: Embedding::new(100, 128),
        a: embed -> Linear::new(16),
        b: embed -> Linear::new(16),
        mix: (embed, a, b) -> Linear::new(16),
    }
}

network! {
    #[input(tokens = 8)]
    pub model TwoIntoAttention {
        embed: Embedding::new(100, 128),
        q: embed -> Linear::new(128),
        kv: embed -> Linear::new(64),
        attention: (q, kv) -> ScaledDotProductAttention::new(8).kv_heads(2),
    }
}

fn main() {}
