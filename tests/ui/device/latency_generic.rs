// Latency budgets on generic models are checked per instance used.
use nncost::devices::STM32H743;
use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    pub model Scaled<const C: u64> {
        conv: Conv2d::new(C, 3).padding(1),
    }
}

nncost::assert_budget!(Scaled<4>: latency(STM32H743) <= 2ms);
nncost::assert_budget!(Scaled<64>: latency(STM32H743) <= 2ms);

fn main() {}
