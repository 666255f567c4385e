use nncost::prelude::*;

network! {
    #[input(3, 32, 32)]
    #[budget(parmas <= 1M, mcas <= 1G, latency <= 5, speed <= 5)]
    pub model Net {
        conv: Conv2d::new(8, 3),
    }
}

fn main() {}
