use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[output(100)]
    pub model Net {
        conv: Conv2d::new(8, 3).padding(1),
        pool: AdaptiveAvgPool2d::new(2, 2),
        flatten: Flatten,
        fc: Linear::new(10),
    }
}

fn main() {}
