use nncost::prelude::*;

network! {
    #[input(16, 32, 32)]
    pub model Inception {
        mixed: concat {
            a: Conv2d::new(8, 1),
            b: Conv2d::new(8, 3),
        },
    }
}

fn main() {}
