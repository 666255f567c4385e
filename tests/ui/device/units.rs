// A latency limit needs a time unit: s, ms, us (or µs) or ns.
use nncost::prelude::*;

network! {
    #[input(16)]
    #[budget(
        latency(nncost::devices::H100_SXM) <= 5,
        latency(nncost::devices::H100_SXM) <= 5MB,
        latency(nncost::devices::H100_SXM) <= 5mz,
        latency(nncost::devices::H100_SXM) <= 5 hours,
        latency(nncost::devices::H100_SXM) <= -5ms,
        latency(nncost::devices::H100_SXM) <= "5ms",
        latency(nncost::devices::H100_SXM) <= 5_000_000u64,
        macs <= 5ms,
    )]
    pub model Net {
        fc: Linear::new(16),
    }
}

fn main() {}
