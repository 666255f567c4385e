// Every mistake in a device budget is reported at once, at its tokens.
use nncost::prelude::*;

network! {
    #[input(16)]
    #[budget(
        latncy(nncost::devices::H100_SXM) <= 5ms,
        latency <= 5ms,
        fits,
        fits(),
        fits(nncost::devices::STM32H743) <= 3,
        fits(nncost::devices::STM32H743, nncost::devices::H100_SXM),
        latency(nncost::devices::H100_SXM),
        latency(nncost::devices::H100_SXM) >= 5ms,
    )]
    pub model Net {
        fc: Linear::new(16),
    }
}

fn main() {}
