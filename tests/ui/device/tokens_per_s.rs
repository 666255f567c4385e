// A decode step slower than its tokens-per-second budget fails the build with both rates and
// the step's roofline time; a model with no KV cache has no tokens per second.
use nncost::prelude::*;

network! {
    #[input(tokens = 1, cached = 4095)]
    #[dtype(bf16)]
    #[budget(tokens_per_s(nncost::devices::RASPBERRY_PI_5) >= 50)]
    pub model Decoder {
        wte: Embedding::new(32_000, 2048),
        layers: [{
            attn: MultiheadAttention::new(2048, 16).bias(false).causal(true),
            mlp: { up: Linear::new(8192).bias(false), act: GELU, down: Linear::new(2048).bias(false) },
        }; 8],
        head: Linear::new(32_000).bias(false),
    }

    #[input(3, 32, 32)]
    #[budget(tokens_per_s(nncost::devices::H100_SXM) >= 20)]
    pub model Cnn {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
