// A condition that is not a comparison fails with the condition alone, as it always did.
use nncost::prelude::*;

network! {
    #[input(16)]
    pub model Net {
        fc: Linear::new(8),
    }
}

const fn is_tiny(params: u64) -> bool {
    params < 100
}

nncost::const_assert!(Net::PARAMS < 1_000 && Net::MACS > 1_000);
nncost::const_assert!(is_tiny(Net::PARAMS));
nncost::const_assert!();

fn main() {}
