use nncost::prelude::*;

network! {
    #[inptu(3, 32, 32)]
    #[budgets(params <= 1M)]
    pub model Net {
        #[relu]
        conv: Conv2d::new(16, 3),
    }
}

fn main() {}
