// Small weights, large activations: the flash holds the weights, the RAM cannot hold the
// tensors alive at the peak. `assert_budget!` reports it at the budget.
use nncost::devices::{STM32H743, STM32L476};
use nncost::prelude::*;

network! {
    #[input(3, 96, 96)]
    #[dtype(int8)]
    pub model Detector {
        conv: Conv2d::new(16, 3).padding(1),
        relu: ReLU,
    }
}

nncost::assert_budget!(Detector: fits(STM32H743)); // 288 KiB at the peak: fits 1 MiB
nncost::assert_budget!(Detector: params <= 1K, fits(STM32L476)); // but not 128 KiB

fn main() {}
