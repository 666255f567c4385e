// The device is a const expression of type `Device`, the latency limit one of type `Time`:
// anything else is a type error at the user's tokens.
use nncost::prelude::*;

const LIMIT_NS: u64 = 5_000_000;

network! {
    #[input(16)]
    #[budget(
        fits(Net),
        latency(&nncost::devices::H100_SXM) <= 1ms,
        latency(nncost::devices::H100_SXM) <= LIMIT_NS,
    )]
    pub model Net {
        fc: Linear::new(16),
    }
}

fn main() {}
