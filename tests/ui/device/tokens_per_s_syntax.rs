// A tokens-per-second budget is a lower bound on a plain number.
use nncost::prelude::*;

network! {
    #[input(tokens = 1, cached = 15)]
    #[budget(
        tokens_per_s(nncost::devices::H100_SXM) <= 20,
        tokens_per_s(nncost::devices::H100_SXM) >= 20ms,
        tokens_per_s(nncost::devices::H100_SXM) >= -3,
        tokens_per_s(nncost::devices::H100_SXM),
        tokens_per_sec(nncost::devices::H100_SXM) >= 20,
    )]
    pub model Decoder {
        wte: Embedding::new(100, 16),
        head: Linear::new(100),
    }
}

fn main() {}
