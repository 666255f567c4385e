use nncost::prelude::*;

network! {
    #[input(tokens = 1, cached = 4095)]
    #[dtype(f16)]
    #[budget(kv_cache <= 1GiB)]
    pub model Step {
        wte: Embedding::new(32_000, 4096),
        layers: [residual {
            attn: MultiheadAttention::new(4096, 32).bias(false).causal(true),
        }; 32],
    }
}

fn main() {}
